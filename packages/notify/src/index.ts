export type { DestinationChannel } from './channels';
export { checkDestinations } from './channels';
export { cloudTrailEventUrl } from './consoleLink';

export { createDeliverDeps } from './createDeliverDeps';

export { InMemoryDeliveryStateStore } from './DeliveryStateStore';
export { DynamoDeliveryStateStore } from './DynamoDeliveryStateStore';
export { DynamoSlackThreadStore, SLACK_THREAD_KEY_PREFIX } from './DynamoSlackThreadStore';
export type { DeliverDeps } from './deliverAlerts';

export { dispatchAlerts } from './dispatchAlerts';

export { boundedPlain, codeSpan, inertMrkdwn } from './inertText';

export { createNotifyRuntime, lazyNotifyRuntime, readNotifyEnvironment } from './notifyEnvironment';
export { ownersFor } from './ownersFor';
export { PAGERDUTY_EVENTS_URL, postPagerDutyEvent } from './pagerDutyTransport';
export type { HttpResponse, PostJson } from './postJson';
export { postJson } from './postJson';
export type { RedriveReport } from './redriveAlerts';
export { redriveAlerts } from './redriveAlerts';
export type { PagerDutyEvent } from './renderPagerDuty';
export { PAGERDUTY_SEVERITY, pagerDutyDedupKey, renderPagerDutyGroup, utcDay } from './renderPagerDuty';
export type { SlackBlock, SlackMessage, SlackText } from './renderSlack';
export { renderSlackGroup, renderSlackStormSummary } from './renderSlack';
export type { TriageDecisionKind } from './renderTriageActions';
export { TRIAGE_ACTION_IDS } from './renderTriageActions';
export { routeAlert } from './routeAlert';

export type { SecretSource, Secrets } from './secrets';
export { envSecretSource, loadSecrets, secretsManagerSource } from './secrets';

export type { AlertRecord } from './types';
