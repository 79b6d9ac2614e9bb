import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { execute, type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { Empty, headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import {
  ACKNOWLEDGE_HEADER,
  AUTHORIZATION_HEADER,
  CLIENT_ADDRESS_HEADER,
  ErrorCode,
  INSTANCE_HEADER,
  type InstanceInfo,
  type ServiceName,
  type Subjects,
} from '@simpul/contracts';
import { bearerToken, type Logger, type Principal, type TokenVerifier } from '@simpul/kit';
import { extractTraceContext, SpanKind, SpanStatusCode, trace, context as otelContext } from '@simpul/telemetry';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { decodeJson, encodeJson } from './codec.ts';
import { DocumentCache } from './document-cache.ts';
import { formatError } from './errors.ts';
import { operationLabel } from './operation-name.ts';
import { withRequest } from './request-scope.ts';

/** What a gateway sends on `<ns>.<service>.graphql`. */
export interface GraphQLRequestPayload {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, string>;
  /** Events written but not yet published (the service's outbox backlog), when it has one. */
  outbox?: { pending: number; oldestPendingAt: string | null };
  /** Which process answered: filled in by serveGraphQL, so the telemetry service can list instances. */
  instance?: InstanceInfo;
}

/** What a request says about where it came from, besides the caller's token. */
export interface RequestInfo {
  /** The client's address as the gateway saw it; null when not sent. */
  clientAddress: string | null;
}

export interface ServeGraphQLOptions<TContext> {
  nc: NatsConnection;
  subjects: Subjects;
  service: ServiceName;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  /** Builds the resolver context from the verified caller (null when no token was sent). */
  createContext: (principal: Principal | null, request: RequestInfo) => TContext | Promise<TContext>;
  /**
   * Sees the errors of each executed request before they are formatted (e.g. to audit
   * permission denials). It must not throw; a rejection is logged.
   */
  onErrors?: (errors: readonly GraphQLError[], context: TContext, request: RequestInfo) => void | Promise<void>;
  logger: Logger;
  /** What the service depends on; answered on `<ns>.<service>.health`. */
  health?: () => Promise<HealthReport>;
}

export interface GraphQLResponder {
  /** Requests answered so far (for tests and metrics). */
  readonly handled: number;
  /** Stops taking new requests and waits for the ones in flight. */
  stop(): Promise<void>;
  /**
   * Answers a request in this process, as a message from the gateway is answered but
   * without NATS and with the caller already verified: the benchmark's monolith and its
   * per-service HTTP endpoints serve the service's own schema and context this way.
   */
  executeInProcess(request: InProcessRequest, principal: Principal | null, info: RequestInfo): Promise<WireResult>;
}

/** A request given in process: its text (parsed through the service's document cache) or a parsed document. */
export interface InProcessRequest {
  query?: string;
  document?: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * Answers GraphQL requests for one service over NATS in a queue group (so instances
 * share the load), plus its SDL and health. The caller's token travels in the
 * `authorization` header and is verified here, never trusted from the gateway.
 *
 * Each instance also answers on a subject of its own (Subjects.instance) for as long as
 * it runs, and acknowledges a request that asks for it (ACKNOWLEDGE_HEADER) with that
 * subject before working on it: the gateway can then tell an instance that is busy with
 * its query from one that died with it, and send the query again only in the second case.
 */
export function serveGraphQL<TContext>(options: ServeGraphQLOptions<TContext>): GraphQLResponder {
  const { nc, subjects, service, schema, logger } = options;
  const documents = new DocumentCache(schema);
  const tracer = trace.getTracer(`simpul.${service}`);
  const inFlight = new Set<Promise<void>>();
  let handled = 0;
  const instanceId = randomUUID();
  const instanceSubject = subjects.instance(service, instanceId);
  const instanceInfo: InstanceInfo = { id: instanceId, host: hostname(), pid: process.pid, startedAt: new Date().toISOString() };
  const acknowledgement = natsHeaders();
  acknowledgement.set(INSTANCE_HEADER, instanceSubject);

  async function answer(msg: Msg): Promise<void> {
    const parent = extractTraceContext(msg.headers);
    const span = tracer.startSpan(`${service} graphql`, { kind: SpanKind.SERVER, attributes: { 'messaging.destination.name': msg.subject } }, parent);
    try {
      const result = await otelContext.with(trace.setSpan(parent, span), () => run(msg));
      if (result.errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: String(result.errors[0]?.message) });
      msg.respond(encodeJson(result));
      handled++;
    } finally {
      span.end();
    }
  }

  async function run(msg: Msg): Promise<WireResult> {
    let payload: GraphQLRequestPayload;
    try {
      payload = decodeJson(msg.data) as GraphQLRequestPayload;
      if (typeof payload?.query !== 'string') throw new Error('query must be a string');
    } catch (error) {
      return { errors: [coded(`Malformed GraphQL request: ${(error as Error).message}`, ErrorCode.BadUserInput)] };
    }
    let principal: Principal | null = null;
    const token = bearerToken(msg.headers?.get(AUTHORIZATION_HEADER));
    if (token) {
      try {
        principal = await options.verifier.verify(token);
      } catch (error) {
        return { errors: [formatError(error as GraphQLError, logger)] };
      }
    }
    const request: RequestInfo = { clientAddress: msg.headers?.get(CLIENT_ADDRESS_HEADER) || null };
    return executeRequest(payload, principal, request);
  }

  /** Parses (through the cache) and executes a request of a verified caller. */
  async function executeRequest(payload: InProcessRequest, principal: Principal | null, request: RequestInfo): Promise<WireResult> {
    let document = payload.document;
    if (!document) {
      const compiled = documents.get(payload.query ?? '');
      if (!compiled.document) return { errors: compiled.errors.map((e) => formatError(e, logger)) };
      document = compiled.document;
    }
    trace.getActiveSpan()?.updateName(`${service} graphql ${operationLabel(document, payload.operationName)}`);
    const contextValue = await options.createContext(principal, request);
    const result = await withRequest(request, async () =>
      execute({
        schema,
        document,
        variableValues: payload.variables ?? undefined,
        operationName: payload.operationName ?? undefined,
        contextValue,
      }),
    );
    const { errors, ...rest } = result;
    if (errors?.length && options.onErrors) {
      try {
        await options.onErrors(errors, contextValue, request);
      } catch (error) {
        logger.error({ err: error }, 'onErrors hook failed');
      }
    }
    return errors ? { ...rest, errors: errors.map((e) => formatError(e, logger)) } : rest;
  }

  const onMessage = (error: Error | null, msg: Msg) => {
    if (error) {
      logger.error({ err: error }, 'GraphQL subscription error');
      return;
    }
    if (msg.headers?.has(ACKNOWLEDGE_HEADER)) msg.respond(Empty, { headers: acknowledgement });
    const task = answer(msg).catch((err: unknown) => {
      logger.error({ err }, 'failed to answer a GraphQL request');
      msg.respond(encodeJson({ errors: [coded('Unexpected error', ErrorCode.InternalServerError)] }));
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  const sdl = printSchemaWithDirectives(schema);
  const subscriptions: Subscription[] = [
    nc.subscribe(subjects.graphql(service), { queue: service, callback: onMessage }),
    nc.subscribe(subjects.sdl(service), { queue: service, callback: (_e, msg) => void msg.respond(sdl) }),
    nc.subscribe(subjects.health(service), {
      callback: (_e, msg) => {
        const report = options.health ? options.health() : Promise.resolve<HealthReport>({ status: 'ok', checks: {} });
        void report
          .catch((err: unknown): HealthReport => ({ status: 'degraded', checks: { health: (err as Error).message } }))
          .then((r) => msg.respond(encodeJson({ ...r, instance: instanceInfo })));
      },
    }),
  ];
  // Kept until the requests in flight are answered: while it answers, the instance is alive.
  const instance = nc.subscribe(instanceSubject, { callback: (_e, msg) => void msg.respond() });
  logger.info({ subject: subjects.graphql(service) }, 'answering GraphQL over NATS');

  return {
    get handled() {
      return handled;
    },
    executeInProcess: executeRequest,
    async stop() {
      await Promise.all(subscriptions.map((s) => s.drain()));
      await Promise.allSettled([...inFlight]);
      await instance.drain();
    },
  };
}

/** An execution result as it goes on the wire: errors already formatted. */
export type WireResult = Omit<ExecutionResult, 'errors'> & { errors?: readonly GraphQLFormattedError[] };

function coded(message: string, code: ErrorCode): GraphQLFormattedError {
  return { message, extensions: { code } };
}
