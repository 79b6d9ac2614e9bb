import { BusUnavailableError } from '@simpul/bus';
import { ConfigError, createLogger, Lifecycle } from '@simpul/kit';
import { initTelemetry } from '@simpul/telemetry';
import { readEnvironment, type IdentityEnvironment } from './environment.ts';

/** Settings are checked before anything else starts; every problem is listed at once. */
function settings(): IdentityEnvironment {
  try {
    return readEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`identity: ${error.message}`);
    process.exit(1);
  }
}

const env = settings();

const logger = createLogger('identity', env.LOG_LEVEL);
// Tracing must be set up before Prisma is loaded, so the service is imported only now.
const telemetry = initTelemetry({ serviceName: 'identity', otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
const { startIdentityService } = await import('./service.ts');

try {
  const service = await startIdentityService(env, { logger });
  const lifecycle = new Lifecycle(logger);
  lifecycle.onShutdown('telemetry', () => telemetry.shutdown());
  lifecycle.onShutdown('identity', () => service.stop());
  lifecycle.handleSignals();
} catch (error) {
  const expected =
    error instanceof ConfigError || error instanceof BusUnavailableError || /PostgreSQL is unreachable/.test(String((error as Error)?.message));
  if (expected) logger.fatal((error as Error).message);
  else logger.fatal({ err: error }, 'identity failed to start');
  await telemetry.shutdown().catch(() => undefined);
  process.exit(1);
}
