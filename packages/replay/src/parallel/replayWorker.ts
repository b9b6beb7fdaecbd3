/** The entry of a parallel replay's worker thread: runs its part (replayPart.ts) and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerMessage } from './protocol';
import { runReplayPart } from './replayPart';

const init = workerData as WorkerInit;
runReplayPart(init, (m) => parentPort!.postMessage(m)).then(
  (part) => parentPort!.postMessage({ t: 'result', part } satisfies WorkerMessage),
  (err: unknown) => {
    parentPort!.postMessage({
      t: 'error',
      message: (err as Error)?.message ?? String(err),
    } satisfies WorkerMessage);
    process.exitCode = 1;
    for (const p of init.peers) p?.close();
  },
);
