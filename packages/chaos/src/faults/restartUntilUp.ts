import { sleep } from '../sleep';

/** A killed process is replaced by a new one (cold start) until one comes up (DynamoDB may be down). */
export async function restartUntilUp(
  what: string,
  start: () => Promise<void>,
  stopping: () => boolean,
  write: (line: string) => void,
): Promise<void> {
  for (let attempt = 1; !stopping(); attempt++) {
    await sleep(300);
    try {
      await start();
      return;
    } catch (err) {
      if (attempt % 10 === 1) write(`  ${what} cold start failed (${String(err)}); retrying`);
    }
  }
}
