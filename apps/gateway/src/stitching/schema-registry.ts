import type { GraphQLSchema } from 'graphql';
import type { NatsConnection, ServiceExchange } from '@simpul/bus';
import type { ServiceName, Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import { fetchServiceSchema } from './discovery.ts';
import { stitchServices, type GatewayExtension, type ServiceSchemas } from './gateway-schema.ts';

export interface SchemaRegistryOptions {
  nc: NatsConnection;
  subjects: Subjects;
  services: readonly ServiceName[];
  serviceTimeoutMs: number;
  retryMs: number;
  logger: Logger;
  onRequest?: (service: ServiceName, exchange: ServiceExchange) => void;
  /** The gateway's own types (subscriptions), stitched in with the services. */
  extend?: GatewayExtension;
}

/**
 * Holds the stitched schema. Services that have not answered yet are looked for
 * again every `retryMs`; when one appears the schema is stitched anew, so the gateway
 * can start before the services and never needs a restart to pick them up.
 */
export class SchemaRegistry {
  private readonly known = new Map<ServiceName, GraphQLSchema>();
  private schemas: ServiceSchemas | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SchemaRegistryOptions) {}

  get current(): ServiceSchemas | undefined {
    return this.schemas;
  }

  missing(): ServiceName[] {
    return this.options.services.filter((s) => !this.known.has(s));
  }

  /** Waits up to `waitMs` for every service, then keeps looking in the background. */
  async start(waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    await this.discover();
    while (this.missing().length > 0 && Date.now() < deadline && !this.stopped) {
      this.options.logger.info({ missing: this.missing() }, 'waiting for services to answer with their SDL');
      await new Promise((r) => setTimeout(r, Math.min(this.options.retryMs, Math.max(0, deadline - Date.now()))));
      await this.discover();
    }
    if (this.missing().length > 0) {
      this.options.logger.warn({ missing: this.missing() }, 'serving without some services; still looking for them');
    }
    this.scheduleRetry();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleRetry(): void {
    if (this.stopped || this.missing().length === 0) return;
    this.timer = setTimeout(() => {
      void this.discover().finally(() => this.scheduleRetry());
    }, this.options.retryMs);
  }

  private async discover(): Promise<void> {
    const found = await Promise.all(
      this.missing().map(async (service) => [service, await fetchServiceSchema(this.options.nc, this.options.subjects, service, 1_000)] as const),
    );
    let changed = false;
    for (const [service, schema] of found) {
      if (schema) {
        this.known.set(service, schema);
        changed = true;
        this.options.logger.info({ service }, 'service schema discovered');
      }
    }
    if (changed || !this.schemas) this.restitch();
  }

  private restitch(): void {
    if (this.known.size === 0) return;
    this.schemas = stitchServices(
      this.known,
      {
        nc: this.options.nc,
        subjects: this.options.subjects,
        timeoutMs: this.options.serviceTimeoutMs,
        ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
      },
      this.options.extend,
    );
  }
}
