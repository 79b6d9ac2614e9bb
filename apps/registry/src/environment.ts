import { commonEnvironment, databaseEnvironment, loadEnvironment, z } from '@simpul/kit';

const registryEnvironment = z.object({
  ...commonEnvironment,
  ...databaseEnvironment,
  /** Score from which two applications count as duplicates in the analysis kept after each change. */
  DUPLICATE_MIN_SCORE: z.coerce.number().min(0.05).max(1).default(0.4),
});

export type RegistryEnvironment = z.infer<typeof registryEnvironment>;

/** The registry service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): RegistryEnvironment {
  return loadEnvironment(registryEnvironment, source);
}
