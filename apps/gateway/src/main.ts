import { readEnvironment } from './environment.ts';
import { initTelemetry } from '@simpul/telemetry';
import { ConfigError, createLogger, Lifecycle } from '@simpul/kit';

async function main(): Promise<void> {
  let env;
  try {
    env = readEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const telemetry = initTelemetry({ serviceName: 'gateway', otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  lifecycle.onShutdown('telemetry', () => telemetry.shutdown());
  const { connectBus } = await import('@simpul/bus');
  const { createGateway } = await import('./gateway.ts');
  try {
    const nc = await connectBus({ url: env.NATS_URL, name: 'gateway', logger });
    lifecycle.onShutdown('nats', () => nc.drain());
    const gateway = await createGateway({ env, nc, logger });
    lifecycle.onShutdown('http', () => gateway.close());
    const url = await gateway.listen();
    lifecycle.handleSignals();
    logger.info({ graphiql: `${url}/graphql` }, `Simpul gateway listening: GraphiQL at ${url}/graphql`);
  } catch (error) {
    logger.fatal({ err: error }, (error as Error).message);
    await lifecycle.shutdown();
    process.exit(1);
  }
}

void main();
