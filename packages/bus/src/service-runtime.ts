import { subjectsFor, type ServiceName, type Subjects } from '@simpul/contracts';
import {
  AdvisoryLock,
  applyMigrations,
  ensureDatabase,
  type Database,
  type Lifecycle,
  type Logger,
  type OpenDatabaseOptions,
  type TokenDenyList,
} from '@simpul/kit';
import { busState, connectBus, type NatsConnection } from './connection.ts';
import { setUpEventStream } from './event-stream-setup.ts';
import { platformInboxPrefix } from './platform-credentials.ts';
import type { GraphQLResponder, HealthReport } from './graphql-responder.ts';
import { OutboxRelay } from './outbox.ts';
import { SqlOutboxStore, type RawSql } from './outbox-sql.ts';
import { createTokenDenyList, followTokenRevocations } from './token-revocations.ts';

/** How long start-up waits for the revocations already on the stream before serving anyway. */
const REVOCATIONS_READY_WAIT_MS = 10_000;

export interface ServiceRuntimeOptions<P extends RawSql> {
  service: ServiceName;
  env: {
    NATS_URL: string;
    NATS_NKEY_SEED_FILE?: string | undefined;
    NATS_STREAM_REPLICAS?: number;
    SIMPUL_NAMESPACE: string;
    DATABASE_POOL_SIZE: number;
    DATABASE_TIMEOUT_MS: number;
  };
  /** The service's own database (`simpul_<service>` unless DATABASE_URL names one). */
  databaseUrl: string;
  migrationsDir: string;
  /** The service's db.ts `openDatabase`, over its own generated Prisma client. */
  openDatabase: (url: string, options: OpenDatabaseOptions) => Database<P>;
  logger: Logger;
  /** Where the parts register their shutdown, in reverse order of start. */
  lifecycle: Lifecycle;
  /** How often the outbox relay looks for unpublished events besides being nudged (the relay's default when unset). */
  outboxIntervalMs?: number | undefined;
}

/** Start options every service takes (each adds its own). */
export interface ServiceStartOptions {
  /** Defaults to a JSON logger named after the service at LOG_LEVEL. */
  logger?: Logger;
  /** How often the outbox relay looks for unpublished events besides being nudged. */
  outboxIntervalMs?: number;
}

/** A started service as its `start<Service>Service` returns it (tests reach into it). */
export interface RunningService<P, Stores, Managers> {
  /** Stops answering, drains NATS, closes the database; safe to call twice. */
  stop(): Promise<void>;
  prisma: P;
  relay: OutboxRelay;
  responder: GraphQLResponder;
  nc: NatsConnection;
  subjects: Subjects;
  stores: Stores;
  managers: Managers;
  /** The database this instance uses (`simpul_<service>` unless DATABASE_URL names one). */
  databaseUrl: string;
  health(): Promise<HealthReport>;
}

/** What every service stands on: its database, the bus, its outbox relay and its health. */
export interface ServiceRuntime<P> {
  prisma: P;
  nc: NatsConnection;
  subjects: Subjects;
  /** Created, not started: a service starts it once its demo data (if any) is written. */
  relay: OutboxRelay;
  /** The database and NATS as this instance sees them; `degraded` when either is not usable. */
  health(): Promise<HealthReport>;
  /** Tokens identity revoked, kept current from its events: give it to the service's token verifier. */
  denyList: TokenDenyList;
}

/**
 * Brings up what every service needs before its own parts: the database (created and
 * migrated when needed), a Prisma client over a bounded pool, the NATS connection, the
 * event stream and the outbox relay. Each part registers its shutdown with the given
 * lifecycle as soon as it exists, so a failure half-way stops what was started.
 */
export async function openServiceRuntime<P extends RawSql>(options: ServiceRuntimeOptions<P>): Promise<ServiceRuntime<P>> {
  const { service, env, databaseUrl: url, logger, lifecycle } = options;
  const subjects = subjectsFor(env.SIMPUL_NAMESPACE);

  const created = await ensureDatabase(url);
  const migrated = await applyMigrations(url, options.migrationsDir);
  logger.info({ database: new URL(url).pathname.slice(1), created: created === 'created', migrations: migrated }, 'database ready');

  const database = options.openDatabase(url, { poolSize: env.DATABASE_POOL_SIZE, timeoutMs: env.DATABASE_TIMEOUT_MS });
  lifecycle.onShutdown('database', () => database.close());
  const { prisma } = database;

  const nc = await connectBus({
    url: env.NATS_URL,
    name: service,
    logger,
    seedFile: env.NATS_NKEY_SEED_FILE,
    inboxPrefix: platformInboxPrefix(subjects, service),
  });
  lifecycle.onShutdown('nats', () => nc.drain());
  await setUpEventStream(nc, subjects, { replicas: env.NATS_STREAM_REPLICAS ?? 1, logger });

  const denyList = createTokenDenyList();
  const revocations = followTokenRevocations({ nc, subjects, denyList, logger: logger.child({ component: 'token-revocations' }) });
  lifecycle.onShutdown('token revocations', () => revocations.stop());
  await waitForRevocations(revocations.ready, logger);

  // One relay of all the service's instances drains at a time (see OutboxRelay).
  const relayLock = new AdvisoryLock(url, 'simpul.outbox-relay');
  lifecycle.onShutdown('outbox relay lock', () => relayLock.close());
  const relay = new OutboxRelay({
    nc,
    store: new SqlOutboxStore(prisma),
    lock: relayLock,
    logger: logger.child({ component: 'outbox' }),
    ...(options.outboxIntervalMs !== undefined ? { intervalMs: options.outboxIntervalMs } : {}),
  });

  async function health(): Promise<HealthReport> {
    const checks: Record<string, string> = {};
    try {
      await prisma.$queryRawUnsafe('SELECT 1');
      checks.database = 'ok';
    } catch (error) {
      checks.database = (error as Error).message;
    }
    const nats = busState(nc);
    checks.nats = nats === 'connected' ? 'ok' : nats;
    const outbox = checks.database === 'ok' ? await outboxBacklog(prisma) : undefined;
    return { status: Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'degraded', checks, ...(outbox ? { outbox } : {}) };
  }

  return { prisma, nc, subjects, relay, health, denyList };
}

/** Events not yet published, for the operators' console (undefined when it cannot be read). */
async function outboxBacklog(db: RawSql): Promise<HealthReport['outbox']> {
  try {
    const [row] = await db.$queryRawUnsafe<{ pending: number; oldest: Date | null }[]>(
      'SELECT count(*)::int AS pending, min("createdAt") AS oldest FROM "OutboxEvent" WHERE "publishedAt" IS NULL',
    );
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest ? new Date(row.oldest).toISOString() : null };
  } catch {
    return undefined;
  }
}

/**
 * Waits (bounded) until the revocations already on the stream are known, so a fresh
 * instance does not accept a token that was revoked before it started.
 */
export async function waitForRevocations(ready: Promise<void>, logger: Logger, timeoutMs = REVOCATIONS_READY_WAIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
  const late = await Promise.race([ready.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) logger.warn({ timeoutMs }, 'token revocations not replayed yet; serving meanwhile');
}
