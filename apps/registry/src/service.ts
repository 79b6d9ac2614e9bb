import { deliverLettersToAgencies } from './agency-events/letter-deliveries.ts';
import { fileURLToPath } from 'node:url';
import {
  consumeEvents,
  createBusTokenVerifier,
  openServiceRuntime,
  serveGraphQL,
  type EventConsumer,
  type RunningService,
  type ServiceStartOptions,
} from '@simpul/bus';
import { AgencyCreated, AgencyUpdated, ApplicationDesignated, ApplicationRegistered, ApplicationUpdated } from '@simpul/contracts';
import { AdvisoryLock, createLogger, Lifecycle } from '@simpul/kit';
import type { RegistryEnvironment } from './environment.ts';
import { databaseUrl, openDatabase, type PrismaClient } from './db.ts';
import { createRegistryParts, type RegistryManagers, type RegistryStores } from './registry.ts';
import type { ClientDirectory } from './event-catalogue/client-directory.ts';
import { createRegistrySchema } from './schema/schema.ts';
import { createContextFactory } from './schema/context.ts';
import { seedDemoData } from './seed/seed.ts';
import { startAgencyEventExchange } from './agency-events/exchange.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface RegistryServiceOptions extends ServiceStartOptions {
  /** Where grants check their API client (tests give a fixed one); identity over NATS by default. */
  clients?: ClientDirectory;
}

export type RegistryService = RunningService<PrismaClient, RegistryStores, RegistryManagers>;

/** Durable consumer names: the registry's own application events start the duplicate analysis. */
export const ANALYSIS_CONSUMERS = {
  registered: 'registry-duplicates-registered',
  updated: 'registry-duplicates-updated',
  designated: 'registry-duplicates-designated',
} as const;

/**
 * Starts the registry: its database (created and migrated when needed), demo data when
 * asked, GraphQL over NATS, the outbox relay, and the consumers that re-run the duplicate
 * analysis after each application event. On a failure half-way, what was started is
 * stopped again before the error is thrown.
 */
export async function startRegistryService(env: RegistryEnvironment, options: RegistryServiceOptions = {}): Promise<RegistryService> {
  const logger = options.logger ?? createLogger('registry', env.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  const url = databaseUrl(env);
  try {
    const { prisma, nc, subjects, relay, health, denyList } = await openServiceRuntime({
      service: 'registry',
      env,
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      openDatabase,
      logger,
      lifecycle,
      outboxIntervalMs: options.outboxIntervalMs,
    });
    const webhookRetry = { maxAttempts: env.EVENT_WEBHOOK_MAX_ATTEMPTS, firstDelayMs: env.EVENT_WEBHOOK_RETRY_MS, maxDelayMs: 300_000 };
    const { stores, managers } = createRegistryParts(prisma, {
      subjects,
      nc,
      minScore: env.DUPLICATE_MIN_SCORE,
      logger,
      eventsWritten: () => relay.nudge(),
      webhookRetry,
      clients: options.clients,
    });

    if (env.SIMPUL_DEMO) {
      const summary = await seedDemoData(prisma, { subjects });
      logger.info(summary, 'demo data loaded');
    }

    // Several registry instances share one database: one duplicate analysis run at a time.
    const analysisLock = new AdvisoryLock(url, 'simpul.duplicate-analysis');
    lifecycle.onShutdown('duplicate analysis lock', () => analysisLock.close());
    managers.analyser.useRunLock(analysisLock);

    relay.start();
    lifecycle.onShutdown('outbox relay', () => relay.stop());
    lifecycle.onShutdown('duplicate analysis', () => managers.analyser.idle());

    // Each application event re-runs the analysis; the event id is recorded first, so a
    // redelivery is recognised. The analysis itself is a pure recomputation of the whole
    // catalogue, so one run after several events serves them all.
    const consumers: EventConsumer[] = [];
    for (const [verb, definition] of [
      ['registered', ApplicationRegistered],
      ['updated', ApplicationUpdated],
      ['designated', ApplicationDesignated],
    ] as const) {
      const durable = ANALYSIS_CONSUMERS[verb];
      consumers.push(
        await consumeEvents({
          nc,
          subjects,
          durable,
          definition,
          logger: logger.child({ consumer: durable }),
          database: prisma,
          apply: async () => undefined,
          afterApply: () => managers.analyser.schedule(),
        }),
      );
    }
    // Identity's agencies, so Application.owner names only agencies identity can complete.
    for (const [durable, definition] of [
      ['registry-agencies-created', AgencyCreated],
      ['registry-agencies-updated', AgencyUpdated],
    ] as const) {
      consumers.push(
        await consumeEvents({
          nc,
          subjects,
          durable,
          definition,
          logger: logger.child({ consumer: durable }),
          database: prisma,
          apply: (tx, data) => stores.agencies.apply(tx, data),
        }),
      );
    }
    // Letters sent through Simpul to an agency, for the e-office systems it subscribed.
    consumers.push(await deliverLettersToAgencies({ nc, subjects, prisma, logger }));
    lifecycle.onShutdown('event consumers', async () => {
      for (const consumer of consumers) await consumer.stop();
    });

    await startAgencyEventExchange({ nc, subjects, managers, prisma, denyList, logger, lifecycle });

    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'registry',
      schema: createRegistrySchema(),
      verifier: createBusTokenVerifier(nc, subjects, denyList, { rootPublicKey: env.TOKEN_ROOT_PUBLIC_KEY, logger }),
      createContext: createContextFactory(managers, stores),
      logger,
      health,
    });
    lifecycle.onShutdown('graphql', () => responder.stop());

    logger.info({ namespace: subjects.namespace, demo: env.SIMPUL_DEMO }, 'registry started');
    return { stop: () => lifecycle.shutdown(), prisma, relay, responder, nc, subjects, stores, managers, databaseUrl: url, health };
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
}
