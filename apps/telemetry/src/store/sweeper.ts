import type { Logger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import { applyRetention, type RetentionPolicy } from './retention.ts';
import type { SpanStore } from './span-store.ts';

/**
 * Runs the keep decision and the retention bounds every `intervalMs`, one run at a time.
 * `runOnce` lets tests (and shutdown) run them without waiting.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastRetention = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly spans: SpanStore,
    private readonly retention: RetentionPolicy,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** Retention reads the whole store, so it runs at most this often (the decision every interval). */
    private readonly retentionEveryMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(undefined, false), this.intervalMs);
  }

  /** One decision, and the retention bounds when they are due (or `force`d, as tests and runOnce do). */
  runOnce(now?: Date, force = true): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const decided = await this.spans.decide(now);
        const due = force || Date.now() - this.lastRetention >= this.retentionEveryMs;
        if (due) this.lastRetention = Date.now();
        const removed = due ? await applyRetention(this.prisma, this.retention, now) : { tracesDeleted: 0, exchangesDeleted: 0 };
        if (decided.kept + decided.dropped + removed.tracesDeleted + removed.exchangesDeleted > 0) {
          this.logger.debug({ ...decided, ...removed }, 'telemetry sweep');
        }
      } catch (error) {
        this.logger.error({ err: error }, 'telemetry sweep failed');
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
