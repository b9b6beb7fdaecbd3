import {
  type CheckpointStore,
  compareSequence,
  LocalStackError,
  type PublishedEvent,
} from '@firstseen/local-stack';
import { DemoInterruptedError } from './errors';

/** The events, until the start-up is interrupted (seeding takes up to a minute). */
export function* untilInterrupted<T>(signal: AbortSignal | undefined, events: Iterable<T>): Generator<T> {
  for (const e of events) {
    if (signal?.aborted) throw new DemoInterruptedError();
    yield e;
  }
}

/** Polls `done` every 100 ms until it holds; past `timeoutMs` the pipeline did not catch up. */
export async function waitFor(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: () => string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (signal?.aborted) throw new DemoInterruptedError();
    if (Date.now() > deadline) throw new LocalStackError(`the pipeline did not catch up: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until every shard's checkpoint has passed the last record published to it. */
export async function waitForCheckpoints(
  checkpoints: CheckpointStore,
  published: PublishedEvent[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const last = new Map<string, string>();
  for (const p of published) {
    const prev = last.get(p.shardId);
    if (prev === undefined || compareSequence(p.sequenceNumber, prev) > 0)
      last.set(p.shardId, p.sequenceNumber);
  }
  const caughtUp = async () => {
    for (const [shard, seq] of last) {
      const cp = await checkpoints.get(shard);
      if (cp === undefined || compareSequence(cp, seq) < 0) return false;
    }
    return true;
  };
  await waitFor(caughtUp, timeoutMs, () => 'the detector has not processed every record', signal);
}
