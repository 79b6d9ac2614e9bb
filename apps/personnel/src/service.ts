import { fileURLToPath } from 'node:url';
import { createBusTokenVerifier, openServiceRuntime, serveGraphQL, type RunningService, type ServiceStartOptions } from '@simpul/bus';

import { createLogger, Lifecycle, type TokenVerifier } from '@simpul/kit';
import type { PersonnelEnvironment } from './environment.ts';
import { databaseUrl, openDatabase, type PrismaClient } from './db.ts';
import { createPersonnelParts, type PersonnelManagers, type PersonnelStores } from './personnel.ts';
import { createPersonnelSchema } from './schema/schema.ts';
import { createContextFactory } from './schema/context.ts';
import { identityDirectory, type OrganisationDirectory } from './organisation/directory.ts';
import { seedDemoEmployees } from './seed/seed.ts';
import { consumeSimpegEvents } from './agency-events/simpeg-events.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface PersonnelServiceOptions extends ServiceStartOptions {
  /** Where agencies and units are checked; defaults to asking identity over NATS. */
  directory?: OrganisationDirectory;
  /** Defaults to identity's keys over NATS. */
  verifier?: TokenVerifier;
  now?: () => number;
}

export type PersonnelService = RunningService<PrismaClient, PersonnelStores, PersonnelManagers>;

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
    const { prisma, nc, subjects, relay, health, denyList } = await openServiceRuntime({
      service: 'personnel',
      env,
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      openDatabase,
      logger,
      lifecycle,
      outboxIntervalMs: options.outboxIntervalMs,
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

    // Appointments, transfers and retirements an agency's SIMPEG publishes for itself (platform-defined agency events).
    const simpeg = await consumeSimpegEvents({ nc, subjects, prisma, managers, logger });
    lifecycle.onShutdown('SIMPEG events', () => simpeg.stop());

    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'personnel',
      schema: createPersonnelSchema(),
      verifier: options.verifier ?? createBusTokenVerifier(nc, subjects, denyList, { rootPublicKey: env.TOKEN_ROOT_PUBLIC_KEY, logger }),
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
