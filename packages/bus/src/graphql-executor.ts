import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { ExecutionRequest } from '@graphql-tools/utils';
import type { Msg, MsgHdrs, NatsConnection, QueuedIterator } from '@nats-io/nats-core';
import { ACKNOWLEDGE_HEADER, INSTANCE_HEADER, type ServiceName, type Subjects } from '@simpul/contracts';
import { serviceUnavailable } from '@simpul/kit';
import { SpanKind, SpanStatusCode, trace } from '@simpul/telemetry';
import { decodeJson, encodeJson } from './codec.ts';
import { isNoResponders } from './connection.ts';
import { outgoingHeaders } from './headers.ts';
import { LostAnswerDetector } from './lost-answers.ts';

/** The part of the gateway's context the executor reads: the caller's bearer token and address. */
export interface CallerContext {
  token?: string | undefined;
  /** The client's network address as the gateway saw it; services put it in audit entries. */
  clientAddress?: string | undefined;
}

export interface NatsExecutorOptions {
  nc: NatsConnection;
  subjects: Subjects;
  service: ServiceName;
  /**
   * How long the service may take before its fields fail with SERVICE_UNAVAILABLE: the
   * whole wait, a query sent again included.
   */
  timeoutMs: number;
  /**
   * Called once per NATS request sent, when it has been answered or has failed (tests
   * count round trips with it; the gateway records each operation's exchanges). A query
   * sent again counts as a second request.
   */
  onRequest?: (service: ServiceName, exchange: ServiceExchange) => void;
  /**
   * Send a query again when its answer can no longer come (default true): the instance
   * that took it left NATS, or the connection was re-established (see LostAnswerDetector).
   * A query that is only slow is never sent again, and mutations never are.
   */
  retryQueries?: boolean;
}

/** One NATS request to a service, as reported to `onRequest`. */
export interface ServiceExchange {
  service: ServiceName;
  /** Size of the request payload (query, variables, operation name as JSON). */
  bytesOut: number;
  /** Size of the reply; 0 when none came. */
  bytesIn: number;
  /** False when no reply came (timeout, no instance, or the answer was lost). */
  answered: boolean;
  /** The context of the operation the request belongs to (the gateway's per-request context). */
  context: unknown;
}

/** At most this many sends of one query (each needs proof that the previous answer is lost). */
const MAX_SENDS = 3;

/**
 * How often a waiting query checks that its answer can still come: often enough to
 * leave most of the timeout for a second send, rarely enough to cost nothing.
 */
export function lostAnswerCheckMs(timeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.round(timeoutMs / 10)));
}

type Outcome = { reply: Msg } | { lost: string } | { error: unknown };

/**
 * A stitching executor that sends a (sub)query to a service over NATS, with the
 * caller's token and the trace context in the headers. When the service does not
 * answer in time, or no instance is listening, the result is a SERVICE_UNAVAILABLE
 * error: stitching attaches it to that service's fields and the rest of the response
 * still arrives.
 *
 * `timeoutMs` is the whole wait. Within it, a query is sent again only when its answer
 * can no longer come (the instance that took it died, or our NATS connection was
 * re-established): then another instance in the queue group answers, and a crash costs
 * the client time, not an error. A query that is slow because the service is busy with
 * it is never sent again, which would only double the load on that service.
 */
export function createNatsExecutor(options: NatsExecutorOptions) {
  const { nc, subjects, service, timeoutMs } = options;
  const subject = subjects.graphql(service);
  const tracer = trace.getTracer('simpul.bus');
  const printed = new WeakMap<DocumentNode, string>();
  const detector = new LostAnswerDetector(nc, lostAnswerCheckMs(timeoutMs), timeoutMs);

  return async function natsExecutor(request: ExecutionRequest): Promise<ExecutionResult> {
    let query = printed.get(request.document);
    if (query === undefined) {
      query = print(request.document);
      printed.set(request.document, query);
    }
    const caller = request.context as CallerContext | undefined;
    const token = caller?.token;
    const operation = request.operationType ?? getOperationAST(request.document, request.operationName)?.operation;
    const resendable = options.retryQueries !== false && operation === 'query';
    return tracer.startActiveSpan(
      `nats request ${subject}`,
      { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
      async (span) => {
        const deadline = Date.now() + timeoutMs;
        try {
          const payload = encodeJson({ query, variables: request.variables ?? null, operationName: request.operationName ?? null });
          for (let sends = 1; ; sends++) {
            const headers = outgoingHeaders(token, caller?.clientAddress);
            if (resendable) headers.set(ACKNOWLEDGE_HEADER, '1');
            const outcome = await sendOnce(subject, payload, headers, deadline - Date.now(), resendable);
            const reply = 'reply' in outcome ? outcome.reply : undefined;
            options.onRequest?.(service, {
              service,
              bytesOut: payload.length,
              bytesIn: reply?.data.length ?? 0,
              answered: reply !== undefined,
              context: request.context,
            });
            if ('reply' in outcome) return decodeJson(outcome.reply.data) as ExecutionResult;
            if ('error' in outcome) throw outcome.error;
            if (sends >= MAX_SENDS || deadline - Date.now() <= 0) throw new Error(`no answer: ${outcome.lost}`);
            span.addEvent('sent again', { reason: outcome.lost });
          }
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          return unavailable(service, error);
        } finally {
          span.end();
        }
      },
    );
  };

  /** One send: the answer, proof that it will not come (`lost`), or why it failed (a timeout too). */
  async function sendOnce(subject: string, payload: Uint8Array, headers: MsgHdrs, waitMs: number, watched: boolean): Promise<Outcome> {
    // nats-core types requestMany's result as an AsyncIterable; it is a QueuedIterator,
    // whose stop() ends the wait early when the answer is known to be lost.
    const replies = (await nc.requestMany(subject, payload, {
      strategy: 'count',
      // An acknowledgement, then the answer.
      maxMessages: watched ? 2 : 1,
      maxWait: Math.max(1, waitMs),
      headers,
    })) as QueuedIterator<Msg>;
    let lost: string | undefined;
    const waiting = watched
      ? detector.watch((reason) => {
          lost = reason;
          replies.stop();
        })
      : undefined;
    try {
      for await (const msg of replies) {
        const instance = msg.data.length === 0 ? msg.headers?.get(INSTANCE_HEADER) : undefined;
        if (instance) waiting?.acknowledgedBy(instance);
        else return { reply: msg };
      }
    } catch (error) {
      return { error };
    } finally {
      waiting?.stop();
    }
    return lost ? { lost } : { error: new Error('timed out') };
  }
}

function unavailable(service: ServiceName, error: unknown): ExecutionResult {
  const reason = isNoResponders(error) ? 'no instance is running' : 'it did not answer in time';
  // As it would arrive from a service: formatted, so stitching treats both alike.
  return { errors: [serviceUnavailable(`The ${service} service is unavailable: ${reason}`, { service }).toJSON()] } as unknown as ExecutionResult;
}
