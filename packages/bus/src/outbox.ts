import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { eventOrderKey } from '@simpul/contracts';
import type { AdvisoryLock, LockLease, Logger } from '@simpul/kit';
import { publishEvent, type OutgoingEvent } from './events.ts';

/** Where a service keeps its unpublished events (its own outbox table). */
export interface OutboxStore {
  /** The oldest unpublished events, in the order they were written. */
  pending(limit: number): Promise<OutgoingEvent[]>;
  markPublished(ids: string[]): Promise<void>;
}

export interface OutboxRelayOptions {
  nc: NatsConnection;
  store: OutboxStore;
  logger: Logger;
  /** How often to look for events written by other instances or left after a failure. */
  intervalMs?: number;
  batchSize?: number;
  /**
   * Held while draining, so that of several instances of a service only one publishes
   * at a time (kit's AdvisoryLock in the service's database). Without it the relay
   * assumes it is alone.
   */
  lock?: Pick<AdvisoryLock, 'tryWithLock' | 'withLock'>;
  /**
   * Events with the same key keep the order they were written in; events with different
   * keys are published side by side. Default: contracts' `eventOrderKey` (per aggregate
   * where the event's definition names it, else per entity).
   */
  orderKey?: (event: OutgoingEvent) => string;
}

/** The lease of a relay that runs alone (no lock given): it never loses it. */
const ALONE: LockLease = { held: () => true };

/**
 * Publishes outbox rows to JetStream, each aggregate's in the order they were written. A
 * row is marked published only after JetStream acknowledged it; the event id is the
 * message id, so a crash between publishing and marking republishes a duplicate that the
 * stream drops. On failure (NATS or the database away) it waits and tries again; it
 * never gives up.
 *
 * A round of up to `batchSize` events is split by order key (see `publishRound`): each
 * key's events go one after the other, each awaiting its acknowledgement, while the keys
 * go side by side, and the round is marked in one statement. Why not all at once: when a
 * publish fails while later ones are stored (the stream's leader dies mid-round: the
 * three-node cluster test caught it), the failed event is stored after them on the retry.
 * Within a key the next event is sent only once the one before is stored, and a key stops
 * at its first failure, so its order in the stream is the outbox's, always; across keys
 * no consumer relies on an order.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly js;
  private readonly orderKey: (event: OutgoingEvent) => string;

  constructor(private readonly options: OutboxRelayOptions) {
    this.js = jetstream(options.nc);
    this.orderKey = options.orderKey ?? defaultOrderKey;
  }

  start(): void {
    this.schedule(0);
  }

  /** Call after committing a change that wrote an event: publishes without waiting for the next tick. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Resolves once everything pending at the time of the call has been published (tests use it). */
  async flush(): Promise<void> {
    await this.running;
    const lock = this.options.lock;
    if (lock) await lock.withLock((lease) => this.drainOnce(lease));
    else await this.drainOnce(ALONE);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    let delay = this.options.intervalMs ?? 1_000;
    this.running = this.drainExclusively()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'outbox relay failed; retrying');
        delay = Math.max(delay, 2_000);
      })
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
    const soon = this.again;
    this.again = false;
    this.schedule(soon ? 0 : delay);
  }

  /**
   * Drains when no other instance does; else leaves it to that one (it drains until empty).
   *
   * Several instances of a service share one outbox. Each drain runs under a PostgreSQL
   * advisory lock of the service's database (one drainer at a time; the others skip
   * their turn and look again at the next tick). Why a lock for the whole drain rather
   * than row locks: `FOR UPDATE SKIP LOCKED` lets a second relay publish row 6 while the
   * first still publishes row 5 of the same aggregate, so order per aggregate would need
   * a lock per aggregate; one drainer per database keeps the outbox's order with one
   * lock, and an outbox is drained far faster than it is written. The lock dies with its
   * connection, so a killed instance never blocks the others, and a drainer whose
   * connection broke stops before its next batch. The message id (the event id) is the
   * second line: a row published twice (a crash between publish and mark) is dropped
   * by JetStream's duplicate window.
   */
  private async drainExclusively(): Promise<void> {
    const lock = this.options.lock;
    if (!lock) return this.drainOnce(ALONE);
    await lock.tryWithLock((lease) => this.drainOnce(lease));
  }

  private async drainOnce(lease: LockLease): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    for (;;) {
      // Another instance may have taken over: stop before publishing behind its back.
      if (!lease.held()) throw new Error('outbox relay lost its lock; another instance drains');
      const events = await this.options.store.pending(batchSize);
      if (events.length === 0) return;
      const { published, failure } = await publishRound(this.js, events, this.orderKey);
      if (published.length > 0) await this.options.store.markPublished(published);
      if (failure !== undefined) throw failure;
      if (events.length < batchSize) return;
    }
  }
}

/**
 * Publishes one round: the events of one order key one after the other, the keys side by
 * side. After the first failure no further publish starts, in any key: what was
 * acknowledged is returned (to be marked), everything else is tried again in the next
 * round from the outbox, where each key's first unpublished event still comes first (a
 * message stored although its acknowledgement was lost is a duplicate the stream drops).
 */
export async function publishRound(
  js: JetStreamClient,
  events: readonly OutgoingEvent[],
  orderKey: (event: OutgoingEvent) => string,
): Promise<{ published: string[]; failure: unknown }> {
  const chains = new Map<string, OutgoingEvent[]>();
  for (const event of events) {
    const key = orderKey(event);
    const chain = chains.get(key);
    if (chain) chain.push(event);
    else chains.set(key, [event]);
  }
  const published: string[] = [];
  let failed = false;
  let failure: unknown;
  await Promise.all(
    [...chains.values()].map(async (chain) => {
      for (const event of chain) {
        if (failed) return;
        try {
          await publishEvent(js, event);
        } catch (error) {
          if (!failed) failure = error;
          failed = true;
          return;
        }
        published.push(event.id);
      }
    }),
  );
  return { published, failure };
}

/** Contracts' key: per aggregate where the event's definition names it, else per entity. */
function defaultOrderKey(event: OutgoingEvent): string {
  return eventOrderKey(event.type, event.payload.data);
}
