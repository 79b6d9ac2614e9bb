import type { Logger } from './logger.ts';

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Graceful shutdown: things register how they stop, in start-up order, and are closed
 * in reverse (stop taking requests first, then drain the bus, then close the database)
 * on SIGINT/SIGTERM or when `shutdown()` is called. A second signal exits at once.
 */
export class Lifecycle {
  private readonly closers: Closer[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 10_000,
  ) {}

  onShutdown(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  /**
   * Installs signal handlers; for processes, not for services started inside tests.
   * One stop often arrives twice at once (a process-group kill plus npm or tsx relaying
   * it), so a repeat within a second is the same request; a later one, a second Ctrl-C,
   * means "stop now".
   */
  handleSignals(): void {
    let firstAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        if (Date.now() - firstAt < 1_000) return;
        this.logger.warn({ signal }, 'second signal, exiting now');
        process.exit(130);
      }
      firstAt = Date.now();
      this.logger.info({ signal }, 'shutting down');
      void this.shutdown().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.closeAll();
    return this.stopping;
  }

  private async closeAll(): Promise<void> {
    for (const closer of [...this.closers].reverse()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve(closer.close()),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
          }),
        ]);
      } catch (error) {
        this.logger.error({ err: error, component: closer.name }, 'failed to close cleanly');
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
