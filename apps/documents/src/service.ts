import { fileURLToPath } from 'node:url';
import {
  auditDenials,
  createBusTokenVerifier,
  openServiceRuntime,
  serveGraphQL,
  type EventConsumer,
  type RunningService,
  type ServiceStartOptions,
} from '@simpul/bus';

import { createLogger, Lifecycle, openMasterKeyEncryption } from '@simpul/kit';
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

export interface DocumentsServiceOptions extends ServiceStartOptions {
  now?: () => Date;
}

export interface DocumentsService extends RunningService<PrismaClient, DocumentsStores, DocumentsManagers> {
  keys: DocumentSigningKeys;
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
  try {
    const { prisma, nc, subjects, relay, health, denyList } = await openServiceRuntime({
      service: 'documents',
      env,
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      openDatabase,
      logger,
      lifecycle,
      outboxIntervalMs: options.outboxIntervalMs,
    });
    const buckets = await openAttachmentBuckets(nc, subjects);

    const keyEncryption = await openMasterKeyEncryption(env, logger);
    const { stores, managers, keys } = createDocumentsParts(prisma, {
      subjects,
      keyEncryption,
      logger,
      buckets,
      attachments: { maxBytes: env.ATTACHMENT_MAX_BYTES, contentTypes: env.ATTACHMENT_CONTENT_TYPES },
      eventsWritten: () => relay.nudge(),
      ...(options.now ? { now: options.now } : {}),
    });
    await keys.ensureActiveKey();
    await managers.archive.ensureClassificationCodes();
    if (env.SIMPUL_DEMO) {
      const summary = await seedDemoData(prisma, { subjects, keyEncryption });
      logger.info(summary, 'demo data loaded');
    }

    relay.start();
    lifecycle.onShutdown('outbox relay', () => relay.stop());
    const consumers: EventConsumer[] = await consumeEmployeeEvents({
      nc,
      subjects,
      prisma,
      employees: stores.employees,
      dispositions: managers.dispositions,
      logger,
    });
    lifecycle.onShutdown('employee events', () => Promise.all(consumers.map((c) => c.stop())).then(() => undefined));
    const agencyConsumers = await consumeAgencyEvents({ nc, subjects, prisma, agencies: stores.agencies, logger });
    lifecycle.onShutdown('agency events', () => Promise.all(agencyConsumers.map((c) => c.stop())).then(() => undefined));

    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'documents',
      onErrors: auditDenials(prisma, subjects, 'documents', () => relay.nudge()),
      schema: createDocumentsSchema(),
      verifier: createBusTokenVerifier(nc, subjects, denyList, { rootPublicKey: env.TOKEN_ROOT_PUBLIC_KEY, logger }),
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
