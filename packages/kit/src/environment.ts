import { z } from 'zod';

/**
 * Thrown when one or more settings are invalid. The message lists every problem at
 * once, so an operator fixes their configuration in one go rather than one error per
 * restart.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses settings from the environment with a zod object schema whose keys are the
 * variable names. Every service calls this once, in its `environment.ts`; nothing
 * else in the codebase reads `process.env`.
 */
export function loadEnvironment<S extends z.ZodObject>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  // Empty strings count as unset, so `FOO=` in a .env file means "use the default".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
}

const boolish = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Settings every Simpul process shares. */
export const commonEnvironment = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Replicas of the event stream a service creates: 3 on a three-node NATS cluster, 1 on one server. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /**
   * The process's own NKey user seed (a file holding `SU…`): the process connects as
   * that user, with only its own permissions (packages/bus platform-credentials.ts).
   * `npm start` creates one per process for the authenticating server it runs.
   */
  NATS_NKEY_SEED_FILE: z.string().min(1).optional(),
  /** Subject namespace; tests use their own so parallel runs never meet. */
  SIMPUL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('simpul'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /**
   * OTLP/HTTP base URL of Simpul's telemetry service (apps/telemetry), where every process
   * sends its spans; `off` sends none there. OTEL_EXPORTER_OTLP_ENDPOINT, when set, gets them too.
   */
  SIMPUL_TELEMETRY_URL: z.union([z.literal('off'), z.url()]).default('http://127.0.0.1:4318'),
  SIMPUL_DEMO: boolish.default(false),
  /**
   * When set, the process also answers `GET /health` and `GET /ready` over HTTP on this
   * port, for Kubernetes probes and Docker's HEALTHCHECK (the image sets 8081).
   */
  HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * The platform's token root public key (base64url Ed25519): token signing keys are
   * used only when it endorses them, so a rogue answer on the bus adds no key. Unset,
   * keys are taken unpinned (with a warning). `npm start` creates the pair.
   */
  TOKEN_ROOT_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url Ed25519 public key (43 characters)')
    .optional(),
};

/** Settings of a service that owns a database. */
export const databaseEnvironment = {
  /**
   * Either a server URL (`postgresql://user@host:port`), to which the service adds its
   * own database name, or a full URL with a database name, used as it is.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .default('postgresql://postgres@127.0.0.1:5432'),
  /** Upper bound on one request's wait for a pooled connection and for its query. */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
};

export { z, boolish };
