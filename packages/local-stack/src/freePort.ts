import { createServer } from 'node:net';

/** The loopback address every emulator binds to; nothing listens beyond it. */
export const LOOPBACK = '127.0.0.1';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago. Another process can take it before the
 * caller binds it, so callers that cannot bind port 0 themselves (DynamoDB Local) retry.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
