import type { AnyDynamoClient } from './documentClient';

/** Requests sent through a client, by command name (e.g. `PutItemCommand`). */
export interface RequestCounter {
  /** Requests of one command, or of all commands when no name is given. */
  count(commandName?: string): number;
  /** A copy of the counts by command name. */
  byCommand(): Record<string, number>;
  reset(): void;
  /** Removes the middleware from the client. */
  detach(): void;
}

let counters = 0;

/**
 * Counts every command sent through the client (or through any document client built on it:
 * they share one middleware stack). Counted once per command, before the SDK's retries, so a
 * throttled-then-retried call counts once.
 */
export function attachRequestCounter(client: AnyDynamoClient): RequestCounter {
  const name = `firstseenRequestCounter${++counters}`;
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      counts.set(command, (counts.get(command) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name, priority: 'high' },
  );
  return {
    count: (commandName) =>
      commandName === undefined
        ? [...counts.values()].reduce((a, b) => a + b, 0)
        : (counts.get(commandName) ?? 0),
    byCommand: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}
