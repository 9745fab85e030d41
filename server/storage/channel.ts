/**
 * One PostgreSQL `LISTEN` channel on a connection of its own (never one of a pool's, so closing
 * the pool never waits for it), which comes back when it is lost: reconnecting with backoff
 * (100 ms doubling to 5 s), and calling `connected` after every connect so the owner can catch up
 * on what was committed while nobody listened. The event stream and the seed settings use it.
 */
import pg from 'pg';

export interface ChannelOptions {
  /** How to reach the database (the storage's own connection settings). */
  client: pg.ClientConfig;
  channel: string;
  /** What the log lines call it (`event listener`, …). */
  name: string;
  /** What `pg_stat_activity` calls the connection. */
  applicationName: string;
  notified(): void;
  /** After every connect, the first one too. */
  connected(): void;
  log(message: string): void;
}

export class ChannelListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private delay = 100;
  private closed = false;

  constructor(private readonly options: ChannelOptions) {}

  /** Connects and listens; rejects when that fails (the caller decides whether to go on). */
  async start(): Promise<void> {
    const { options } = this;
    const client = new pg.Client({
      ...options.client,
      application_name: options.applicationName,
      keepAlive: true,
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (this.closed) return;
      options.log(
        `[parley] PostgreSQL ${options.name} lost (${error?.message ?? 'connection ended'}); reconnecting.`,
      );
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === options.channel) options.notified();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${options.channel}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.delay = 100;
    options.connected();
  }

  /** Stops listening; resolves once the connection is closed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('notification');
      await client.end().catch(() => {});
    }
  }

  private reconnect(): void {
    if (this.closed || this.retry) return;
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, 5000);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.start().catch((error: unknown) => {
        this.options.log(
          `[parley] PostgreSQL ${this.options.name} could not reconnect: ${(error as Error).message}`,
        );
        this.reconnect();
      });
    }, delay);
    this.retry.unref();
  }
}
