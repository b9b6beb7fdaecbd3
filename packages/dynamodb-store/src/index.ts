export type { TableDefinition } from './tableDefinitions';
export {
  ALERTS_TABLE,
  BASELINE_TABLE,
  createTableInput,
  TABLE_DEFINITIONS,
  tableName,
} from './tableDefinitions';
