import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  FirstseenPipeline,
  OrganizationForwarding,
  ReplayAccess,
  ReplayOnAws,
  readStackSettings,
  resolveForwardedRegions,
  s3DataEventSelectors,
  s3DataEventsCommand,
  unforwardedRegionsWarning,
} from './src';

// The Pulumi program: `pulumi up` from the security (delegated administrator) account. Async
// because the forwarded regions (one stack per region) must be known before resources exist.
export = async () => {
  const cfg = new pulumi.Config('firstseen');
  // The same validation as `npm run check`: every `firstseen:` key set must be one the program reads.
  const keys = Object.keys(pulumi.runtime.allConfig())
    .filter((k) => k.startsWith('firstseen:'))
    .map((k) => k.slice('firstseen:'.length));
  const settings = readStackSettings((key) => cfg.get(key), __dirname, {
    keys,
    awsRegion: new pulumi.Config('aws').get('region'),
  });
  for (const warning of settings.warnings) pulumi.log.warn(warning);

  // Regions enabled for this account (opt-in regions it has enabled included): the default
  // forwarding list. A configured list that leaves some out is a blind spot, said out loud.
  const enabled = (await aws.getRegions({})).names;
  const { regions, unforwarded } = resolveForwardedRegions(settings.regions, enabled);
  const warning = unforwardedRegionsWarning(unforwarded);
  if (warning) await pulumi.log.warn(warning);

  // The trail feed creates the bucket's notification itself only when this account owns the bucket.
  const stackAccountId = settings.trail ? (await aws.getCallerIdentity({})).accountId : undefined;

  const pipeline = new FirstseenPipeline('firstseen', {
    namePrefix: settings.namePrefix,
    orgId: settings.orgId,
    config: settings.config,
    handlersDir: path.resolve(__dirname, '..', 'handlers'),
    stream: settings.stream,
    detector: settings.detector,
    dispatcher: settings.dispatcher,
    redrive: settings.redrive,
    watchdog: settings.watchdog,
    triage: settings.triage,
    forwardedRegions: regions,
    alarmEmail: settings.alarmEmail,
    protectData: settings.protectData,
    trail: settings.trail,
    stackAccountId,
  });

  // feed `trail` reads only the trail's files: no EventBridge forwarding in the member accounts
  // (docs/semantics.md "Second feed"); `eventbridge` and `both` forward as before.
  const forwarding =
    settings.config.feed === 'trail'
      ? undefined
      : new OrganizationForwarding('firstseen-forwarding', {
          namePrefix: settings.namePrefix,
          centralBusArn: pipeline.busArn,
          targetOus: settings.targetOus,
          regions,
          coverage: settings.config.coverage,
          ignore: settings.config.ignore,
          includeSecurityAccount: settings.includeSecurityAccount,
          managementAccountRoleArn: settings.managementAccountRoleArn,
          operation: settings.forwarding,
        });

  const replay = settings.replay
    ? new ReplayAccess('firstseen-replay', {
        namePrefix: settings.namePrefix,
        orgId: settings.orgId,
        ...settings.replay,
      })
    : undefined;

  // Off unless firstseen:replayOnAws.enabled: `npm run replay -- s3://... --mode seed --on aws`.
  const replayOnAws =
    settings.replay && settings.replayOnAws?.enabled
      ? new ReplayOnAws('firstseen-replay-on-aws', {
          ...settings.replayOnAws,
          namePrefix: settings.namePrefix,
          handlersDir: path.resolve(__dirname, '..', 'handlers'),
          configJson: JSON.stringify(settings.config),
          trailBucketName: settings.replay.trailBucketName,
          trailKmsKeyArn: settings.replay.trailKmsKeyArn,
          orgId: settings.orgId,
          baselineTable: pipeline.tables.baseline,
          keyArn: pipeline.key.arn,
          accountId: aws.getCallerIdentityOutput({}).accountId,
          logRetentionDays: 90,
        })
      : undefined;

  return {
    centralBusArn: pipeline.busArn,
    streamName: pipeline.stream.name,
    baselineTable: pipeline.tables.baseline.name,
    alertsTable: pipeline.tables.alerts.name,
    quarantineBucket: pipeline.quarantine.name,
    failureBucket: pipeline.failures.name,
    ruleDeadLetterQueueUrl: pipeline.ruleDlq.url,
    detectorFunctionName: pipeline.functions.detector.function.name,
    alarmTopicArn: pipeline.alarmTopic.arn,
    /** Slack app -> Interactivity & Shortcuts -> Request URL (only with an interactive Slack destination). */
    triageUrl: pipeline.triageUrl,
    secretNames: Object.values(pipeline.secrets).map((s) => s.name),
    stackSetName: forwarding?.stackSet.name,
    forwardedRegions: regions,
    unforwardedRegions: unforwarded,
    /** Deploy this template in the management account by hand unless managementAccountRoleArn is set. */
    managementAccountTemplate: forwarding?.templateBody,
    managementAccountCovered: forwarding ? forwarding.managementAccountStacks.length > 0 : undefined,
    replayRoleArn: replay?.role.arn,
    replayBucketPolicyStatements: replay?.bucketPolicyStatements,
    replayKeyPolicyStatement: replay?.keyPolicyStatement,
    /** FIRSTSEEN_REPLAY_STATE_MACHINE_ARN for `npm run replay -- --on aws`. */
    replayStateMachineArn: replayOnAws?.stateMachine.arn,
    replayOnAwsBucketPolicyStatements: replayOnAws?.bucketPolicyStatements,
    replayOnAwsKeyPolicyStatement: replayOnAws?.keyPolicyStatement,
    /** The trail feed's queue (feed trail|both). */
    trailQueueUrl: pipeline.trailQueues?.queue.url,
    /**
     * What the trail's account (log archive) must add for the trail feed: bucket policy
     * statements, key policy statement, the bucket's queue notification or the topic policy
     * statement (infra/README.md "Trail feed"). `pulumi stack output trailAccountTemplate`.
     */
    trailAccountTemplate: pipeline.trailAccountTemplate,
    /**
     * With firstseen:s3DataEvents: the organization trail's advanced event selectors (its
     * management events and the chosen buckets' S3 data events), to save as selectors.json and
     * apply with s3DataEventsCommand in the account that owns the trail (infra/README.md).
     */
    organizationTrailEventSelectors: settings.s3DataEvents
      ? JSON.stringify(
          s3DataEventSelectors(settings.s3DataEvents, (await aws.getPartition({})).partition),
          null,
          2,
        )
      : undefined,
    organizationTrailEventSelectorsCommand: settings.s3DataEvents ? s3DataEventsCommand() : undefined,
  };
};
