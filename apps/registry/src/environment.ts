import { commonEnvironment, databaseEnvironment, loadEnvironment, z } from '@simpul/kit';

const registryEnvironment = z.object({
  ...commonEnvironment,
  ...databaseEnvironment,
  /** Score from which two applications count as duplicates in the analysis kept after each change. */
  DUPLICATE_MIN_SCORE: z.coerce.number().min(0.05).max(1).default(0.4),
  /** Agency event webhooks: attempts before a dead letter, and the first retry's wait (doubled each time, up to 5 minutes). */
  EVENT_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  EVENT_WEBHOOK_RETRY_MS: z.coerce.number().int().min(10).max(300_000).default(1000),
});

export type RegistryEnvironment = z.infer<typeof registryEnvironment>;

/** The registry service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): RegistryEnvironment {
  return loadEnvironment(registryEnvironment, source);
}
