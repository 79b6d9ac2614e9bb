import { z } from 'zod';
import { AGENCY_KINDS, AgencyCode } from './agency.ts';
import type { ServiceName } from './services.ts';

/**
 * Every platform event travels in this envelope. `id` is the outbox row id and the
 * JetStream message id, so a republished event is de-duplicated by the stream and a
 * redelivered one is recognised by consumers.
 */
export const EventEnvelope = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  source: z.string().min(1),
  data: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export interface EventDefinition<TData extends z.ZodType = z.ZodType> {
  readonly service: ServiceName;
  readonly entity: string;
  readonly verb: string;
  readonly version: number;
  readonly data: TData;
  /**
   * Which instance of `entity` the event is about (an agency's code, an employee's NIP).
   * The outbox relay keeps each aggregate's events in the order they were written and
   * publishes different aggregates' events side by side; without it, every event of the
   * entity keeps its place behind the one before (always correct, only slower).
   */
  aggregate?(data: z.infer<TData>): string;
}

/** Every definition made in this process, by type: the relay reads an event's aggregate through it. */
const definitions = new Map<string, EventDefinition>();

export function defineEvent<TData extends z.ZodType>(def: EventDefinition<TData>): EventDefinition<TData> {
  definitions.set(eventType(def), def as EventDefinition);
  return def;
}

/**
 * The key under which an event must keep its order: `<service>.<entity>#<aggregate>`
 * when its definition names the aggregate, else `<service>.<entity>` (all of that
 * entity's events in order). Events with different keys may be published in any order
 * relative to each other. Data that the definition cannot read falls back to the entity.
 */
export function eventOrderKey(type: string, data: unknown): string {
  const entity = type.slice(0, type.lastIndexOf('.'));
  const definition = definitions.get(type);
  if (!definition?.aggregate) return entity;
  try {
    const aggregate = definition.aggregate(data);
    return typeof aggregate === 'string' ? `${entity}#${aggregate}` : entity;
  } catch {
    return entity;
  }
}

/** identity: an agency joined the platform. */
export const AgencyCreated = defineEvent({
  service: 'identity',
  entity: 'agency',
  verb: 'created',
  version: 1,
  data: z.object({
    code: AgencyCode,
    name: z.string().min(1),
    kind: z.enum(AGENCY_KINDS),
    parentCode: AgencyCode.nullable(),
  }),
  aggregate: (agency) => agency.code,
});

/** identity: an agency's name, kind or parent changed (its code never does). */
export const AgencyUpdated = defineEvent({
  service: 'identity',
  entity: 'agency',
  verb: 'updated',
  version: 1,
  data: AgencyCreated.data,
  aggregate: (agency) => agency.code,
});

/** The event type name, e.g. `identity.agency.created`. */
export function eventType(def: EventDefinition): string {
  return `${def.service}.${def.entity}.${def.verb}`;
}

export type EventData<D extends EventDefinition> = z.infer<D['data']>;
