/**
 * Child of replayScaling.ts: one replay of a folder, `--mode simulate` (explanations on, alerts to
 * `--out`, as `npm run replay` runs it) or `--mode seed` (into an in-memory baseline), with
 * `--workers N` (1: runReplay in this thread). Reports records per wall-clock second and the
 * process's peak RSS (the worker threads' memory included).
 */
import { join } from 'node:path';
import { InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import { AlertFileWriter, LocalObjectSource, runReplay, seedSink, simulateSink } from '@firstseen/replay';
import { runParallelReplay } from '@firstseen/replay/src/parallel';

const arg = JSON.parse(process.argv[2] ?? '{}') as {
  dir: string;
  mode: 'seed' | 'simulate';
  workers: number;
  /** Names the alerts file apart (two children run at once for the ceiling). */
  tag?: string;
};

async function main(): Promise<void> {
  const config = parseConfig({});
  const out = new AlertFileWriter(
    join(arg.dir, '..', `alerts-${arg.mode}-${arg.workers}${arg.tag ?? ''}.ndjson`),
  );
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let summary: Awaited<ReturnType<typeof runReplay>>;
  if (arg.workers === 1 && !process.env.PAR1) {
    const source = new LocalObjectSource(arg.dir);
    if (arg.mode === 'seed') {
      summary = await runReplay(
        { config },
        { source, sink: seedSink({ config, target: new InMemoryBaselineStore() }) },
      );
    } else {
      const explainer = new Explainer({ store: new InMemoryExplainStore() });
      const sink = simulateSink({ config, context: explainer.context, observer: explainer.observe, out });
      summary = await runReplay({ config }, { source, sink });
    }
  } else {
    summary = await runParallelReplay({
      mode: arg.mode,
      config,
      source: { kind: 'path', path: arg.dir },
      workers: arg.workers,
      ...(arg.mode === 'seed' ? { seedTarget: new InMemoryBaselineStore() } : { out }),
    });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({
      records: summary.records,
      alerts: summary.alerts,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      eventsPerSec: summary.records / seconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
