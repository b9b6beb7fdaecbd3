import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackDelivery {
  /** Epoch ms when the request body had fully arrived. */
  at: number;
  raw: string;
}

export interface SlackReceiver {
  /** Incoming-webhook URL on 127.0.0.1. */
  url: string;
  deliveries: SlackDelivery[];
  stop(): Promise<void>;
}

/** A Slack incoming webhook on 127.0.0.1 and a free port: answers 200 `ok` and records each message. */
export async function startSlackReceiver(clock: () => number = Date.now): Promise<SlackReceiver> {
  const deliveries: SlackDelivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ at: clock(), raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    deliveries,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
