import { jetstreamManager, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@simpul/bus';
import { SERVICES, type Subjects } from '@simpul/contracts';

export interface StreamState {
  name: string;
  subjects: string[];
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  consumerCount: number;
}

export interface ConsumerState {
  stream: string;
  name: string;
  service: string | null;
  /** Services whose events it reads, from its filter subjects (`<ns>.evt.<service>.…`). */
  sources: string[];
  pending: number;
  ackPending: number;
  redelivered: number;
  waiting: number;
  delivered: number;
  lastDelivered: string | null;
  lastAcked: string | null;
  lastActivity: string | null;
}

export interface JetStreamSnapshot {
  at: Date;
  streams: StreamState[];
  consumers: ConsumerState[];
}

/** How long delivery counts are remembered, for the service map's event rates. */
const HISTORY_MS = 60 * 60_000;

/**
 * The event side as JetStream sees it: this namespace's streams and every durable
 * consumer with its pending, ack-pending and redelivered counts and its last activity.
 * Snapshots are remembered for an hour, so event edges get a rate (deliveries per minute).
 */
export class EventsMonitor {
  private jsm: JetStreamManager | undefined;
  private readonly history: { at: number; delivered: Map<string, number> }[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: Subjects,
  ) {}

  async snapshot(now = new Date()): Promise<JetStreamSnapshot> {
    this.jsm ??= await jetstreamManager(this.nc);
    const prefix = this.subjects.namespace.toUpperCase().replace(/-/g, '_') + '_';
    const streams: StreamState[] = [];
    const consumers: ConsumerState[] = [];
    for await (const info of this.jsm.streams.list()) {
      if (!info.config.name.startsWith(prefix)) continue;
      streams.push({
        name: info.config.name,
        subjects: info.config.subjects ?? [],
        messages: info.state.messages,
        bytes: info.state.bytes,
        firstSeq: info.state.first_seq,
        lastSeq: info.state.last_seq,
        consumerCount: info.state.consumer_count,
      });
      for await (const consumer of this.jsm.consumers.list(info.config.name)) {
        if (!consumer.config.durable_name) continue;
        consumers.push(this.consumerState(consumer));
      }
    }
    consumers.sort((a, b) => a.stream.localeCompare(b.stream) || a.name.localeCompare(b.name));
    this.history.push({ at: now.getTime(), delivered: new Map(consumers.map((c) => [`${c.stream}/${c.name}`, c.delivered])) });
    while (this.history.length && now.getTime() - this.history[0]!.at > HISTORY_MS) this.history.shift();
    return { at: now, streams, consumers };
  }

  /** Deliveries per minute of a consumer since `since` (from remembered snapshots; null without two of them). */
  deliveryRate(stream: string, name: string, since: Date): number | null {
    const key = `${stream}/${name}`;
    const points = this.history.filter((h) => h.at >= since.getTime() && h.delivered.has(key));
    if (points.length < 2) return null;
    const first = points[0]!;
    const last = points.at(-1)!;
    const minutes = (last.at - first.at) / 60_000;
    return minutes > 0 ? (last.delivered.get(key)! - first.delivered.get(key)!) / minutes : null;
  }

  private consumerState(info: ConsumerInfo): ConsumerState {
    const config = info.config as { filter_subject?: string; filter_subjects?: string[] };
    const filters = [...(config.filter_subjects ?? []), ...(config.filter_subject ? [config.filter_subject] : [])];
    const evt = `${this.subjects.namespace}.evt.`;
    const sources = [...new Set(filters.filter((f) => f.startsWith(evt)).map((f) => f.slice(evt.length).split('.')[0]!))];
    const owner = SERVICES.find((s) => info.name === s || info.name.startsWith(`${s}-`)) ?? null;
    const lastDelivered = time(info.delivered?.last_active);
    const lastAcked = time(info.ack_floor?.last_active);
    return {
      stream: info.stream_name,
      name: info.name,
      service: owner,
      sources,
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      redelivered: info.num_redelivered,
      waiting: info.num_waiting,
      delivered: info.delivered?.consumer_seq ?? 0,
      lastDelivered,
      lastAcked,
      lastActivity:
        [lastDelivered, lastAcked]
          .filter((t): t is string => t !== null)
          .sort()
          .at(-1) ?? null,
    };
  }
}

/** JetStream's last_active: an RFC 3339 time (nats-server) or nanoseconds; null when never. */
function time(value: unknown): string | null {
  if (typeof value === 'string') {
    const t = new Date(value);
    return Number.isNaN(t.getTime()) || t.getUTCFullYear() < 2000 ? null : t.toISOString();
  }
  if (typeof value === 'number' && value > 0) return new Date(value / 1e6).toISOString();
  return null;
}
