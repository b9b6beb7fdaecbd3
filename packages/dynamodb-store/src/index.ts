export { conditionalFailureItem, isConditionalFailure } from './conditionalFailure';
export type { AccountDirectory, AccountDirectoryEntry } from './DynamoAccountDirectory';
export { ACCOUNT_DIRECTORY_KEY, accountLabel, DynamoAccountDirectory } from './DynamoAccountDirectory';
export type { DynamoAlertOutboxOptions, StoredAlert } from './DynamoAlertOutbox';
export { DynamoAlertOutbox } from './DynamoAlertOutbox';
export type { DynamoBaselineStoreOptions } from './DynamoBaselineStore';
export { DynamoBaselineStore } from './DynamoBaselineStore';
export type { DynamoSuppressionStoreOptions } from './DynamoSuppressionStore';
export { DynamoSuppressionStore, SUPPRESSION_PREFIX, suppressionKey } from './DynamoSuppressionStore';
export type { AnyDynamoClient } from './documentClient';
export { toDocumentClient } from './documentClient';
export { isTransientDynamoError, StoreRequestError, toStoreError } from './errors';
export type { FaultDecision, FaultInjector } from './faultInjector';
export { attachFaultInjector, throughputExceeded } from './faultInjector';
export type { AccountRegion, Heartbeat, HeartbeatStoreOptions } from './HeartbeatStore';
export { HEARTBEAT_INTERVAL_MS, HeartbeatStore, heartbeatKey } from './HeartbeatStore';
export { EXPIRED_CONDITION } from './keyItem';
export type { RequestCounter } from './requestCounter';
export { attachRequestCounter } from './requestCounter';
export type { TableDefinition } from './tableDefinitions';
export {
  ALERTS_TABLE,
  BASELINE_TABLE,
  createTableInput,
  TABLE_DEFINITIONS,
  tableName,
} from './tableDefinitions';
