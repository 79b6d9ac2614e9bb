// The services' own code started inside a benchmark process (the monolith, and the
// per-service HTTP endpoints Hive Gateway composes): each service's runtime, schema,
// resolvers and context, answering through its responder's in-process entry. They run
// on the platform's databases but on a NATS namespace of their own (SIMPUL_NAMESPACE +
// BENCH_NAMESPACE_SUFFIX), so they never answer the gateway's requests. (Their outbox
// relays publish to that namespace's stream: a write made here is published from here.)
import { buildSchema, type GraphQLSchema } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { createBusTokenVerifier, createTokenDenyList, type GraphQLResponder, type NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import type { BenchService } from '../scenarios.ts';
import { createLogger, type TokenVerifier } from '@simpul/kit';
import * as identity from '../../apps/identity/src/service.ts';
import * as identityEnv from '../../apps/identity/src/environment.ts';
import { createIdentitySchema } from '../../apps/identity/src/schema/schema.ts';
import * as personnel from '../../apps/personnel/src/service.ts';
import * as personnelEnv from '../../apps/personnel/src/environment.ts';
import { createPersonnelSchema } from '../../apps/personnel/src/schema/schema.ts';
import * as documents from '../../apps/documents/src/service.ts';
import * as documentsEnv from '../../apps/documents/src/environment.ts';
import { createDocumentsSchema } from '../../apps/documents/src/schema/schema.ts';
import * as registry from '../../apps/registry/src/service.ts';
import * as registryEnv from '../../apps/registry/src/environment.ts';
import { createRegistrySchema } from '../../apps/registry/src/schema/schema.ts';

export interface InProcessService {
  /** The schema the service announces (built from its SDL, as the gateway builds it). */
  sdlSchema: GraphQLSchema;
  responder: GraphQLResponder;
  stop(): Promise<void>;
}

const source: Record<string, string | undefined> = {
  ...process.env,
  SIMPUL_DEMO: 'false',
  SIMPUL_NAMESPACE: `${process.env.SIMPUL_NAMESPACE}${process.env.BENCH_NAMESPACE_SUFFIX ?? 'bench'}`,
};
/** Each service's settings: its own database from DATABASE_URL_<SERVICE> (one process may hold all four). */
const settingsOf = (service: BenchService) => ({ ...source, DATABASE_URL: process.env[`DATABASE_URL_${service.toUpperCase()}`] ?? source.DATABASE_URL });
type Started = { responder: GraphQLResponder; nc: NatsConnection; subjects: Subjects; stop(): Promise<void> };
const starters: Record<BenchService, () => Promise<Started>> = {
  identity: () => identity.startIdentityService(identityEnv.readEnvironment(settingsOf('identity')), { logger: createLogger('identity', 'warn') }),
  personnel: () => personnel.startPersonnelService(personnelEnv.readEnvironment(settingsOf('personnel')), { logger: createLogger('personnel', 'warn') }),
  documents: () => documents.startDocumentsService(documentsEnv.readEnvironment(settingsOf('documents')), { logger: createLogger('documents', 'warn') }),
  registry: () => registry.startRegistryService(registryEnv.readEnvironment(settingsOf('registry')), { logger: createLogger('registry', 'warn') }),
};
const schemas: Record<BenchService, () => GraphQLSchema> = {
  identity: createIdentitySchema,
  personnel: createPersonnelSchema,
  documents: createDocumentsSchema,
  registry: createRegistrySchema,
};

/** Starts the given services in this process (identity first when present: the others ask it for keys). */
export async function startInProcess(
  names: readonly BenchService[],
): Promise<{ services: Map<BenchService, InProcessService>; verifier: TokenVerifier; stop(): Promise<void> }> {
  const services = new Map<BenchService, InProcessService>();
  const ordered = [...names].sort((a, b) => Number(b === 'identity') - Number(a === 'identity'));
  let first: Started | undefined;
  for (const name of ordered) {
    const service = await starters[name]();
    first ??= service;
    services.set(name, { sdlSchema: buildSchema(printSchemaWithDirectives(schemas[name]())), responder: service.responder, stop: () => service.stop() });
  }
  // Callers are verified once, here, against identity's keys (the platform's identity signed
  // them with the same key rows), fetched over this namespace and then cached.
  const verifier = createBusTokenVerifier(first!.nc, first!.subjects, createTokenDenyList());
  return { services, verifier, stop: async () => void (await Promise.all([...services.values()].map((s) => s.stop()))) };
}
