import type { Logger } from '@simpul/kit';
import type { TelemetryManagers } from '../telemetry.ts';

/**
 * Every `intervalMs`, publishes what the console's overview and events pages show live:
 * instances, the last minute's rate and latency, consumers, outboxes and dead letters.
 */
export class SnapshotTicker {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly managers: TelemetryManagers,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { instances, events, live } = this.managers;
      const [found, snapshot, [minute]] = await Promise.all([
        instances.discover(),
        events.snapshot(),
        this.managers.prisma.$queryRaw<{ count: number; errors: number; p50: number | null; p95: number | null; p99: number | null }[]>`
          SELECT count(*)::int AS count, count(*) FILTER (WHERE outcome <> 'OK')::int AS errors,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
                 percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
                 percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99
          FROM exchange WHERE at > now() - interval '1 minute'`,
      ]);
      live.publish({
        event: 'snapshot',
        data: {
          at: new Date().toISOString(),
          instances: found.map((i) => ({ id: i.id, service: i.service, kind: i.kind, healthy: i.healthy, ready: i.ready, lastSeen: i.lastSeen.toISOString() })),
          lastMinute: {
            count: minute?.count ?? 0,
            errors: minute?.errors ?? 0,
            p50Ms: minute?.p50 ?? null,
            p95Ms: minute?.p95 ?? null,
            p99Ms: minute?.p99 ?? null,
          },
          consumers: snapshot.consumers.map((c) => ({
            stream: c.stream,
            name: c.name,
            pending: c.pending,
            ackPending: c.ackPending,
            redelivered: c.redelivered,
            lastActivity: c.lastActivity,
          })),
          outboxes: instances.outboxes(),
          deadLetters: snapshot.streams.find((s) => s.name.endsWith('_DEAD_LETTERS'))?.messages ?? 0,
        },
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'live snapshot failed');
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
