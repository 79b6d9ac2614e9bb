import { jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@simpul/bus';
import type { AgencyEventSubjects } from '@simpul/contracts';

const NANOS_PER_MS = 1_000_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an event id is remembered: a publisher's retry within a day is the same event. */
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;
/** How far back a subscriber can replay. */
export const RETENTION_MS = 30 * DAY_MS;

/**
 * The two streams of agency events: accepted events (validated against their declared
 * schema, de-duplicated by event id) and their copies for each granted client.
 */
export async function ensureAgencyEventStreams(nc: NatsConnection, names: AgencyEventSubjects): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const common: Partial<StreamConfig> = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: RETENTION_MS * NANOS_PER_MS,
    duplicate_window: IDEMPOTENCY_WINDOW_MS * NANOS_PER_MS,
  };
  for (const config of [
    { ...common, name: names.acceptedStream, subjects: [names.allAccepted] },
    { ...common, name: names.deliveryStream, subjects: [names.allDeliveries] },
  ]) {
    try {
      await jsm.streams.info(config.name);
    } catch {
      await jsm.streams.add(config);
    }
  }
}
