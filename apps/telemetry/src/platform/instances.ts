import { SERVICES, telemetrySubjects, type InstanceInfo, type Subjects } from '@simpul/contracts';
import type { HealthReport, NatsConnection } from '@simpul/bus';
import { decodeJson } from '@simpul/bus';

export interface InstanceState {
  id: string;
  service: string;
  kind: 'SERVICE' | 'GATEWAY';
  host: string | null;
  pid: number | null;
  startedAt: string | null;
  lastSeen: Date;
  healthy: boolean;
  ready: boolean;
  checks: { key: string; value: string }[];
  outbox: HealthReport['outbox'] | null;
}

/** How long an instance that stopped answering is still listed (as unhealthy). */
const FORGET_AFTER_MS = 10 * 60_000;
/** An instance that missed a discovery (busy, on a loaded machine) counts as healthy for this long after its last answer. */
const GRACE_MS = 15_000;

/**
 * Finds every service and gateway instance over NATS: each answers its service's health
 * subject (no queue group, so all answer; see serveGraphQL), gateways answer theirs.
 * One discovery asks them all at once and collects answers for `waitMs`. Instances that
 * answered before and not now stay listed as unhealthy for a while, so an operator sees
 * what went away.
 */
export class InstanceDirectory {
  private readonly known = new Map<string, InstanceState>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: Subjects,
    private readonly waitMs = 750,
  ) {}

  async discover(now = new Date()): Promise<InstanceState[]> {
    const targets: [string, string, 'SERVICE' | 'GATEWAY'][] = [
      ...SERVICES.map((s) => [this.subjects.health(s), s, 'SERVICE'] as [string, string, 'SERVICE']),
      [telemetrySubjects(this.subjects).gatewayHealth, 'gateway', 'GATEWAY'],
    ];
    const seen = new Set<string>();
    await Promise.all(
      targets.map(async ([subject, service, kind]) => {
        let replies: AsyncIterable<{ data: Uint8Array }>;
        try {
          replies = await this.nc.requestMany(subject, undefined, { strategy: 'timer', maxWait: this.waitMs });
        } catch {
          return;
        }
        try {
          for await (const msg of replies) {
            if (msg.data.length === 0) continue;
            const report = decodeJson(msg.data) as HealthReport & { instance?: InstanceInfo };
            const info = report.instance;
            const id = info ? `${service}:${info.id}` : `${service}:unknown`;
            seen.add(id);
            this.known.set(id, {
              id,
              service,
              kind,
              host: info?.host ?? null,
              pid: info?.pid ?? null,
              startedAt: info?.startedAt ?? null,
              lastSeen: now,
              healthy: true,
              ready: report.status === 'ok',
              checks: Object.entries(report.checks ?? {}).map(([key, value]) => ({ key, value: String(value) })),
              outbox: report.outbox ?? null,
            });
          }
        } catch {
          /* no responders: nobody of this service is running */
        }
      }),
    );
    for (const [id, instance] of this.known) {
      if (seen.has(id)) continue;
      const silentMs = now.getTime() - instance.lastSeen.getTime();
      if (silentMs > FORGET_AFTER_MS) this.known.delete(id);
      else if (silentMs > GRACE_MS) this.known.set(id, { ...instance, healthy: false, ready: false });
    }
    return this.list();
  }

  list(): InstanceState[] {
    return [...this.known.values()].sort((a, b) => a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
  }

  /** Each service's outbox backlog: the largest any of its instances reported (they share a database). */
  outboxes(): { service: string; pending: number | null; oldestPendingAt: string | null }[] {
    return SERVICES.map((service) => {
      const reports = this.list().filter((i) => i.service === service && i.healthy && i.outbox);
      if (reports.length === 0) return { service, pending: null, oldestPendingAt: null };
      const worst = reports.reduce((a, b) => ((b.outbox?.pending ?? 0) > (a.outbox?.pending ?? 0) ? b : a));
      return { service, pending: worst.outbox!.pending, oldestPendingAt: worst.outbox!.oldestPendingAt };
    });
  }
}
