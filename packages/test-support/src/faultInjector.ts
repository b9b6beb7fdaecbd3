import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { AnyDynamoClient } from '@firstseen/dynamodb-store';

/**
 * Decides, per request, whether to fail it: return the error to throw, or undefined to let the
 * request through. `input` is the command's input as the caller gave it (document form for
 * document-client commands, e.g. `input.Key.pk`).
 */
export type FaultDecision = (commandName: string, input: Record<string, unknown>) => Error | undefined;

export interface FaultInjector {
  /** Number of requests failed so far. */
  readonly injected: number;
  /** Removes the middleware from the client. */
  detach(): void;
}

let injectors = 0;

/**
 * Makes chosen requests fail before they are sent, as if DynamoDB had answered with the error
 * after the SDK's retries (the middleware sits in front of the retry step, so the error is not
 * retried). Tests use it to throttle chosen keys: see `throughputExceeded()`.
 */
export function attachFaultInjector(client: AnyDynamoClient, decide: FaultDecision): FaultInjector {
  const name = `firstseenFaultInjector${++injectors}`;
  let injected = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const error = decide(context.commandName ?? 'unknown', args.input as Record<string, unknown>);
      if (error !== undefined) {
        injected++;
        throw error;
      }
      return next(args);
    },
    { step: 'initialize', name, priority: 'high' },
  );
  return {
    get injected() {
      return injected;
    },
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}

/** A ProvisionedThroughputExceededException as the SDK would throw it after its retries. */
export function throughputExceeded(message = 'injected: provisioned throughput exceeded'): Error {
  return new ProvisionedThroughputExceededException({
    message,
    $metadata: { httpStatusCode: 400, attempts: 3 },
  });
}
