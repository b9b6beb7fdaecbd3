import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { type AccountInfo, type Alert, withAccountInfo } from '@firstseen/core';

/** Where simulate puts its alerts: the `--out` file, or a parallel replay's worker collecting them. */
export interface AlertOut {
  /** Bytes written so far (kept in a checkpoint). */
  readonly bytes: number;
  open(resumeBytes?: number): void;
  write(alert: Alert): void;
  flush(): void;
  close(): void;
}

/**
 * `--out FILE`: one alert JSON per line. Lines are buffered and written on flush; `bytes` is the
 * file length after the last flush, which a checkpoint records so that a resumed run truncates
 * the lines written after it and writes them again, exactly once. With `accounts` (the account
 * directory, read once at start) each line carries the alert's `accountInfo`: name, OU path, tags.
 */
export class AlertFileWriter implements AlertOut {
  private fd: number | undefined;
  private buffer: string[] = [];
  private bufferedBytes = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly accounts?: Readonly<Record<string, AccountInfo>>,
  ) {}

  /** Opens the file: empty for a fresh run, truncated to `resumeBytes` for a resumed one. */
  open(resumeBytes?: number): void {
    if (resumeBytes === undefined) {
      this.fd = openSync(this.path, 'w');
      this.bytes = 0;
    } else {
      this.fd = openSync(this.path, 'r+');
      ftruncateSync(this.fd, resumeBytes);
      this.bytes = resumeBytes;
    }
  }

  write(alert: Alert): void {
    const line = `${JSON.stringify(withAccountInfo(alert, this.accounts))}\n`;
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, this.bytes + done);
    this.bytes += data.length;
    this.buffer = [];
    this.bufferedBytes = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
