import { initTelemetry } from '@simpul/telemetry';
import { ConfigError } from './environment.ts';
import { startHealthServer, type ProcessHealth } from './health-server.ts';
import { Lifecycle } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';

/** The settings every process reads. */
interface ProcessEnvironment {
  LOG_LEVEL: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  SIMPUL_TELEMETRY_URL?: string | undefined;
  HEALTH_PORT?: number | undefined;
}

/** A started process: how to stop it and, optionally, whether it can serve now (GET /ready). */
export interface RunningProcess {
  stop(): Promise<void>;
  health?: () => Promise<ProcessHealth>;
}

export interface RunProcessOptions<E extends ProcessEnvironment> {
  /** The process's name in logs and traces: `identity`, `gateway`, … */
  name: string;
  readEnvironment: () => E;
  /**
   * Starts the work and returns how to stop it. Import instrumented modules (Prisma)
   * inside it, not at the top of main.ts: tracing is set up just before it runs.
   */
  start: (env: E, logger: Logger) => Promise<RunningProcess>;
}

/**
 * The life of every Simpul process, the same for the gateway and each service:
 * settings checked first (every problem listed, exit 1), then tracing, then start;
 * SIGINT/SIGTERM stop it in order; a failure to start logs one clear line and exits 1.
 * With HEALTH_PORT set, it also answers `GET /health` and `GET /ready` there, for
 * orchestrators (see health-server.ts).
 */
export async function runProcess<E extends ProcessEnvironment>(options: RunProcessOptions<E>): Promise<void> {
  let env: E;
  try {
    env = options.readEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${options.name}: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(options.name, env.LOG_LEVEL);
  const telemetry = initTelemetry({
    serviceName: options.name,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    telemetryServiceEndpoint: env.SIMPUL_TELEMETRY_URL === 'off' ? undefined : env.SIMPUL_TELEMETRY_URL,
  });
  const lifecycle = new Lifecycle(logger);
  lifecycle.onShutdown('telemetry', () => telemetry.shutdown());
  try {
    const running = await options.start(env, logger);
    lifecycle.onShutdown(options.name, () => running.stop());
    if (env.HEALTH_PORT !== undefined) {
      const health = await startHealthServer({ port: env.HEALTH_PORT, ready: running.health?.bind(running) });
      // Registered last, so closed first: /ready stops answering before the process stops serving.
      lifecycle.onShutdown('health port', () => health.close());
      logger.info({ port: health.port }, `health on port ${health.port} (GET /health, GET /ready)`);
    }
    lifecycle.handleSignals();
  } catch (error) {
    logger.fatal({ err: error }, `${options.name} failed to start: ${(error as Error)?.message ?? String(error)}`);
    await lifecycle.shutdown();
    process.exit(1);
  }
}
