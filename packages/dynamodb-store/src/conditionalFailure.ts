import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * True when `err` is a failed condition of a single-item write. Compared by name too: an error
 * from another copy of the SDK (a bundled one) is not an instance of this package's class.
 */
export function isConditionalFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * The item carried by a ConditionalCheckFailedException (ReturnValuesOnConditionCheckFailure
 * ALL_OLD), unmarshalled; undefined when the item did not exist. Errors bypass the document
 * client's unmarshalling, so it is done here. Returns null when `err` is not a conditional failure.
 */
export function conditionalFailureItem(err: unknown): Record<string, unknown> | undefined | null {
  if (!isConditionalFailure(err)) return null;
  const item = (err as ConditionalCheckFailedException).Item;
  return item === undefined ? undefined : unmarshall(item);
}
