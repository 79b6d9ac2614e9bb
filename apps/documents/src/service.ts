import { fileURLToPath } from 'node:url';
import {
  connectBus,
  createBusTokenVerifier,
  ensureEventStream,
  OutboxRelay,
  serveGraphQL,
  SqlOutboxStore,
  type EventConsumer,
  type GraphQLResponder,
  type HealthReport,
  type NatsConnection,
} from '@simpul/bus';
import { subjectsFor, type Subjects } from '@simpul/contracts';
import { applyMigrations, createLogger, ensureDatabase, Lifecycle, type Logger } from '@simpul/kit';
import type { DocumentsEnvironment } from './environment.ts';
import { databaseUrl, openDatabase, type PrismaClient } from './db.ts';
import { createDocumentsParts, type DocumentsManagers, type DocumentsStores } from './documents.ts';
import { createDocumentsSchema } from './schema/schema.ts';
import { createContextFactory } from './schema/context.ts';
import { openAttachmentBuckets } from './attachments/attachment-objects.ts';
import { consumeEmployeeEvents } from './employees/employee-events.ts';
import { consumeAgencyEvents } from './agencies/agency-store.ts';
import type { DocumentSigningKeys } from './signing/signing-keys.ts';
import { seedDemoData } from './seed/seed.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface DocumentsServiceOptions {
  /** Defaults to a JSON logger named `documents` at LOG_LEVEL. */
  logger?: Logger;
  /** How often the outbox relay looks for unpublished events besides being nudged. */
  outboxIntervalMs?: number;
  now?: () => Date;
}

export interface DocumentsService {
  /** Stops answering, drains NATS, closes the database; safe to call twice. */
  stop(): Promise<void>;
  prisma: PrismaClient;
  keys: DocumentSigningKeys;
  relay: OutboxRelay;
  responder: GraphQLResponder;
  nc: NatsConnection;
  subjects: Subjects;
  stores: DocumentsStores;
  managers: DocumentsManagers;
  databaseUrl: string;
  health(): Promise<HealthReport>;
}

/**
 * Starts documents: its database (created and migrated when needed), its signing key,
 * the classification codes, the attachment buckets, the employee read model's
 * consumers, GraphQL over NATS and the outbox relay. On a failure half-way, what was
 * started is stopped again before the error is thrown.
 */
export async function startDocumentsService(env: DocumentsEnvironment, options: DocumentsServiceOptions = {}): Promise<DocumentsService> {
  const logger = options.logger ?? createLogger('documents', env.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  const url = databaseUrl(env);
  const subjects = subjectsFor(env.SIMPUL_NAMESPACE);
  try {
    const created = await ensureDatabase(url);
    const migrated = await applyMigrations(url, MIGRATIONS_DIR);
    logger.info({ database: new URL(url).pathname.slice(1), created: created === 'created', migrations: migrated }, 'database ready');

    const database = openDatabase(url, { poolSize: env.DATABASE_POOL_SIZE, timeoutMs: env.DATABASE_TIMEOUT_MS });
    lifecycle.onShutdown('database', () => database.close());
    const { prisma } = database;

    const nc = await connectBus({ url: env.NATS_URL, name: 'documents', logger });
    lifecycle.onShutdown('nats', () => nc.drain());
    await ensureEventStream(nc, subjects);
    const buckets = await openAttachmentBuckets(nc, subjects);

    const relay = new OutboxRelay({
      nc,
      store: new SqlOutboxStore(prisma),
      logger: logger.child({ component: 'outbox' }),
      ...(options.outboxIntervalMs !== undefined ? { intervalMs: options.outboxIntervalMs } : {}),
    });
    const { stores, managers, keys } = createDocumentsParts(prisma, {
      subjects,
      logger,
      buckets,
      attachments: { maxBytes: env.ATTACHMENT_MAX_BYTES, contentTypes: env.ATTACHMENT_CONTENT_TYPES },
      eventsWritten: () => relay.nudge(),
      ...(options.now ? { now: options.now } : {}),
    });
    await keys.ensureActiveKey();
    await managers.archive.ensureClassificationCodes();
    if (env.SIMPUL_DEMO) {
      const summary = await seedDemoData(prisma, { subjects });
      logger.info(summary, 'demo data loaded');
    }

    relay.start();
    lifecycle.onShutdown('outbox relay', () => relay.stop());
    const consumers: EventConsumer[] = await consumeEmployeeEvents({ nc, subjects, prisma, employees: stores.employees, dispositions: managers.dispositions, logger });
    lifecycle.onShutdown('employee events', () => Promise.all(consumers.map((c) => c.stop())).then(() => undefined));
    const agencyConsumers = await consumeAgencyEvents({ nc, subjects, prisma, agencies: stores.agencies, logger });
    lifecycle.onShutdown('agency events', () => Promise.all(agencyConsumers.map((c) => c.stop())).then(() => undefined));

    async function health(): Promise<HealthReport> {
      const checks: Record<string, string> = {};
      try {
        await prisma.$queryRaw`SELECT 1`;
        checks.database = 'ok';
      } catch (error) {
        checks.database = (error as Error).message;
      }
      checks.nats = nc.isClosed() ? 'closed' : nc.isDraining() ? 'draining' : 'ok';
      return { status: Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'degraded', checks };
    }

    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'documents',
      schema: createDocumentsSchema(),
      verifier: createBusTokenVerifier(nc, subjects),
      createContext: createContextFactory(managers, stores, keys),
      logger,
      health,
    });
    lifecycle.onShutdown('graphql', () => responder.stop());

    logger.info({ namespace: subjects.namespace, demo: env.SIMPUL_DEMO }, 'documents started');
    return { stop: () => lifecycle.shutdown(), prisma, keys, relay, responder, nc, subjects, stores, managers, databaseUrl: url, health };
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
}
