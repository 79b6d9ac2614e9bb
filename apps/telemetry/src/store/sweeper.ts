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

  constructor(
    private readonly prisma: PrismaClient,
    private readonly spans: SpanStore,
    private readonly retention: RetentionPolicy,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
  }

  runOnce(now?: Date): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const decided = await this.spans.decide(now);
        const removed = await applyRetention(this.prisma, this.retention, now);
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
