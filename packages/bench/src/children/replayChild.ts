/**
 * Child of replayThroughput.ts: `npm run replay -- <source> --mode simulate` in-process (the
 * replay package's runReplay with its simulate sink, default config), reporting records/s and
 * this process's peak RSS.
 */
import { parseConfig } from '@firstseen/core';
import { LocalObjectSource, type ObjectSource, runReplay, simulateSink } from '@firstseen/replay';
import { NdjsonChunkSource } from '../NdjsonChunkSource';

const arg = JSON.parse(process.argv[2] ?? '{}') as { dir?: string; ndjson?: string };

async function main(): Promise<void> {
  const config = parseConfig({});
  const source: ObjectSource =
    arg.ndjson !== undefined ? new NdjsonChunkSource(arg.ndjson) : new LocalObjectSource(arg.dir ?? '.');
  const rssBefore = process.resourceUsage().maxRSS;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const summary = await runReplay({ config }, { source, sink: simulateSink({ config }) });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({
      records: summary.records,
      observed: summary.observed,
      alerts: summary.alerts,
      files: summary.files,
      seconds,
      cpuSeconds,
      // Records per CPU-second of this single-threaded process: one core's throughput, which a
      // loaded machine's wall clock would understate.
      eventsPerSec: summary.records / cpuSeconds,
      eventsPerWallSec: summary.records / seconds,
      peakRssMiB,
      rssBeforeMiB: rssBefore / 1024,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
