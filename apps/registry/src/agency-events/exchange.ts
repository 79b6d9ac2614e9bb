import { createBusTokenVerifier, ensureExternalStream, type NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import type { Lifecycle, Logger, TokenDenyList } from '@simpul/kit';
import type { AgencyEventManagers } from './parts.ts';
import { ensureAgencyEventStreams } from './agency-event-streams.ts';
import { startExternalIntake } from './external-intake.ts';
import { serveEventIngestion } from './ingest-responder.ts';
import { startServiceRefusals } from './service-refusals.ts';
import type { PrismaClient } from '../db.ts';

/**
 * Starts the registry's side of the agency event exchange: the streams, the intake of
 * what agency systems publish over NATS, the gateway's HTTP ingestion requests, and the
 * refusals of the services that act on accepted events.
 */
export async function startAgencyEventExchange(options: {
  nc: NatsConnection;
  subjects: Subjects;
  managers: AgencyEventManagers;
  prisma: PrismaClient;
  denyList: TokenDenyList;
  logger: Logger;
  lifecycle: Lifecycle;
}): Promise<void> {
  const { nc, subjects, managers, lifecycle } = options;
  const logger = options.logger.child({ component: 'agency-events' });
  const gate = managers.agencyEvents;
  await ensureExternalStream(nc, subjects);
  await ensureAgencyEventStreams(nc, gate.names);
  const fanOut = await managers.eventDeliveries.start();
  lifecycle.onShutdown('agency event delivery', () => fanOut.stop());
  await managers.webhookDispatcher.startAll();
  lifecycle.onShutdown('agency event webhooks', () => managers.webhookDispatcher.stop());
  const intake = await startExternalIntake({ nc, subjects, gate, logger });
  lifecycle.onShutdown('agency event intake', () => intake.stop());
  const ingestion = serveEventIngestion({ nc, gate, verifier: createBusTokenVerifier(nc, subjects, options.denyList), logger });
  lifecycle.onShutdown('agency event ingestion', () => ingestion.stop());
  const refusals = await startServiceRefusals({ nc, subjects, prisma: options.prisma, logger });
  lifecycle.onShutdown('agency event refusals', () => refusals.stop());
}
