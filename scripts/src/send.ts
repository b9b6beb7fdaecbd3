import { createKinesisClient, publishEvents, readEventFile, readStateFile } from '@firstseen/local-stack';

// `npm run send -- <file>`: put a file's events on the running local stack's stream (npm start).
async function main(): Promise<number> {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('usage: npm run send -- <file.ndjson|file.json> [more files]\n');
    return 2;
  }
  const state = await readStateFile();
  const kinesis = createKinesisClient(state.endpoints.kinesis);
  try {
    for (const file of files) {
      const events = await readEventFile(file);
      const published = await publishEvents(kinesis, state.streamName, events);
      process.stdout.write(`${file}: ${published.length} events put on ${state.streamName}\n`);
    }
  } finally {
    kinesis.destroy();
  }
  process.stdout.write('Alerts appear in the `npm start` terminal.\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm run send failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
