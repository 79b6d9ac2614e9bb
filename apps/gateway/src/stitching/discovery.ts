import { buildSchema, type GraphQLSchema } from 'graphql';
import type { NatsConnection } from '@simpul/bus';
import type { ServiceName, Subjects } from '@simpul/contracts';

/** Asks a service for its SDL over NATS; undefined when no instance answers. */
export async function fetchServiceSchema(nc: NatsConnection, subjects: Subjects, service: ServiceName, timeoutMs: number): Promise<GraphQLSchema | undefined> {
  try {
    const reply = await nc.request(subjects.sdl(service), new Uint8Array(), { timeout: timeoutMs });
    return buildSchema(reply.string());
  } catch {
    return undefined;
  }
}
