import { quarantineKey } from './quarantineObject';
import type { Quarantine, QuarantineItem } from './types';

/** A quarantine in process memory (tests, local runs), keyed like S3Quarantine. */
export class InMemoryQuarantine implements Quarantine {
  readonly items = new Map<string, QuarantineItem>();

  async put(item: QuarantineItem): Promise<void> {
    this.items.set(quarantineKey(item), item);
  }
}
