import { rm } from 'node:fs/promises';
import { type LocalStack, removeStateFile } from '@firstseen/local-stack';

/**
 * Stops what one run started, in reverse order: the pipeline, the state and config files this
 * run wrote (only its own: another `npm start` may be running beside an interrupted one), then
 * the emulators. Idempotent.
 */
export class Shutdown {
  private readonly stoppers: (() => Promise<void>)[] = [];
  private readonly files: (() => Promise<unknown>)[] = [];
  private stopped = false;

  constructor(private readonly stack: LocalStack) {}

  /** Stopped before the files and the emulators, the last added first. */
  onStop(stopper: () => Promise<void>): void {
    this.stoppers.push(stopper);
  }

  /** The state file and the config file written for the other commands, removed on stop. */
  removeOnStop(statePath: string, configPath: string): void {
    this.files.push(
      () => removeStateFile(statePath),
      () => rm(configPath, { force: true }),
    );
  }

  readonly stop = async (): Promise<void> => {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of this.stoppers.splice(0).reverse()) await s().catch(() => undefined);
    for (const remove of this.files.splice(0)) await remove().catch(() => undefined);
    await this.stack.stop();
  };
}
