import pg from 'pg';

/** What the holder of a lock may ask while it works. */
export interface LockLease {
  /** False once the lock's connection broke: the lock is gone and another instance may take it. */
  held(): boolean;
}

export type LockAttempt<T> = { acquired: true; value: T } | { acquired: false };

export interface AdvisoryLockOptions {
  /** How long a connection attempt may take (default 5 s). */
  connectTimeoutMs?: number;
  /** How often `withLock` asks again while another instance holds the lock (default 250 ms). */
  pollMs?: number;
}

/**
 * Work that must happen once per platform even when several instances of a service run
 * (the outbox relay, the registry's duplicate analysis) takes a PostgreSQL advisory lock
 * named after the work, in the service's own database. Why an advisory lock: every
 * service already has its database, the lock dies with its connection (a killed
 * instance never leaves a stale lease to expire, unlike a JetStream KV lease), and no
 * table or row is held while the work talks to NATS.
 *
 * The lock is session-level, on a connection of its own (not the Prisma pool, whose
 * connections change between queries). PostgreSQL lets one session take the same lock
 * twice, so this process also keeps a local flag: two callers in one process exclude
 * each other too. If the connection breaks while the work runs, `lease.held()` turns
 * false, and the work should stop before its next step.
 */
export class AdvisoryLock {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private busy = false;
  private lost = false;

  constructor(
    private readonly url: string,
    /** The work's name; instances that use the same name in the same database exclude each other. */
    readonly name: string,
    private readonly options: AdvisoryLockOptions = {},
  ) {}

  /** Runs `fn` holding the lock, or returns `{ acquired: false }` at once when another holds it. */
  async tryWithLock<T>(fn: (lease: LockLease) => Promise<T>): Promise<LockAttempt<T>> {
    if (this.busy) return { acquired: false };
    this.busy = true;
    try {
      const client = await this.connection();
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.name]);
      if (!result.rows[0]?.locked) return { acquired: false };
      this.lost = false;
      try {
        return { acquired: true, value: await fn({ held: () => !this.lost && this.client === client }) };
      } finally {
        // A broken connection released the lock already; unlocking on it would only fail.
        if (this.client === client && !this.lost) {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.name]).catch(() => this.discard(client));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Waits (up to `waitMs`) until the lock is free, then runs `fn` holding it. */
  async withLock<T>(fn: (lease: LockLease) => Promise<T>, waitMs = 120_000): Promise<T> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const attempt = await this.tryWithLock(fn);
      if (attempt.acquired) return attempt.value;
      if (Date.now() > deadline) throw new Error(`Another instance held the lock "${this.name}" for more than ${Math.round(waitMs / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 250));
    }
  }

  /** Closes the lock's connection (releasing the lock if held). */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5_000 });
      // A server restart or a cut ends the session, and with it the lock.
      client.on('error', () => this.discard(client));
      client.on('end', () => this.discard(client));
      await client.connect();
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private discard(client: pg.Client): void {
    if (this.client !== client) return;
    this.lost = true;
    this.client = undefined;
    void client.end().catch(() => undefined);
  }
}
