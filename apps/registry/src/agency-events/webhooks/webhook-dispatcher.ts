import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { decodeJson, terminate, type NatsConnection } from '@simpul/bus';
import type { AgencyEvent, AgencyEventSubjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import { EVENT_ID_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature.ts';
import type { EventWebhook, WebhookStore } from './webhook-store.ts';

const NANOS_PER_MS = 1_000_000;
const POST_TIMEOUT_MS = 10_000;
const POSTS_IN_FLIGHT = 8;
const WEBHOOK_CACHE_MS = 2_000;

export interface WebhookRetryPolicy {
  /** Deliveries tried before the event is parked as a dead letter. */
  maxAttempts: number;
  /** Wait before the second attempt; doubled each time, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export type PostOutcome = { ok: true } | { ok: false; error: string };

/** The consumer a client's webhook is fed from (beside the one the client itself may pull from). */
export const webhookConsumer = (clientId: string) => `webhook-${clientId}`;

/**
 * Sends each event copied for a client with a webhook as a signed POST. A 2xx answer
 * acknowledges it; anything else (an error status, a timeout, no connection) is retried
 * with exponential backoff by JetStream redelivery, and after `maxAttempts` the event is
 * parked as a dead letter (replayable) and the next ones go on. The webhook's health
 * (last success, last failure and error, failures in a row) is kept for the console.
 */
export class WebhookDispatcher {
  private readonly running = new Map<string, { messages: ConsumerMessages; loop: Promise<void> }>();
  /**
   * Webhooks read at most every WEBHOOK_CACHE_MS per client, and a run of successes
   * recorded at most that often: two database round trips per event otherwise. Another
   * registry instance sees a changed address or secret within that time.
   */
  private readonly webhooks = new Map<string, { webhook: EventWebhook; at: number }>();
  private readonly successRecorded = new Map<string, number>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly store: WebhookStore,
    private readonly names: AgencyEventSubjects,
    private readonly retry: WebhookRetryPolicy,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async startAll(): Promise<void> {
    for (const webhook of await this.store.all()) await this.start(webhook.clientId);
  }

  /** Starts (or keeps) delivery to the client's webhook, from the events copied from now on. */
  async start(clientId: string): Promise<void> {
    if (this.running.has(clientId)) return;
    const jsm = await jetstreamManager(this.nc);
    const durable = webhookConsumer(clientId);
    try {
      await jsm.consumers.info(this.names.deliveryStream, durable);
    } catch {
      await jsm.consumers.add(this.names.deliveryStream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: this.names.deliveriesOf(clientId),
        ack_wait: (POST_TIMEOUT_MS + 20_000) * NANOS_PER_MS,
        max_deliver: -1,
      });
    }
    const messages = await (await jetstream(this.nc).consumers.get(this.names.deliveryStream, durable)).consume();
    // A few POSTs at a time per webhook: order is not promised (each carries its event id).
    const inFlight = new Set<Promise<void>>();
    const loop = (async () => {
      for await (const msg of messages) {
        const work = this.deliver(clientId, msg);
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
        if (inFlight.size >= POSTS_IN_FLIGHT) await Promise.race(inFlight);
      }
      await Promise.allSettled([...inFlight]);
    })();
    this.running.set(clientId, { messages, loop });
  }

  /** Stops delivery and forgets the consumer (the webhook was removed). */
  async remove(clientId: string): Promise<void> {
    this.forget(clientId);
    await this.stopOne(clientId);
    const jsm = await jetstreamManager(this.nc);
    await jsm.consumers.delete(this.names.deliveryStream, webhookConsumer(clientId)).catch(() => false);
  }

  async stop(): Promise<void> {
    for (const clientId of [...this.running.keys()]) await this.stopOne(clientId);
  }

  /** One signed POST of `body` to the webhook. */
  async post(webhook: EventWebhook, eventId: string, body: string): Promise<PostOutcome> {
    const timestamp = Math.floor(this.now().getTime() / 1000);
    try {
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [EVENT_ID_HEADER]: eventId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(webhook.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => {});
      return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  /** Forgets what is cached about a client's webhook (it was set again or removed here). */
  forget(clientId: string): void {
    this.webhooks.delete(clientId);
    this.successRecorded.delete(clientId);
  }

  private async webhook(clientId: string): Promise<EventWebhook | null> {
    const cached = this.webhooks.get(clientId);
    if (cached && Date.now() - cached.at < WEBHOOK_CACHE_MS) return cached.webhook;
    const webhook = await this.store.find(clientId);
    if (webhook) this.webhooks.set(clientId, { webhook, at: Date.now() });
    else this.webhooks.delete(clientId);
    return webhook;
  }

  private async stopOne(clientId: string): Promise<void> {
    const running = this.running.get(clientId);
    if (!running) return;
    this.running.delete(clientId);
    await running.messages.close();
    await running.loop;
  }

  private async deliver(clientId: string, msg: JsMsg): Promise<void> {
    try {
      const webhook = await this.webhook(clientId);
      // terminate(): nats-server 2.9 ignores a TERM with a reason, and the message would come back.
      if (!webhook) return terminate(this.nc, msg, 'webhook removed');
      const body = new TextDecoder().decode(msg.data);
      const event = decodeJson(msg.data) as AgencyEvent;
      const outcome = await this.post(webhook, event.id, body);
      if (outcome.ok) {
        const last = this.successRecorded.get(clientId);
        if (last === undefined || Date.now() - last > WEBHOOK_CACHE_MS) {
          this.successRecorded.set(clientId, Date.now());
          await this.store.succeeded(clientId, this.now());
        }
        msg.ack();
        return;
      }
      // A failure is always recorded, and the next success with it.
      this.successRecorded.delete(clientId);
      await this.store.failed(clientId, this.now(), outcome.error);
      const attempt = msg.info.deliveryCount;
      if (attempt >= this.retry.maxAttempts) {
        await this.store.deadLetter({
          clientId,
          eventId: event.id,
          eventType: `${event.agencyCode}/${event.type}@${event.version}`,
          payload: body,
          attempts: attempt,
          lastError: outcome.error,
        });
        terminate(this.nc, msg, `dead letter after ${attempt} attempts`);
        this.logger.warn({ clientId, eventId: event.id, attempts: attempt, error: outcome.error }, 'webhook delivery parked as a dead letter');
        return;
      }
      msg.nak(Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (attempt - 1)));
    } catch (error) {
      // The database away: try again later, nothing is lost.
      this.logger.error({ err: error, clientId }, 'webhook delivery failed before an answer; will retry');
      msg.nak(this.retry.firstDelayMs);
    }
  }
}
