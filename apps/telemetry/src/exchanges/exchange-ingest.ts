import { decodeJson, type NatsConnection } from '@simpul/bus';
import { telemetrySubjects, type ExchangeRecord, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { Subscription } from '@nats-io/nats-core';
import { parseExchangeRecord, type ExchangeStore } from './exchange-store.ts';

export interface ExchangeIngestOptions {
  nc: NatsConnection;
  subjects: Subjects;
  store: ExchangeStore;
  logger: Logger;
  /** Called for each record taken in (the live feed). */
  received?: (record: ExchangeRecord) => void;
  flushMs?: number;
  /** Records waiting beyond this are dropped (counted and logged): memory stays bounded under overload. */
  maxBuffered?: number;
}

/**
 * Takes the gateways' exchange records off NATS (in a queue group: with several telemetry
 * instances each record is stored once) and writes them in batches.
 */
export class ExchangeIngest {
  private buffer: ExchangeRecord[] = [];
  private readonly subscription: Subscription;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  dropped = 0;
  stored = 0;

  constructor(private readonly options: ExchangeIngestOptions) {
    const max = options.maxBuffered ?? 10_000;
    this.subscription = options.nc.subscribe(telemetrySubjects(options.subjects).exchange, {
      queue: 'telemetry',
      callback: (_error, msg) => {
        let record: ExchangeRecord | null = null;
        try {
          record = parseExchangeRecord(decodeJson(msg.data));
        } catch {
          record = null;
        }
        if (!record) return;
        if (this.buffer.length >= max) {
          this.dropped++;
          return;
        }
        this.buffer.push(record);
        options.received?.(record);
      },
    });
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 500);
  }

  /** Writes what is buffered; resolves once it is stored (tests wait on it). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.buffer;
      if (batch.length === 0) return;
      this.buffer = [];
      try {
        this.stored += await this.options.store.add(batch);
      } catch (error) {
        this.dropped += batch.length;
        this.options.logger.error({ err: error, records: batch.length }, 'could not store exchange records');
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.subscription.drain().catch(() => {});
    await this.flush();
  }
}
