import { commonEnvironment, databaseEnvironment, loadEnvironment, z } from '@simpul/kit';

function personnelEnvironment() {
  return z.object({
    ...commonEnvironment,
    ...databaseEnvironment,
    /** How long personnel waits for identity when it checks an agency or unit. */
    IDENTITY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  });
}

export type PersonnelEnvironment = z.infer<ReturnType<typeof personnelEnvironment>>;

/** The personnel service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): PersonnelEnvironment {
  return loadEnvironment(personnelEnvironment(), source);
}
