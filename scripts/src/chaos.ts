import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatChaosReport, runChaos } from '@firstseen/chaos';

// npm run chaos -- [--seed S] [--json] [--trace FILE]: the pipeline on the local stack under injected faults.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      hours: { type: 'string' },
      'publish-seconds': { type: 'string' },
      trace: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const hours = values.hours !== undefined ? Number(values.hours) : undefined;
  const publishSeconds =
    values['publish-seconds'] !== undefined ? Number(values['publish-seconds']) : undefined;
  for (const [name, v] of [
    ['--hours', hours],
    ['--publish-seconds', publishSeconds],
  ] as const) {
    if (v !== undefined && !(v > 0)) throw new Error(`${name} must be a positive number`);
  }
  // --trace FILE: every detection (reference and detector processes) as NDJSON, for mismatches.
  const trace = values.trace !== undefined ? createWriteStream(values.trace) : undefined;
  if (trace) await once(trace, 'open'); // a path that cannot be written fails here, before the run
  // A write that fails later (a full disk) must not crash the run before its cleanups: it is
  // kept and reported once the run is over.
  let traceError: Error | undefined;
  trace?.on('error', (err) => {
    traceError ??= err;
  });
  const report = await runChaos({
    seed,
    ...(hours !== undefined ? { hours } : {}),
    ...(publishSeconds !== undefined ? { publishMs: publishSeconds * 1000 } : {}),
    write: (line) => process.stderr.write(`${line}\n`),
    ...(trace ? { onDetection: (entry) => trace.write(`${JSON.stringify(entry)}\n`) } : {}),
  });
  if (trace) await new Promise<void>((resolve) => trace.end(() => resolve()));
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(formatChaosReport(report));
  process.exitCode = report.ok ? 0 : 1;
  if (traceError) {
    process.stderr.write(`chaos: --trace ${values.trace} is incomplete: ${traceError.message}\n`);
    process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
