import { fileURLToPath } from 'node:url';
import {
  createBusTokenVerifier,
  ensureDeadLetterStream,
  openServiceRuntime,
  serveGraphQL,
  DEAD_LETTER_HEADERS,
  type RunningService,
  type ServiceStartOptions,
} from '@simpul/bus';
import { createLogger, databaseName, Lifecycle } from '@simpul/kit';
import type { TelemetryEnvironment } from './environment.ts';
import { databaseUrl, openDatabase, type PrismaClient } from './db.ts';
import { ExchangeIngest } from './exchanges/exchange-ingest.ts';
import { SnapshotTicker } from './live/snapshot-ticker.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp/receiver.ts';
import { createContextFactory } from './schema/context.ts';
import { createTelemetrySchema } from './schema/schema.ts';
import { Sweeper } from './store/sweeper.ts';
import { createTelemetryParts, type TelemetryManagers, type TelemetryStores } from './telemetry.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface TelemetryServiceOptions extends ServiceStartOptions {
  /** How often the live snapshot is published (5 s by default). */
  snapshotIntervalMs?: number;
}

export type TelemetryService = RunningService<PrismaClient, TelemetryStores, TelemetryManagers> & {
  otlp: OtlpReceiver;
  ingest: ExchangeIngest;
  sweeper: Sweeper;
  ticker: SnapshotTicker;
};

/**
 * Starts the telemetry service: its database, the OTLP/HTTP receiver, the exchange-record
 * intake from the gateways, the keep decision and retention, the live feed, and its graph
 * over NATS (read by OPERATOR, NATIONAL_ADMIN and AUDITOR only).
 */
export async function startTelemetryService(env: TelemetryEnvironment, options: TelemetryServiceOptions = {}): Promise<TelemetryService> {
  const logger = options.logger ?? createLogger('telemetry', env.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  const url = databaseUrl(env);
  try {
    const { prisma, nc, subjects, relay, health, denyList } = await openServiceRuntime({
      service: 'telemetry',
      env,
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      openDatabase,
      logger,
      lifecycle,
      outboxIntervalMs: options.outboxIntervalMs,
    });
    await ensureDeadLetterStream(nc, subjects);
    const { stores, managers } = createTelemetryParts(prisma, {
      nc,
      subjects,
      database: databaseName(url),
      policy: { sampleRate: env.TELEMETRY_SAMPLE_RATE, slowMs: env.TELEMETRY_SLOW_MS, settleMs: env.TELEMETRY_SETTLE_MS },
      retention: { maxAgeMs: env.TELEMETRY_RETENTION_HOURS * 3_600_000, maxBytes: env.TELEMETRY_MAX_MB * 1024 * 1024 },
      eventsWritten: () => relay.nudge(),
    });
    relay.start();
    lifecycle.onShutdown('outbox relay', () => relay.stop());

    const sweeper = new Sweeper(
      prisma,
      stores.spans,
      { maxAgeMs: env.TELEMETRY_RETENTION_HOURS * 3_600_000, maxBytes: env.TELEMETRY_MAX_MB * 1024 * 1024 },
      env.TELEMETRY_SWEEP_MS,
      logger.child({ component: 'sweeper' }),
    );
    sweeper.start();
    lifecycle.onShutdown('sweeper', () => sweeper.stop());

    const ingest = new ExchangeIngest({ nc, subjects, store: stores.exchanges, logger, received: (r) => managers.live.exchange(r) });
    lifecycle.onShutdown('exchange intake', () => ingest.stop());

    // A consumer giving up on an event shows on the console's events page at once.
    const deadLetters = nc.subscribe(subjects.allDeadLetters, {
      queue: 'telemetry',
      callback: (_e, msg) =>
        managers.live.publish({
          event: 'dead-letter',
          data: {
            seq: null,
            consumer: msg.headers?.get(DEAD_LETTER_HEADERS.consumer) ?? null,
            action: 'ADDED',
            reason: msg.headers?.get(DEAD_LETTER_HEADERS.reason) ?? null,
            at: new Date().toISOString(),
          },
        }),
    });
    lifecycle.onShutdown('dead-letter feed', () => deadLetters.drain());

    const ticker = new SnapshotTicker(managers, options.snapshotIntervalMs ?? 5_000, logger);
    ticker.start();
    lifecycle.onShutdown('live snapshots', () => ticker.stop());

    const otlp = await startOtlpReceiver({
      host: env.OTLP_HOST,
      port: env.OTLP_PORT,
      maxBodyBytes: env.OTLP_MAX_BODY_BYTES,
      accept: (spans) => stores.spans.add(spans),
      logger,
    });
    lifecycle.onShutdown('otlp receiver', () => otlp.close());

    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'telemetry',
      schema: createTelemetrySchema(),
      verifier: createBusTokenVerifier(nc, subjects, denyList),
      createContext: createContextFactory(managers),
      logger,
      health,
    });
    lifecycle.onShutdown('graphql', () => responder.stop());

    logger.info({ namespace: subjects.namespace, otlp: `${otlp.url}/v1/traces` }, 'telemetry started');
    return {
      stop: () => lifecycle.shutdown(),
      prisma,
      relay,
      responder,
      nc,
      subjects,
      stores,
      managers,
      databaseUrl: url,
      health,
      otlp,
      ingest,
      sweeper,
      ticker,
    };
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
}
