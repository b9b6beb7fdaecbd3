import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES } from './constants';
import { handleTriageRequest, type TriageDeps } from './handleTriageRequest';

export interface TriageServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Reads at most `limit` + 1 bytes: enough to know a body is too large without buffering it all. */
async function readBounded(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const c = chunk as Buffer;
    size += c.length;
    chunks.push(c);
    if (size > limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit + 1);
}

/**
 * The triage endpoint as a local HTTP server on 127.0.0.1 (the local stack and tests; in AWS
 * the Lambda function URL plays this part). POST only; every request goes through
 * handleTriageRequest, so the same checks apply.
 */
export function startTriageServer(options: { port?: number; deps: TriageDeps }): Promise<TriageServer> {
  const limit = options.deps.maxBodyBytes ?? MAX_BODY_BYTES;
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end();
        return;
      }
      const body = await readBounded(req, limit);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const out = await handleTriageRequest(
        { headers, body: body.toString('base64'), isBase64Encoded: true },
        options.deps,
      );
      res.writeHead(out.statusCode, out.headers).end(out.body);
    } catch (err) {
      options.deps.logger.error({ err }, 'triage request failed');
      if (!res.headersSent) res.writeHead(500).end('internal error');
      else res.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
