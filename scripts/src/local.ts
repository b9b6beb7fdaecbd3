import { FirstseenError } from '@firstseen/core';
import { startLocalDemo } from '@firstseen/local-stack';

// `npm start [-- --once]`: the whole pipeline on this machine (packages/local-stack/README.md).
async function main(): Promise<number> {
  const once = process.argv.includes('--once');
  const demo = await startLocalDemo();
  if (once) {
    await demo.stop();
    return demo.ok ? 0 : 1;
  }
  process.stdout.write(
    [
      'The pipeline keeps running. Send your own events from another terminal:',
      '  npm run send -- <file>   (NDJSON or JSON: CloudTrail records, EventBridge envelopes, or {"Records": [...]})',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('\nStopping the pollers and emulators...\n');
  await demo.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Our own errors (a bad destination, a missing secret, Java missing) say what to fix in
    // one line; anything else keeps its stack for a bug report.
    const known = err instanceof FirstseenError;
    const text = err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(`npm start failed: ${text}\n`);
    process.exit(1);
  },
);
