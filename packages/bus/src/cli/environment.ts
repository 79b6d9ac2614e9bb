import { commonEnvironment, loadEnvironment, z } from '@simpul/kit';

const schema = z.object({
  NATS_URL: commonEnvironment.NATS_URL,
  NATS_NKEY_SEED_FILE: commonEnvironment.NATS_NKEY_SEED_FILE,
  SIMPUL_NAMESPACE: commonEnvironment.SIMPUL_NAMESPACE,
});

/** What the operator commands need: where NATS is and which namespace to look at. */
export function readCliEnvironment(source: Record<string, string | undefined> = process.env) {
  return loadEnvironment(schema, source);
}
