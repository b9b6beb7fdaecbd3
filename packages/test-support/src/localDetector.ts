import { randomUUID } from 'node:crypto';
import { CreateTableCommand, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Alert, type ConfigInput, parseConfig } from '@firstseen/core';
import { createDetector, type Detector } from '@firstseen/detector';
import { createTableInput, TABLE_DEFINITIONS, tableName } from '@firstseen/dynamodb-store';
import { createBucket, type LocalEmulators } from '@firstseen/local-stack';
import pino from 'pino';

export interface LocalDetector extends Detector {
  tables: { baseline: string; alerts: string };
  bucket: string;
  metrics: string[];
  /** A second detector on the same tables and bucket: another process, with a cold cache. */
  fresh(): LocalDetector;
}

/** A detector on fresh tables and a fresh bucket in the running emulators (real SDK clients). */
export async function localDetector(
  emulators: LocalEmulators,
  config: ConfigInput = { burnInDays: 0 },
): Promise<LocalDetector> {
  const dynamodb = emulators.clients.dynamodb!;
  const s3 = s3rverClient(emulators);
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const bucket = `${prefix}-quarantine`;
  await createBucket(s3, bucket);
  const tables = await createTablesWithoutTtl(dynamodb, prefix);
  const parsed = parseConfig(config);
  const build = (): LocalDetector => {
    const metrics: string[] = [];
    const detector = createDetector(
      {
        baselineTable: tables.baseline,
        alertsTable: tables.alerts,
        quarantineBucket: bucket,
        configLocation: { kind: 'file', path: '(test)' },
        functionName: 'firstseen-detector-it',
        logLevel: 'silent',
        s3ForcePathStyle: true,
        config: parsed,
      },
      { dynamodb, s3, logger: pino({ level: 'silent' }), metrics: (l) => metrics.push(l) },
    );
    return { ...detector, tables, bucket, metrics, fresh: build };
  };
  return build();
}

/**
 * An S3 client for the local s3rver. s3rver accepts only its built-in key pair S3RVER/S3RVER
 * (any other access key id is InvalidAccessKeyId), so this does not use local-stack's client.
 */
export function s3rverClient(emulators: LocalEmulators): S3Client {
  return new S3Client({
    endpoint: emulators.endpoints.s3!,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The tables from the shared definitions, but with TTL left off. Test events carry fixed past
 * event times, so their keys' expiresAt (event time + retention) is already behind the wall
 * clock; DynamoDB Local's TTL sweeper would delete them at a random moment mid-test, while
 * detection correctly judges expiry by event time. (Live, event time is about now.)
 */
export async function createTablesWithoutTtl(
  client: DynamoDBClient,
  prefix: string,
): Promise<{ baseline: string; alerts: string }> {
  const names = { baseline: '', alerts: '' };
  for (const def of TABLE_DEFINITIONS) {
    const name = tableName(prefix, def);
    await client.send(new CreateTableCommand(createTableInput(name, def)));
    names[def.logicalName] = name;
  }
  return names;
}

/** Every alert in the outbox, without the outbox's own attributes, sorted by alertId. */
export async function scanAlerts(client: DynamoDBClient, table: string): Promise<Alert[]> {
  const alerts: Alert[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, createdAt: _c, expiresAt: _e, ...alert } = unmarshall(item);
      alerts.push(alert as Alert);
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return alerts.sort((a, b) => a.alertId.localeCompare(b.alertId));
}

/** Every quarantine object in the bucket: key and parsed body. */
export async function listQuarantine(
  s3: S3Client,
  bucket: string,
): Promise<{ key: string; body: Record<string, unknown> }[]> {
  const out: { key: string; body: Record<string, unknown> }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'quarantine/', ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
      out.push({
        key: o.Key!,
        body: JSON.parse(await got.Body!.transformToString()) as Record<string, unknown>,
      });
    }
    token = page.NextContinuationToken;
  } while (token);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export function lastMetrics(d: { metrics: string[] }): Record<string, number> {
  return JSON.parse(d.metrics[d.metrics.length - 1]!) as Record<string, number>;
}
