import { type DynamoDbLocal, startDynamoDbLocal } from '@firstseen/local-stack';

/** DynamoDB Local on disk (`-dbPath`), so that it can be stopped and started again on the same port with its tables. */
export class RestartableDynamoDbLocal {
  private constructor(
    private readonly dbPath: string,
    private current: DynamoDbLocal,
  ) {}

  static async start(dbPath: string): Promise<RestartableDynamoDbLocal> {
    return new RestartableDynamoDbLocal(dbPath, await startDynamoDbLocal({ dbPath }));
  }

  get endpoint(): string {
    return this.current.endpoint;
  }

  get port(): number {
    return this.current.port;
  }

  /** Stops the emulator and starts a new one on the same port and folder; clients simply reconnect. */
  async restart(): Promise<void> {
    const port = this.current.port;
    await this.current.stop();
    this.current = await startDynamoDbLocal({ dbPath: this.dbPath, port });
  }

  stop(): Promise<void> {
    return this.current.stop();
  }
}
