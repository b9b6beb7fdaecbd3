export { AccountDirectoryReader } from './AccountDirectoryReader';
export { conditionalFailureItem, isConditionalFailure } from './conditionalFailure';
export type { AccountDirectory } from './DynamoAccountDirectory';
export { accountLabel, DynamoAccountDirectory } from './DynamoAccountDirectory';

export { DynamoAlertOutbox } from './DynamoAlertOutbox';

export type { DynamoBaselineStoreOptions, WritePacer } from './DynamoBaselineStore';
export { DynamoBaselineStore } from './DynamoBaselineStore';

export { DynamoSuppressionStore } from './DynamoSuppressionStore';
export type { AnyDynamoClient } from './documentClient';
export { toDocumentClient } from './documentClient';
export { toStoreError } from './errors';

export { HeartbeatStore, heartbeatKey } from './HeartbeatStore';
export type { RequestCounter } from './requestCounter';
export { attachRequestCounter } from './requestCounter';
export type { TableDefinition } from './tableDefinitions';
export { createTableInput, TABLE_DEFINITIONS, tableName } from './tableDefinitions';
export { itemSize, writeUnits } from './writeUnits';
