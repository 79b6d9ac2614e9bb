import { commonEnvironment, loadEnvironment, z } from '@simpul/kit';
import { isRole, isServiceName, SERVICES, type Role, type ServiceName } from '@simpul/contracts';
import { isOrigin } from './http/cors.ts';
import { isProxyEntry } from './http/client-address.ts';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = (fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

export const gatewayEnvironmentSchema = z
  .object({
    ...commonEnvironment,
    GATEWAY_HOST: z.string().default('127.0.0.1'),
    GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** Services whose subschemas the gateway stitches, comma-separated (default: all of them). */
    GATEWAY_SERVICES: z
      .string()
      .default(SERVICES.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().refine(isServiceName, 'unknown service')).min(1))
      .transform((v) => v as ServiceName[]),
    /** A service's fields fail with SERVICE_UNAVAILABLE after this long. */
    SERVICE_TIMEOUT_MS: positiveInt(5_000),
    /** How long start-up waits for every service's SDL before serving what it has. */
    DISCOVERY_WAIT_MS: positiveInt(30_000),
    /** How often missing services are looked for again after start-up. */
    DISCOVERY_RETRY_MS: positiveInt(2_000),
    MAX_DEPTH: positiveInt(10),
    MAX_ALIASES: positiveInt(15),
    MAX_TOKENS: positiveInt(1_000),
    MAX_COST: positiveInt(5_000),
    MAX_DIRECTIVES: positiveInt(20),
    /** Largest accepted request body in bytes. */
    MAX_BODY_BYTES: positiveInt(100_000),
    /** Largest file in a multipart upload; such a request may be this much larger than MAX_BODY_BYTES. */
    MAX_UPLOAD_BYTES: positiveInt(10 * 1024 * 1024),
    /**
     * What one user may have in the upload staging bucket at once (files of operations still
     * running), so that no user can fill the bucket every upload shares.
     */
    UPLOAD_QUOTA_BYTES: positiveInt(50 * 1024 * 1024),
    UPLOAD_QUOTA_FILES: positiveInt(20),
    /** Send operations that one service can answer alone straight to it (off only to measure what it saves). */
    SINGLE_SERVICE_ROUTE: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Execute operations that span services by cached query plans (off: plain stitching, to compare and measure). */
    QUERY_PLANS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Publish an exchange record of every GraphQL operation to the telemetry service (off only to measure what it costs). */
    GATEWAY_EXCHANGE_RECORDS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    GRAPHIQL: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Browser origins besides the gateway's own that may call it with credentials (CORS), comma-separated; none by default. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().refine(isOrigin, 'an origin such as https://app.example.go.id (scheme and host, no path; * is not allowed)'))),
    /**
     * Our own proxies in front of the gateway (balancer, ingress), comma-separated addresses or
     * CIDR ranges: from them, the client's address is taken from X-Forwarded-For.
     */
    TRUSTED_PROXIES: list().pipe(z.array(z.string().refine(isProxyEntry, 'an IP address or CIDR range such as 10.0.0.0/8'))),
    /** Clients reach the gateway over HTTPS (TLS ends at a balancer in front): send Strict-Transport-Security. */
    GATEWAY_HTTPS: flag('false'),
    /**
     * Trusted documents manifests (GraphQL Code Generator's persisted-documents.json), comma-separated
     * paths. Set: production mode, where callers without a FREE_FORM_ROLES role run only these documents.
     */
    TRUSTED_DOCUMENTS: list(),
    /** Roles that may still send any operation text when TRUSTED_DOCUMENTS is set. */
    FREE_FORM_ROLES: list('OPERATOR,NATIONAL_ADMIN,API_CLIENT')
      .pipe(z.array(z.string().refine(isRole, 'a role (see packages/contracts/src/roles.ts)')))
      .transform((v) => v as Role[]),
    /** Requests per client (token subject, else address) in a burst and per RATE_LIMIT_WINDOW_SECONDS on average. */
    RATE_LIMIT_REQUESTS: positiveInt(1_200),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
    /** Failed `login`s per address in a burst and per SIGN_IN_LIMIT_WINDOW_SECONDS on average. */
    LOGIN_FAILURES_PER_ADDRESS: positiveInt(30),
    /** `refreshSession` calls per address in a burst and per SIGN_IN_LIMIT_WINDOW_SECONDS on average. */
    REFRESHES_PER_ADDRESS: positiveInt(600),
    SIGN_IN_LIMIT_WINDOW_SECONDS: positiveInt(900),
  })
  .refine((env) => env.UPLOAD_QUOTA_BYTES >= env.MAX_UPLOAD_BYTES, {
    path: ['UPLOAD_QUOTA_BYTES'],
    message: 'must be at least MAX_UPLOAD_BYTES, or the largest files could never be uploaded',
  });

export type GatewayEnvironment = z.infer<typeof gatewayEnvironmentSchema>;

export function readEnvironment(source: Record<string, string | undefined> = process.env): GatewayEnvironment {
  return loadEnvironment(gatewayEnvironmentSchema, source);
}
