import { setTimeout as sleep } from 'node:timers/promises';
import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@simpul/bus';
import { decodeJson } from '@simpul/bus';
import { EventEnvelope } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';

/** One platform event as the gateway's subscriptions see it. */
export interface FeedEvent {
  /** The JetStream stream sequence: the SSE event id a client reconnects with. */
  readonly seq: number;
  readonly subject: string;
  readonly envelope: EventEnvelope;
}

/** What one subscriber may hold unread before it is cut off (it reconnects with Last-Event-ID and misses nothing). */
const MAX_BACKLOG = 10_000;

/**
 * Follows one subject of the event stream for every subscription of this gateway: one
 * ordered (ephemeral, per process) consumer, however many subscribers, fanned out in
 * memory. A subscriber that reconnects after sequence N first replays N+1.. with its own
 * short-lived ordered consumer, then joins the live feed; events it already replayed are
 * skipped by sequence, so the join neither loses nor repeats one.
 */
export class EventFeed {
  private readonly listeners = new Set<(event: FeedEvent) => void>();
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private readonly stopping = new AbortController();
  private markReady!: () => void;
  /** The live consumer exists: every event stored from now on reaches the listeners. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  private loop: Promise<void> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    private readonly filter: string,
    private readonly logger: Logger,
    private readonly retryMs = 1_000,
  ) {}

  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        try {
          await this.followLive();
        } catch (error) {
          if (this.stopped) break;
          // Most likely the event stream does not exist yet (no service has started).
          this.logger.debug({ err: error, filter: this.filter }, 'not following events yet; trying again');
        }
        if (!this.stopped) await sleep(this.retryMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.messages?.close();
    await this.loop;
  }

  /**
   * The events after `afterSeq` (or from now when undefined), in stream order, until
   * `signal` aborts. Throws when the subscriber falls MAX_BACKLOG events behind.
   */
  async *events(afterSeq: number | undefined, signal: AbortSignal): AsyncGenerator<FeedEvent> {
    const backlog: FeedEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (event: FeedEvent) => {
      backlog.push(event);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.listeners.add(listener);
    signal.addEventListener('abort', onAbort);
    try {
      this.start();
      await this.ready;
      let last = afterSeq ?? 0;
      if (afterSeq !== undefined) {
        for await (const event of this.replay(afterSeq)) {
          if (signal.aborted) return;
          last = event.seq;
          yield event;
        }
      }
      while (!signal.aborted) {
        if (backlog.length > MAX_BACKLOG) throw new Error(`the subscriber fell more than ${MAX_BACKLOG} events behind`);
        const event = backlog.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        if (event.seq <= last) continue;
        last = event.seq;
        yield event;
      }
    } finally {
      this.listeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The events stored after `afterSeq`, up to the end of the stream as it is now. */
  private async *replay(afterSeq: number): AsyncGenerator<FeedEvent> {
    const consumer = await jetstream(this.nc).consumers.get(this.stream, {
      filter_subjects: this.filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSeq + 1,
    });
    if ((await consumer.info(true)).num_pending === 0) return;
    const messages = await consumer.consume();
    try {
      for await (const msg of messages) {
        const event = this.decode(msg);
        if (event) yield event;
        if (msg.info.pending === 0) break;
      }
    } finally {
      await messages.close();
    }
  }

  private async followLive(): Promise<void> {
    const consumer = await jetstream(this.nc).consumers.get(this.stream, { filter_subjects: this.filter, deliver_policy: DeliverPolicy.New });
    this.messages = await consumer.consume();
    this.markReady();
    if (this.stopped) await this.messages.close();
    for await (const msg of this.messages) {
      const event = this.decode(msg);
      if (event) for (const listener of this.listeners) listener(event);
    }
  }

  private decode(msg: JsMsg): FeedEvent | undefined {
    try {
      return { seq: msg.seq, subject: msg.subject, envelope: EventEnvelope.parse(decodeJson(msg.data)) };
    } catch (error) {
      this.logger.warn({ err: error, seq: msg.seq, subject: msg.subject }, 'ignored a malformed event');
      return undefined;
    }
  }
}
