import { parseCommandLine, UsageError } from '@firstseen/core';
import {
  createKinesisClient,
  describeLocalStack,
  LocalStackError,
  publishEvents,
  readStateFile,
} from '@firstseen/local-stack';
import {
  BadObjectError,
  createObjectSource,
  parseObject,
  parseSourceSpec,
  ReplayArgumentError,
  SourceAccessError,
} from '@firstseen/replay';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run send -- <input> [more inputs]

Puts the events of each input on the stream of the running local stack (\`npm start\`).
<input> is what \`npm run replay\` reads: a .json, .json.gz, .ndjson or .ndjson.gz file (CloudTrail
records, EventBridge envelopes, or a CloudTrail log file's {"Records": [...]}), a directory of
them, or - for NDJSON on stdin.`;

/** Every input read and parsed before anything is sent: a bad line sends nothing. */
async function readInputs(inputs: string[]): Promise<{ input: string; events: Record<string, unknown>[] }[]> {
  const read: { input: string; events: Record<string, unknown>[] }[] = [];
  for (const input of inputs) {
    const spec = parseSourceSpec(input);
    if (spec.kind === 's3') {
      throw new UsageError(
        `${input}: send reads local files; for S3 use \`npm run replay -- ${input} --mode stream\``,
      );
    }
    const source = createObjectSource(spec, () => {
      throw new UsageError('no S3 source');
    });
    const objects = await source.list();
    if (objects.length === 0) throw new SourceAccessError(`${input}: no .json, .ndjson (or .gz) files`);
    const events: Record<string, unknown>[] = [];
    for (const object of objects) {
      for (const value of parseObject(object.key, await source.read(object))) {
        if (!value.ok)
          throw new SourceAccessError(`${input}: ${object.key}: ${value.detail}; nothing was sent`);
        if (typeof value.value !== 'object' || value.value === null || Array.isArray(value.value)) {
          throw new SourceAccessError(
            `${input}: ${object.key}: holds a value that is not a JSON object; nothing was sent`,
          );
        }
        events.push(value.value as Record<string, unknown>);
      }
    }
    read.push({ input, events });
  }
  return read;
}

runCommand(
  {
    name: 'send',
    usage: USAGE,
    usageErrors: [ReplayArgumentError],
    inputErrors: [SourceAccessError, BadObjectError, LocalStackError],
    async run(argv) {
      const { positionals } = parseCommandLine(argv, {}, true);
      if (positionals.length === 0) throw new UsageError('give at least one <input>');
      const inputs = await readInputs(positionals);
      const state = await readStateFile();
      process.stderr.write(`send: ${describeLocalStack(state, { streamName: state.streamName })}\n`);
      const kinesis = createKinesisClient(state.endpoints.kinesis);
      try {
        for (const { input, events } of inputs) {
          const published = await publishEvents(kinesis, state.streamName, events);
          process.stdout.write(`${input}: ${published.length} events put on ${state.streamName}\n`);
        }
      } finally {
        kinesis.destroy();
      }
      process.stdout.write('Alerts appear in the `npm start` terminal.\n');
      return 0;
    },
  },
  { exit: true },
);
