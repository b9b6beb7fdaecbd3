import type { DetectorDeps } from '@firstseen/detector';
import type { BadObjectReason } from '@firstseen/replay';
import type { TrailObject } from './trailNotification';

/** Why a whole file (or a message) was set aside rather than read. */
export type BadFileReason = BadObjectReason | 'bad-json' | 'bad-notification';

/** A log file, or a notification, that cannot be processed: kept with its key, then acknowledged. */
export interface BadTrailFile {
  reason: BadFileReason;
  detail: string;
  /** The object's bucket and key; for a bad notification, the queue message's id instead. */
  bucket?: string;
  key?: string;
  messageId: string;
}

/** Where bad files go. Writing the same file twice must be harmless (a redelivery). */
export interface TrailFileQuarantine {
  put(file: BadTrailFile): Promise<void>;
}

export interface TrailReaderDeps {
  /** The detector's collaborators: the same engine, outbox, quarantine and metrics. */
  detector: DetectorDeps;
  /** GetObject's body. Throws the SDK's error on failure. */
  readObject(object: TrailObject): Promise<Uint8Array>;
  files: TrailFileQuarantine;
  /** Files read at once (default 4). */
  readConcurrency?: number;
}
