import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { decodeJson, type EventConsumer, type NatsConnection } from '@simpul/bus';
import type { AgencyEvent, AgencyEventSubjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { EventCatalogueStore } from '../event-catalogue/event-catalogue-store.ts';
import type { GrantChange } from '../event-catalogue/event-access-manager.ts';

export const FANOUT_CONSUMER = 'registry-agency-events-fanout';
const NANOS_PER_MS = 1_000_000;
const FANOUT_CONCURRENCY = 32;

/**
 * Delivery of accepted agency events to the API clients granted them. Each accepted
 * event is copied, once per granted client, onto the client's own subjects of the
 * deliveries stream (`<ns>.deliver.<clientId>.…`, de-duplicated by client and event id,
 * so a redelivered event is not copied twice); each client pulls from its own durable
 * consumer there (`deliver-<clientId>`), which its NATS credentials may pull from and
 * nothing else. The copy per client is what makes revocation exact on nats-server 2.9
 * (one filter subject per consumer): a revoked type's copies not yet pulled are purged,
 * and a client with no grant left loses its consumer.
 */
export class SubscriberDeliveries {
  private readonly js: JetStreamClient;
  private jsm: JetStreamManager | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly store: EventCatalogueStore,
    private readonly names: AgencyEventSubjects,
    private readonly logger: Logger,
  ) {
    this.js = jetstream(nc);
  }

  /** Copies each accepted event to its recipients; acknowledged only once every copy is stored. */
  async start(): Promise<EventConsumer> {
    const jsm = await this.manager();
    try {
      await jsm.consumers.add(this.names.acceptedStream, {
        durable_name: FANOUT_CONSUMER,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: this.names.allAccepted,
        ack_wait: 30_000 * NANOS_PER_MS,
        max_deliver: -1,
      });
    } catch {
      await jsm.consumers.info(this.names.acceptedStream, FANOUT_CONSUMER);
    }
    // Consumers follow the grants in the database (e.g. after the streams were recreated).
    for (const clientId of await this.store.grantedClients()) await this.ensureConsumer(jsm, clientId);
    const messages = await (await this.js.consumers.get(this.names.acceptedStream, FANOUT_CONSUMER)).consume();
    // Events are copied several at a time (each is a database read and a few stream
    // publishes); a client's copies need no order, as each carries its event's id.
    const inFlight = new Set<Promise<void>>();
    const loop = (async () => {
      for await (const msg of messages) {
        const work = this.fanOut(msg);
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
        if (inFlight.size >= FANOUT_CONCURRENCY) await Promise.race(inFlight);
      }
      await Promise.allSettled([...inFlight]);
    })();
    return {
      async stop() {
        await messages.close();
        await loop;
      },
    };
  }

  private async fanOut(msg: JsMsg): Promise<void> {
    try {
      const event = decodeJson(msg.data) as AgencyEvent;
      const recipients = await this.store.recipients(event.agencyCode, event.type, event.version);
      for (const clientId of recipients) {
        await this.js.publish(this.names.delivery(clientId, event.agencyCode, event.version, event.type), msg.data, {
          msgID: `${clientId}:${event.agencyCode}:${event.id}`,
          ...(msg.headers ? { headers: msg.headers } : {}),
        });
      }
      msg.ack();
    } catch (error) {
      this.logger.error({ err: error, seq: msg.seq }, 'cannot deliver an agency event; it will be retried');
      msg.nak(Math.min(30_000, 500 * 2 ** Math.min(6, msg.info.deliveryCount - 1)));
    }
  }

  /**
   * Makes a client's delivery follow its grants at once: a consumer while it holds any,
   * none when it holds none; copies of a type it may no longer receive are purged.
   */
  async grantsChanged(change: GrantChange): Promise<void> {
    const jsm = await this.manager();
    const stream = this.names.deliveryStream;
    const grants = await this.store.grantsOfClient(change.clientId);
    if (grants.length > 0) await this.ensureConsumer(jsm, change.clientId);
    if (!change.granted) {
      const same = grants.filter((g) => g.ownerAgencyCode === change.ownerAgencyCode && g.eventName === change.eventName);
      if (!same.some((g) => g.version === 0)) {
        const kept = new Set(same.map((g) => g.version));
        // Revoked "every version": purge each version not still granted one by one; revoked one version: that one.
        const versions = change.version === 0 ? await this.declaredVersions(change.ownerAgencyCode, change.eventName) : [change.version];
        for (const version of versions.filter((v) => !kept.has(v))) {
          await jsm.streams.purge(stream, { filter: this.names.deliveriesOfType(change.clientId, change.ownerAgencyCode, change.eventName, version) });
        }
      }
      if (grants.length === 0) await jsm.consumers.delete(stream, this.names.deliveryConsumer(change.clientId)).catch(() => false);
    }
  }

  /**
   * Has the client's consumer start again from `since`: the client pulls once more every
   * copy made for it since then (within the stream's 30 days). Copies of types it lost
   * were purged at revocation, so a replay never returns what it may no longer receive.
   */
  async replay(clientId: string, since: Date): Promise<void> {
    const jsm = await this.manager();
    const consumer = this.names.deliveryConsumer(clientId);
    await jsm.consumers.delete(this.names.deliveryStream, consumer).catch(() => false);
    await jsm.consumers.add(this.names.deliveryStream, {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: since.toISOString(),
      filter_subject: this.names.deliveriesOf(clientId),
      ack_wait: 30_000 * NANOS_PER_MS,
      max_ack_pending: 1000,
    });
  }

  private async ensureConsumer(jsm: JetStreamManager, clientId: string): Promise<void> {
    const consumer = this.names.deliveryConsumer(clientId);
    try {
      await jsm.consumers.info(this.names.deliveryStream, consumer);
    } catch {
      // The copies made from now on: a client gets nothing from before its first grant.
      await jsm.consumers.add(this.names.deliveryStream, {
        durable_name: consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: this.names.deliveriesOf(clientId),
        ack_wait: 30_000 * NANOS_PER_MS,
        max_ack_pending: 1000,
      });
    }
  }

  private async declaredVersions(owner: string, name: string): Promise<number[]> {
    const latest = await this.store.latest(owner, name);
    return latest ? Array.from({ length: latest.version }, (_, i) => i + 1) : [];
  }

  private async manager(): Promise<JetStreamManager> {
    this.jsm ??= await jetstreamManager(this.nc);
    return this.jsm;
  }
}
