export type { ParsedItem } from './alertRecord';
export { parseAlertItem } from './alertRecord';
export type { ChannelOptions, DestinationChannel } from './channels';
export { checkDestinations, createChannels, SLACK_API_BASE_URL } from './channels';
export { CONSOLE_LINK_MAX_EVENT_ID, cloudTrailEventUrl } from './consoleLink';
export type { NotifyRuntimeOptions } from './createDeliverDeps';
export { createDeliverDeps } from './createDeliverDeps';
export type { DeliveryStateStore } from './DeliveryStateStore';
export { InMemoryDeliveryStateStore } from './DeliveryStateStore';
export { DynamoDeliveryStateStore } from './DynamoDeliveryStateStore';
export { DynamoSlackThreadStore, SLACK_THREAD_KEY_PREFIX, slackThreadKey } from './DynamoSlackThreadStore';
export type { DeliverDeps, DeliverOptions, DeliveryReport } from './deliverAlerts';
export { deliverAlerts } from './deliverAlerts';
export { deliveryMetricsLine } from './deliveryMetrics';
export { dispatchAlerts } from './dispatchAlerts';
export {
  DeliveryError,
  DeliveryStateError,
  DestinationConfigError,
  NotifyError,
  SecretError,
} from './errors';
export { boundedPlain, codeSpan, escapeMrkdwn, inertMrkdwn, neutralise } from './inertText';
export type { NotifyEnvironment, NotifyRuntimeOverrides } from './notifyEnvironment';
export { createNotifyRuntime, lazyNotifyRuntime, readNotifyEnvironment } from './notifyEnvironment';
export { ownerMentions, ownersFor } from './ownersFor';
export { PAGERDUTY_EVENTS_URL, postPagerDutyEvent } from './pagerDutyTransport';
export type { GetJson, HttpResponse, PostJson } from './postJson';
export { errorForStatus, getJson, parseRetryAfter, postJson } from './postJson';
export type { RedriveOptions, RedriveReport } from './redriveAlerts';
export { redriveAlerts } from './redriveAlerts';
export type { PagerDutyEvent } from './renderPagerDuty';
export {
  PAGERDUTY_MAX_DEDUP_KEY,
  PAGERDUTY_MAX_EVENT_BYTES,
  PAGERDUTY_MAX_SUMMARY,
  PAGERDUTY_SEVERITY,
  pagerDutyDedupKey,
  parseEventTime,
  renderPagerDutyGroup,
  renderPagerDutyStormSummary,
  utcDay,
} from './renderPagerDuty';
export type { SlackBlock, SlackMessage, SlackText } from './renderSlack';
export {
  maxSeverity,
  renderSlackGroup,
  renderSlackStormSummary,
  SLACK_MAX_BLOCKS,
  SLACK_MAX_FIELD,
  SLACK_MAX_PAYLOAD_CHARS,
  SLACK_MAX_TEXT,
} from './renderSlack';
export type {
  SlackActionsBlock,
  SlackButton,
  TriageActionOptions,
  TriageDecisionKind,
} from './renderTriageActions';
export { renderTriageActions, SLACK_MAX_BUTTON_VALUE, TRIAGE_ACTION_IDS } from './renderTriageActions';
export { defaultRoute, groupAlerts, routeAlert } from './routeAlert';
export type { SlackThread, SlackThreadStore } from './SlackThreadStore';
export { StormControl } from './StormControl';
export type { SecretSource, Secrets } from './secrets';
export { envSecretSource, loadSecrets, secretNames, secretsManagerSource } from './secrets';
export { THREAD_CLAIM_LEASE_MS, THREAD_PARENT_EVENT_TYPE } from './sendThreadedSlackGroup';
export type { RetryDeps, RetryPolicy, SendOutcome } from './sendWithRetry';
export { DEFAULT_RETRY_POLICY, fullJitterDelay, sendWithRetry } from './sendWithRetry';
export type { SlackHistoryMessage, SlackMessageMetadata } from './slackTransport';
export {
  findSlackMessageByMetadata,
  postSlackBotMessage,
  postSlackWebhook,
  SLACK_PERMANENT_ERRORS,
  SLACK_TRANSIENT_ERRORS,
} from './slackTransport';
export type {
  AlertRecord,
  Clock,
  DeliveryMap,
  DeliveryState,
  DeliveryStatus,
  RandomSource,
  Sleep,
} from './types';
