import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A DynamoDBClient or a DynamoDBDocumentClient built on one. */
export type AnyDynamoClient = DynamoDBClient | DynamoDBDocumentClient;

/**
 * The document client for a client. A given document client is used as it is (its middleware
 * stack is the base client's, so request counters and fault injectors see its requests).
 */
export function toDocumentClient(client: AnyDynamoClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  if (client instanceof DynamoDBClient) {
    return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }
  throw new TypeError('expected a DynamoDBClient or a DynamoDBDocumentClient');
}

/** The object without its undefined-valued properties (a given document client may not strip them). */
export function withoutUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
