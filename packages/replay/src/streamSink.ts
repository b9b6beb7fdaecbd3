import { asEventBridgeEnvelope, type ObservedEvent } from '@firstseen/core';
import type { KinesisPublisher } from './KinesisPublisher';
import { partitionKeyOf } from './partitionKeyOf';
import type { ReplaySink } from './ReplaySink';

/**
 * `stream`: every observed record into Kinesis as an EventBridge envelope, as the organization
 * rule would have put it, for the live detector to process. Ignored and invalid records are
 * counted, not sent (nothing to learn from them). A resumed run may put the records of the
 * objects after the last checkpoint a second time; the detector's claims are idempotent.
 */
export function streamSink(publisher: KinesisPublisher): ReplaySink {
  const report = (summary: { stream?: KinesisPublisher['stats'] }) => {
    summary.stream = { ...publisher.stats };
  };
  return {
    mode: 'stream',
    async start(_state, ctx) {
      const previous = ctx.summary.stream;
      if (previous) Object.assign(publisher.stats, previous);
      report(ctx.summary);
    },
    async event(_event: ObservedEvent, value, ctx) {
      const envelope = asEventBridgeEnvelope(value);
      await publisher.add(Buffer.from(JSON.stringify(envelope), 'utf8'), partitionKeyOf(envelope));
      report(ctx.summary);
    },
    async flush(ctx) {
      await publisher.flush();
      report(ctx.summary);
    },
    snapshot() {
      return undefined;
    },
    async finish(ctx) {
      await publisher.flush();
      report(ctx.summary);
    },
    async close() {},
  };
}
