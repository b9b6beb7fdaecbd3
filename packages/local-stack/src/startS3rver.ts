import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK } from './freePort';

// s3rver 3.7.1 ships no type declarations; this is the part of its API used here.
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export interface S3rverOptions {
  /** Folder holding the buckets; default a fresh temporary folder, removed on stop. */
  directory?: string;
}

export interface LocalS3 {
  endpoint: string;
  port: number;
  directory: string;
  /** Closes the server (and its open connections); removes a temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/** Starts s3rver in this process on a free 127.0.0.1 port. Clients must use path-style addressing. */
export async function startS3rver(options: S3rverOptions = {}): Promise<LocalS3> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'firstseen-s3-')));
  const server = new S3rver({ address: LOOPBACK, port: 0, directory, silent: true, vhostBuckets: false });
  const { port } = await server.run();
  let stopped = false;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    port,
    directory,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
      if (ownDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}
