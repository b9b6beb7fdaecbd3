import { Presets, SingleBar } from 'cli-progress';
import type { ReplayProgress } from './runReplay';

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a terminal (default 10). */
  intervalSec?: number;
  clock?: () => number;
}

function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  if (sec < 90) return `${Math.round(sec)}s`;
  if (sec < 5400) return `${Math.round(sec / 60)}m`;
  return `${(sec / 3600).toFixed(1)}h`;
}

/** A cli-progress bar with rate and ETA on a terminal; plain periodic lines otherwise. */
export function createProgress(options: ProgressOptions): ReplayProgress {
  const clock = options.clock ?? Date.now;
  let started = 0;
  let startDone = 0;
  let total = 0;
  let lastLine = 0;
  const rate = (records: number) => records / Math.max(0.001, (clock() - started) / 1000);
  const eta = (done: number) => {
    const per = (clock() - started) / 1000 / Math.max(1, done - startDone);
    return duration(per * (total - done));
  };
  if (options.stream.isTTY) {
    const bar = new SingleBar(
      {
        stream: options.stream,
        format:
          'replay {bar} {value}/{total} objects | {records} records | {rate} rec/s | ETA {eta_formatted}',
        etaBuffer: 50,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    return {
      start(t, done) {
        started = clock();
        startDone = done;
        total = t;
        bar.start(t, done, { records: 0, rate: 0 });
      },
      update(done, records) {
        bar.update(done, { records, rate: Math.round(rate(records)) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const interval = (options.intervalSec ?? 10) * 1000;
  return {
    start(t, done) {
      started = clock();
      lastLine = started;
      startDone = done;
      total = t;
    },
    update(done, records) {
      const now = clock();
      if (now - lastLine < interval && done < total) return;
      lastLine = now;
      options.stream.write(
        `replay: ${done}/${total} objects, ${records} records, ${Math.round(rate(records))} records/s, ETA ${eta(done)}\n`,
      );
    },
    stop() {},
  };
}
