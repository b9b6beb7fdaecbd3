import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP gate on a fixed 127.0.0.1 port in front of a local receiver: open, it forwards every
 * connection; closed, nothing listens on the port, so clients get ECONNREFUSED, as from a
 * service that is down. The port stays the same across close/open, like a real endpoint.
 */
export class ReceiverGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async open(targetPort: number): Promise<ReceiverGate> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const gate = new ReceiverGate(port, targetPort);
    await gate.setOpen(true);
    return gate;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  async setOpen(open: boolean): Promise<void> {
    if (open === this.isOpen) return;
    if (!open) {
      const server = this.server!;
      this.server = undefined;
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return;
    }
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  close(): Promise<void> {
    return this.setOpen(false);
  }
}
