/**
 * The entry of a parallel replay's worker thread: started before the objects are listed (its
 * ports in workerData), it waits for its part (PostedPart: WorkerInit without the ports, its
 * objects packed), runs it (replayPart.ts) and posts the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type PostedPart, unpackObjects, type WorkerMessage, type WorkerStart } from './protocol';
import { runReplayPart } from './replayPart';

const { peers } = workerData as WorkerStart;
parentPort!.once('message', (part: PostedPart) => {
  runReplayPart({ ...part, objects: unpackObjects(part.objects), peers }, (m) =>
    parentPort!.postMessage(m),
  ).then(
    (result) => parentPort!.postMessage({ t: 'result', part: result } satisfies WorkerMessage),
    (err: unknown) => {
      parentPort!.postMessage({
        t: 'error',
        message: (err as Error)?.message ?? String(err),
      } satisfies WorkerMessage);
      process.exitCode = 1;
      for (const p of peers) p?.close();
    },
  );
});
