import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { FirstseenPipeline, OrganizationForwarding, ReplayAccess, readStackSettings } from './src';

// The Pulumi program: `pulumi up` from the security (delegated administrator) account.
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
  alarmEmail: settings.alarmEmail,
  protectData: settings.protectData,
});

const forwarding = new OrganizationForwarding('firstseen-forwarding', {
  namePrefix: settings.namePrefix,
  centralBusArn: pipeline.busArn,
  targetOus: settings.targetOus,
  regions: settings.regions,
  coverage: settings.config.coverage,
  ignore: settings.config.ignore,
  includeSecurityAccount: settings.includeSecurityAccount,
});

const replay = settings.replay
  ? new ReplayAccess('firstseen-replay', {
      namePrefix: settings.namePrefix,
      orgId: settings.orgId,
      ...settings.replay,
    })
  : undefined;

export const centralBusArn = pipeline.busArn;
export const streamName = pipeline.stream.name;
export const baselineTable = pipeline.tables.baseline.name;
export const alertsTable = pipeline.tables.alerts.name;
export const quarantineBucket = pipeline.quarantine.name;
export const failureBucket = pipeline.failures.name;
export const alarmTopicArn = pipeline.alarmTopic.arn;
/** Slack app -> Interactivity & Shortcuts -> Request URL. */
export const triageUrl = pipeline.triageUrl;
export const secretNames = Object.values(pipeline.secrets).map((s) => s.name);
export const stackSetName = forwarding.stackSet.name;
/** Deploy this template in the management account by hand (infra/README.md "Management account"). */
export const managementAccountTemplate = forwarding.templateBody;
export const replayRoleArn = replay?.role.arn;
export const replayBucketPolicyStatements = replay?.bucketPolicyStatements;
export const replayKeyPolicyStatement = replay?.keyPolicyStatement;
