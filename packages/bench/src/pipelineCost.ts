import { Writable } from 'node:stream';
import { type Config, DetectionEngine, InMemoryBaselineStore } from '@firstseen/core';
import { type CostEstimate, estimateMonthlyCost, type PipelineMeasurements } from '@firstseen/cost';
import { InMemoryAlertOutbox, InMemoryQuarantine, processKinesisBatch } from '@firstseen/detector';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import type { KinesisStreamEvent } from 'aws-lambda';
import pino from 'pino';

export interface PipelineCostResult {
  records: number;
  batches: number;
  alerts: number;
  /** Detector CPU per record through processKinesisBatch (in-memory stores: no network time). */
  detectorCpuMsPerRecord: number;
  /** What the detector logs at the default level: per batch (summary and EMF metrics lines) and the rest per 1,000 records. */
  logBytes: { perBatch: number; per1kEvents: number; total: number };
  /** Mean size of one record as Kinesis carries it (the EventBridge envelope, JSON). */
  recordBytes: number;
  /** The whole monthly bill at 1 billion events a day with these measurements (`npm run cost` defaults otherwise). */
  monthlyUsdAt1BEventsPerDay: CostEstimate['monthlyUsd'];
}

/** Counts the bytes logged, and apart the bytes of the per-batch summary lines. */
class CountingStream extends Writable {
  bytes = 0;
  summaryBytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      const size = Buffer.byteLength(line) + 1;
      this.bytes += size;
      if ((JSON.parse(line) as { msg?: string }).msg === 'batch processed') this.summaryBytes += size;
    }
    done();
  }
}

const BATCH_SIZE = 100;

/**
 * The figures `npm run cost` takes from the pipeline, measured on the bench's workload: the
 * real detector (`processKinesisBatch`, explanations on) over in-memory stores, in batches of
 * 100 base64 envelopes as Lambda delivers them, logging at info into a byte counter.
 */
export async function measurePipelineCost(
  payloads: readonly string[],
  config: Config,
  ddbRequestsPer1kEvents: number,
): Promise<PipelineCostResult> {
  const logStream = new CountingStream();
  const logger = pino({ level: 'info', base: { service: 'firstseen-detector' } }, logStream);
  let metricBytes = 0;
  const explainer = new Explainer({ store: new InMemoryExplainStore() });
  const outbox = new InMemoryAlertOutbox();
  const deps = {
    engine: new DetectionEngine({
      store: new InMemoryBaselineStore(),
      config,
      observer: explainer.observe,
      context: explainer.context,
    }),
    outbox,
    quarantine: new InMemoryQuarantine(),
    logger,
    metrics: (line: string) => {
      metricBytes += Buffer.byteLength(line) + 1;
    },
    config,
    clock: Date.now,
  };
  let batches = 0;
  const started = process.cpuUsage();
  for (let i = 0; i < payloads.length; i += BATCH_SIZE) {
    const event: KinesisStreamEvent = {
      Records: payloads.slice(i, i + BATCH_SIZE).map((data, j) => ({
        eventID: `shardId-000000000000:${i + j}`,
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::111122223333:role/firstseen-detector',
        awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/firstseen-events',
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'bench',
          sequenceNumber: String(1e20 + i + j),
          data,
          approximateArrivalTimestamp: 1,
        },
      })),
    };
    await processKinesisBatch(event, deps as Parameters<typeof processKinesisBatch>[1]);
    batches++;
  }
  const cpu = process.cpuUsage(started);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const records = payloads.length;
  const recordBytes =
    payloads.reduce((sum, p) => sum + Buffer.from(p, 'base64').length, 0) / Math.max(1, records);
  const perBatch = (logStream.summaryBytes + metricBytes) / Math.max(1, batches);
  const otherBytes = logStream.bytes - logStream.summaryBytes;
  const measurements: Partial<PipelineMeasurements> = {
    ddbWritesPer1kEvents: ddbRequestsPer1kEvents,
    alertsPer1kEvents: (outbox.alerts.size / records) * 1000,
    detectorCpuMsPerRecord: cpuMs / records,
    logBytesPerBatch: perBatch,
    logBytesPer1kEvents: (otherBytes / records) * 1000,
    recordBytes,
  };
  const estimate = estimateMonthlyCost({ eventsPerDay: 1e9 }, measurements);
  return {
    records,
    batches,
    alerts: outbox.alerts.size,
    detectorCpuMsPerRecord: cpuMs / records,
    logBytes: { perBatch, per1kEvents: (otherBytes / records) * 1000, total: logStream.bytes + metricBytes },
    recordBytes,
    monthlyUsdAt1BEventsPerDay: estimate.monthlyUsd,
  };
}
