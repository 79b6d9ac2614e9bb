import { commonEnvironment, loadEnvironment, z } from '@simpul/kit';
import { isServiceName, SERVICES, type ServiceName } from '@simpul/contracts';
import { isOrigin } from './http/cors.ts';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const gatewayEnvironmentSchema = z.object({
  ...commonEnvironment,
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Services whose subschemas the gateway stitches, comma-separated (default: all of them). */
  GATEWAY_SERVICES: z
    .string()
    .default(SERVICES.join(','))
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
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
  SINGLE_SERVICE_ROUTE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Execute operations that span services by cached query plans (off: plain stitching, to compare and measure). */
  QUERY_PLANS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Publish an exchange record of every GraphQL operation to the telemetry service (off only to measure what it costs). */
  GATEWAY_EXCHANGE_RECORDS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  GRAPHIQL: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Browser origins besides the gateway's own that may call it with credentials (CORS), comma-separated; none by default. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isOrigin, 'an origin such as https://app.example.go.id (scheme and host, no path; * is not allowed)'))),
}).refine((env) => env.UPLOAD_QUOTA_BYTES >= env.MAX_UPLOAD_BYTES, {
  path: ['UPLOAD_QUOTA_BYTES'],
  message: 'must be at least MAX_UPLOAD_BYTES, or the largest files could never be uploaded',
});

export type GatewayEnvironment = z.infer<typeof gatewayEnvironmentSchema>;

export function readEnvironment(source: Record<string, string | undefined> = process.env): GatewayEnvironment {
  return loadEnvironment(gatewayEnvironmentSchema, source);
}
