import { commonEnvironment, databaseEnvironment, loadEnvironment, z } from '@simpul/kit';

const telemetryEnvironment = z.object({
  ...commonEnvironment,
  ...databaseEnvironment,
  /**
   * The telemetry service does not send its own spans to itself: storing spans makes
   * database spans, which would be sent and stored again, without end.
   */
  SIMPUL_TELEMETRY_URL: z.union([z.literal('off'), z.url()]).default('off'),
  /** OTLP/HTTP receiver (POST /v1/traces, protobuf or JSON): 4318 is OTLP/HTTP's usual port. */
  OTLP_PORT: z.coerce.number().int().min(0).max(65535).default(4318),
  OTLP_HOST: z.string().default('127.0.0.1'),
  /** Largest OTLP request body accepted (413 beyond it). */
  OTLP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024),
  /** Kept traces and exchange records older than this are deleted. */
  TELEMETRY_RETENTION_HOURS: z.coerce.number().positive().default(24),
  /** Upper bound on what the store keeps (spans and exchange records); the oldest go first. */
  TELEMETRY_MAX_MB: z.coerce.number().positive().default(256),
  /** Share (0-1) of ordinary traces kept; traces with an error or slower than TELEMETRY_SLOW_MS are always kept. */
  TELEMETRY_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  TELEMETRY_SLOW_MS: z.coerce.number().positive().default(1000),
  /** A trace is decided once no span of it arrived for this long (its late spans then count no more). */
  TELEMETRY_SETTLE_MS: z.coerce.number().int().min(0).default(5000),
  /** How often the keep decision and retention run. */
  TELEMETRY_SWEEP_MS: z.coerce.number().int().min(50).default(2000),
});

export type TelemetryEnvironment = z.infer<typeof telemetryEnvironment>;

/** The telemetry service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): TelemetryEnvironment {
  return loadEnvironment(telemetryEnvironment, source);
}
