import type { Server } from 'node:http';
import { LOOPBACK } from './freePort';

type KinesaliteFactory = (options: Record<string, unknown>) => Server;

export interface KinesaliteOptions {
  /** Simulated CreateStream/DeleteStream/UpdateShardCount durations; default 0 (instant). */
  streamLatencyMs?: number;
  /** Shard limit per account; default 1000. */
  shardLimit?: number;
}

export interface LocalKinesis {
  endpoint: string;
  port: number;
  /** Closes the server and its open connections. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts kinesalite in this process (in-memory) on a free 127.0.0.1 port. Its clients need an
 * HTTP/1.1 `NodeHttpHandler` from @smithy/node-http-handler (see `createKinesisClient`).
 */
export async function startKinesalite(options: KinesaliteOptions = {}): Promise<LocalKinesis> {
  const kinesalite = require('kinesalite') as KinesaliteFactory;
  const latency = options.streamLatencyMs ?? 0;
  const server = kinesalite({
    createStreamMs: latency,
    deleteStreamMs: latency,
    updateStreamMs: latency,
    shardLimit: options.shardLimit ?? 1000,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let stopped = false;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
