/** One request's fate, as the client saw it. */
export interface Outcome {
  gateway: string;
  ok: boolean;
  /** When the client sent it (Date.now()): what was sent after a recovery is judged apart. */
  sentAt: number;
  /** Why it failed: the GraphQL error codes, or the connection error. */
  reason?: string;
}

interface Target {
  name: string;
  url: string;
}

type Ask = (url: string) => Promise<{ status: number; body: { errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] } }>;

/**
 * Clients sending queries one after the other through a load balancer in front of
 * several gateways: round robin over the gateways in rotation; a gateway whose
 * connection fails is taken out of rotation at once (a passive health check, as
 * nginx's max_fails=1 or an ingress with outlier detection). The request that failed is
 * not sent again: it is the client's failure that the test counts.
 */
export class LoadBalancedClients {
  readonly outcomes: Outcome[] = [];
  private readonly out = new Set<string>();
  private next = 0;
  private running: Promise<void>[] = [];
  private stopping = false;

  constructor(
    private readonly targets: readonly Target[],
    private readonly ask: Ask,
  ) {}

  start(clients: number): void {
    this.running = Array.from({ length: clients }, () => this.client());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  isOut(name: string): boolean {
    return this.out.has(name);
  }

  private pick(): Target {
    const inRotation = this.targets.filter((t) => !this.out.has(t.name));
    if (inRotation.length === 0) throw new Error('no gateway left in rotation');
    return inRotation[this.next++ % inRotation.length]!;
  }

  private async client(): Promise<void> {
    while (!this.stopping) {
      const target = this.pick();
      const sentAt = Date.now();
      try {
        const res = await this.ask(target.url);
        const errors = res.body.errors ?? [];
        const first = errors[0];
        this.outcomes.push(
          res.status === 200 && !first
            ? { gateway: target.name, ok: true, sentAt }
            : {
                gateway: target.name,
                ok: false,
                sentAt,
                reason: `HTTP ${res.status}${first ? `, ${errors.length} error(s), first ${first.extensions?.code ?? 'no code'} at ${first.path?.join('.') ?? '-'}: ${first.message}` : ''}`,
              },
        );
      } catch (error) {
        this.out.add(target.name);
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        this.outcomes.push({ gateway: target.name, ok: false, sentAt, reason: `connection: ${cause ?? (error as Error).message}` });
      }
    }
  }
}
