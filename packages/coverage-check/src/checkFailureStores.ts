import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CoverageRow, CoverageTargets } from './types';

/**
 * What never reached detection: events in the bus rule's dead-letter queue, and failed batches
 * (Lambda's on-failure records) in the failure bucket. Either non-empty is a gap until replayed:
 * `npm run replay -- s3://<failure-bucket>/aws/lambda/ --mode stream`.
 */
export async function checkFailureStores(
  sqs: SQSClient,
  s3: S3Client,
  targets: Pick<CoverageTargets, 'ruleDeadLetterQueueUrl' | 'failureBucket'>,
): Promise<CoverageRow[]> {
  const q = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: targets.ruleDeadLetterQueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const waiting =
    Number(q.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(q.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  const queueName = targets.ruleDeadLetterQueueUrl.slice(targets.ruleDeadLetterQueueUrl.lastIndexOf('/') + 1);
  const rows: CoverageRow[] = [
    {
      check: 'dead-letters',
      target: queueName,
      status: waiting > 0 ? 'gap' : 'ok',
      detail: waiting > 0 ? `~${waiting} events never reached the stream` : 'empty',
    },
  ];
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: targets.failureBucket, MaxKeys: 1000 }));
  const count = listed.KeyCount ?? listed.Contents?.length ?? 0;
  const oldest = (listed.Contents ?? [])
    .map((o) => o.LastModified?.getTime())
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b)[0];
  rows.push({
    check: 'failed-batches',
    target: targets.failureBucket,
    status: count > 0 ? 'gap' : 'ok',
    detail:
      count > 0
        ? `${count}${listed.IsTruncated ? '+' : ''} failed batch objects` +
          (oldest ? `, oldest ${new Date(oldest).toISOString()}` : '') +
          `: npm run replay -- s3://${targets.failureBucket}/aws/lambda/ --mode stream`
        : 'empty',
  });
  return rows;
}
