import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { activeTraceId } from './exchange-recorder.ts';

/**
 * Every error the gateway answers carries `extensions.traceId`: a user who reports a
 * problem quotes it, and the operator opens that trace in the console. The id is the
 * request's own trace (the HTTP server span's), taken when the request arrives.
 */
export function useErrorTraceIds(): Plugin {
  const traceIds = new WeakMap<object, string>();
  return {
    onRequest({ request }) {
      const id = activeTraceId();
      if (id) traceIds.set(request, id);
    },
    onResultProcess({ request, result }) {
      const traceId = traceIds.get(request);
      if (!traceId) return;
      for (const r of Array.isArray(result) ? result : [result]) {
        const errors = (r as { errors?: unknown[] }).errors;
        if (!Array.isArray(errors)) continue;
        for (const error of errors) {
          if (error instanceof GraphQLError) (error.extensions as Record<string, unknown>).traceId = traceId;
          else if (error && typeof error === 'object') {
            const e = error as { extensions?: Record<string, unknown> };
            e.extensions = { ...e.extensions, traceId };
          }
        }
      }
    },
  };
}
