import { fileURLToPath } from 'node:url';
import {
  createBusTokenVerifier,
  openServiceRuntime,
  serveGraphQL,
  type GraphQLResponder,
  type HealthReport,
  type NatsConnection,
  type OutboxRelay,
} from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { createLogger, Lifecycle, type Logger, type TokenVerifier } from '@simpul/kit';
import type { PersonnelEnvironment } from './environment.ts';
import { databaseUrl, openDatabase, type PrismaClient } from './db.ts';
import { createPersonnelParts, type PersonnelManagers, type PersonnelStores } from './personnel.ts';
import { createPersonnelSchema } from './schema/schema.ts';
import { createContextFactory } from './schema/context.ts';
import { identityDirectory, type OrganisationDirectory } from './organisation/directory.ts';
import { seedDemoEmployees } from './seed/seed.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface PersonnelServiceOptions {
  /** Defaults to a JSON logger named `personnel` at LOG_LEVEL. */
  logger?: Logger;
  /** How often the outbox relay looks for unpublished events besides being nudged. */
  outboxIntervalMs?: number;
  /** Where agencies and units are checked; defaults to asking identity over NATS. */
  directory?: OrganisationDirectory;
  /** Defaults to identity's keys over NATS. */
  verifier?: TokenVerifier;
  now?: () => number;
}

export interface PersonnelService {
  /** Stops answering, drains NATS, closes the database; safe to call twice. */
  stop(): Promise<void>;
  prisma: PrismaClient;
  relay: OutboxRelay;
  responder: GraphQLResponder;
  nc: NatsConnection;
  subjects: Subjects;
  stores: PersonnelStores;
  managers: PersonnelManagers;
  /** The database this instance uses (`simpul_personnel` unless DATABASE_URL names one). */
  databaseUrl: string;
  health(): Promise<HealthReport>;
}

/**
 * Starts personnel: its database (created and migrated when needed), GraphQL over
 * NATS and the outbox relay; in demo mode it loads the demo employees first. On a
 * failure half-way, what was started is stopped again before the error is thrown.
 */
export async function startPersonnelService(env: PersonnelEnvironment, options: PersonnelServiceOptions = {}): Promise<PersonnelService> {
  const logger = options.logger ?? createLogger('personnel', env.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  const url = databaseUrl(env);
  try {
    const { prisma, nc, subjects, relay, health } = await openServiceRuntime({
      service: 'personnel',
      env,
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      openDatabase,
      logger,
      lifecycle,
      ...(options.outboxIntervalMs !== undefined ? { outboxIntervalMs: options.outboxIntervalMs } : {}),
    });
    const { stores, managers } = createPersonnelParts(prisma, {
      subjects,
      directory: options.directory ?? identityDirectory(nc, subjects, env.IDENTITY_TIMEOUT_MS),
      eventsWritten: () => relay.nudge(),
      ...(options.now ? { now: options.now } : {}),
    });

    if (env.SIMPUL_DEMO) {
      const summary = await seedDemoEmployees(prisma, { subjects });
      logger.info(summary, 'demo employees loaded');
    }

    relay.start();
    lifecycle.onShutdown('outbox relay', () => relay.stop());

    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'personnel',
      schema: createPersonnelSchema(),
      verifier: options.verifier ?? createBusTokenVerifier(nc, subjects),
      createContext: createContextFactory(managers, stores),
      logger,
      health,
    });
    lifecycle.onShutdown('graphql', () => responder.stop());

    logger.info({ namespace: subjects.namespace, demo: env.SIMPUL_DEMO }, 'personnel started');
    return { stop: () => lifecycle.shutdown(), prisma, relay, responder, nc, subjects, stores, managers, databaseUrl: url, health };
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
}
