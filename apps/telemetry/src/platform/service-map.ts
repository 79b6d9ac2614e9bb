import { SERVICES } from '@simpul/contracts';
import type { ExchangeQueries } from '../exchanges/exchange-queries.ts';
import type { EventsMonitor } from '../events/events-state.ts';
import type { DeadLetter } from '@simpul/bus';

export interface ServiceMapNode {
  id: string;
  kind: 'GATEWAY' | 'SERVICE' | 'AGENCY_SYSTEM';
  label: string;
}
export interface ServiceMapEdge {
  from: string;
  to: string;
  kind: 'CALL' | 'EVENT';
  label: string | null;
  count: number;
  errors: number;
  rate: number;
}

/**
 * The platform as a graph. Calls come from the exchange records of the window: each
 * caller (an agency's users, an API client) to the gateway, the gateway to each service
 * (requests, and those that got no answer as errors). Events come from JetStream's
 * durable consumers: the service whose events a consumer reads to the service that owns
 * it, with deliveries as the count (since the consumer was created), redeliveries and
 * dead letters as errors, and deliveries per minute over the window as the rate.
 */
export async function buildServiceMap(exchanges: ExchangeQueries, events: EventsMonitor, deadLetters: DeadLetter[], from: Date, to: Date) {
  const minutes = Math.max(1 / 60, (to.getTime() - from.getTime()) / 60_000);
  const nodes = new Map<string, ServiceMapNode>([['gateway', { id: 'gateway', kind: 'GATEWAY', label: 'gateway' }]]);
  for (const service of SERVICES) nodes.set(service, { id: service, kind: 'SERVICE', label: service });
  const edges: ServiceMapEdge[] = [];

  const calls = await exchanges.callEdges(from, to);
  for (const caller of calls.callers) {
    if (!nodes.has(caller.node)) {
      const label = caller.node.startsWith('agency:')
        ? `${caller.node.slice(7)} (users)`
        : caller.node.startsWith('client:')
          ? `API client ${caller.node.slice(7)}`
          : 'anonymous';
      nodes.set(caller.node, { id: caller.node, kind: 'AGENCY_SYSTEM', label });
    }
    edges.push({ from: caller.node, to: 'gateway', kind: 'CALL', label: null, count: caller.count, errors: caller.errors, rate: caller.count / minutes });
  }
  for (const call of calls.services) {
    if (!nodes.has(call.service)) nodes.set(call.service, { id: call.service, kind: 'SERVICE', label: call.service });
    edges.push({ from: 'gateway', to: call.service, kind: 'CALL', label: null, count: call.count, errors: call.errors, rate: call.count / minutes });
  }

  const snapshot = await events.snapshot();
  const deadByConsumer = new Map<string, number>();
  for (const letter of deadLetters) deadByConsumer.set(letter.consumer, (deadByConsumer.get(letter.consumer) ?? 0) + 1);
  const eventEdges = new Map<string, ServiceMapEdge>();
  for (const consumer of snapshot.consumers) {
    if (!consumer.service) continue;
    for (const source of consumer.sources) {
      const key = `${source}->${consumer.service}`;
      const edge = eventEdges.get(key) ?? {
        from: source,
        to: consumer.service,
        kind: 'EVENT' as const,
        label: `${source} events`,
        count: 0,
        errors: 0,
        rate: 0,
      };
      edge.count += consumer.delivered;
      edge.errors += consumer.redelivered + (deadByConsumer.get(consumer.name) ?? 0);
      edge.rate += events.deliveryRate(consumer.stream, consumer.name, from) ?? 0;
      eventEdges.set(key, edge);
      if (!nodes.has(source)) nodes.set(source, { id: source, kind: 'SERVICE', label: source });
    }
  }
  edges.push(...eventEdges.values());
  return { nodes: [...nodes.values()], edges };
}
