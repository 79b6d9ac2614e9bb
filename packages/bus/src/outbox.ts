import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
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
}

/** The lease of a relay that runs alone (no lock given): it never loses it. */
const ALONE: LockLease = { held: () => true };

/**
 * Publishes outbox rows to JetStream in the order they were written. A row is marked
 * published only after JetStream acknowledged it; the event id is the message id, so a
 * crash between publishing and marking republishes a duplicate that the stream drops.
 * Each round of up to `batchSize` events is published one after the other and marked in
 * one statement. On failure (NATS or the database away) it waits and tries again; it
 * never gives up.
 *
 * Why not publish a round all at once: when a publish fails while later ones of the
 * round are stored (the stream's leader dies mid-round: the three-node cluster test
 * caught it), the failed event is stored after them on the retry, and consumers apply an
 * aggregate's events out of order. Publishing the next event only once the previous one
 * is acknowledged keeps the outbox's order in the stream, always.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly js;

  constructor(private readonly options: OutboxRelayOptions) {
    this.js = jetstream(options.nc);
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
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      // Another instance may have taken over: stop before publishing behind its back.
      if (!lease.held()) throw new Error('outbox relay lost its lock; another instance drains');
      const events = await this.options.store.pending(batchSize);
      if (events.length === 0) return;
      // One at a time, in order (see the class comment). What was acknowledged, up to the
      // first failure, is marked in one statement; the rest is tried again next time (a
      // message stored although its acknowledgement was lost is a duplicate the stream drops).
      const published: OutgoingEvent[] = [];
      let failure: unknown;
      for (const event of events) {
        try {
          await publishEvent(this.js, event);
        } catch (error) {
          failure = error;
          break;
        }
        published.push(event);
      }
      if (published.length > 0) await this.options.store.markPublished(published.map((e) => e.id));
      if (failure !== undefined) throw failure;
      if (events.length < batchSize) return;
    }
  }
}
