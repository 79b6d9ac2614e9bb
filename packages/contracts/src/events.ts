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
}

export function defineEvent<TData extends z.ZodType>(def: EventDefinition<TData>): EventDefinition<TData> {
  return def;
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
});

/** identity: an agency's name, kind or parent changed (its code never does). */
export const AgencyUpdated = defineEvent({
  service: 'identity',
  entity: 'agency',
  verb: 'updated',
  version: 1,
  data: AgencyCreated.data,
});

/** The event type name, e.g. `identity.agency.created`. */
export function eventType(def: EventDefinition): string {
  return `${def.service}.${def.entity}.${def.verb}`;
}

export type EventData<D extends EventDefinition> = z.infer<D['data']>;
