import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from '@simpul/kit';
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
}

/**
 * Publishes outbox rows to JetStream in the order they were written. A row is marked
 * published only after JetStream acknowledged it; the event id is the message id, so a
 * crash between publishing and marking republishes a duplicate that the stream drops.
 * On failure (NATS or the database away) it waits and tries again; it never gives up.
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
    await this.drainOnce();
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
    this.running = this.drainOnce()
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

  private async drainOnce(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const events = await this.options.store.pending(batchSize);
      if (events.length === 0) return;
      for (const event of events) {
        await publishEvent(this.js, event);
        await this.options.store.markPublished([event.id]);
      }
      if (events.length < batchSize) return;
    }
  }
}
