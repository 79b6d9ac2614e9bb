import type { GraphQLSchema } from 'graphql';
import type { Executor } from '@graphql-tools/utils';
import { stitchSchemas } from '@graphql-tools/stitch';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import { createNatsExecutor, type NatsConnection } from '@simpul/bus';
import type { ServiceName, Subjects } from '@simpul/contracts';

const { stitchingDirectivesTransformer } = stitchingDirectives();

export interface ServiceSchemas {
  /** The stitched schema clients query. */
  gateway: GraphQLSchema;
  /** Each service's own schema and how to reach it, for operations one service answers alone. */
  services: ReadonlyMap<ServiceName, { schema: GraphQLSchema; executor: Executor }>;
}

export interface StitchOptions {
  nc: NatsConnection;
  subjects: Subjects;
  timeoutMs: number;
  onRequest?: (service: ServiceName) => void;
}

/**
 * Stitches the services' schemas. How types join across services comes from the
 * `@key`/`@merge` directives in each service's SDL, so adding a service needs no
 * gateway code. `batch: true` turns the merged lookups of one request into one NATS
 * request per service.
 */
export function stitchServices(schemas: ReadonlyMap<ServiceName, GraphQLSchema>, options: StitchOptions): ServiceSchemas {
  const services = new Map(
    [...schemas].map(([service, schema]) => [
      service,
      { schema, executor: createNatsExecutor({ ...options, service }) as Executor },
    ]),
  );
  const gateway = stitchSchemas({
    subschemaConfigTransforms: [stitchingDirectivesTransformer],
    subschemas: [...services].map(([service, { schema, executor }]) => ({ name: service, schema, executor, batch: true })),
  });
  return { gateway, services };
}
