import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The item carried by a ConditionalCheckFailedException (ReturnValuesOnConditionCheckFailure
 * ALL_OLD), unmarshalled; undefined when the item did not exist. Errors bypass the document
 * client's unmarshalling, so it is done here. Returns null when `err` is not a conditional failure.
 */
export function conditionalFailureItem(err: unknown): Record<string, unknown> | undefined | null {
  if (!(err instanceof ConditionalCheckFailedException)) {
    if ((err as { name?: string } | null)?.name !== 'ConditionalCheckFailedException') return null;
  }
  const item = (err as ConditionalCheckFailedException).Item;
  return item === undefined ? undefined : unmarshall(item);
}
