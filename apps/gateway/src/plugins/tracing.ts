import type { Plugin } from 'graphql-yoga';
import { operationLabel } from '@simpul/bus';
import { getTracer, SpanKind, SpanStatusCode } from '@simpul/telemetry';

const tracer = getTracer('simpul.gateway');

/**
 * One span per GraphQL operation, active while it executes, so every NATS request
 * the operation makes becomes its child.
 */
export function useOperationSpans(): Plugin {
  return {
    onExecute({ setExecuteFn, executeFn, args }) {
      const name = `graphql ${operationLabel(args.document, args.operationName)}`;
      setExecuteFn((execArgs) =>
        tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes: { 'graphql.operation.name': args.operationName ?? '' } }, async (span) => {
          try {
            const result = await executeFn(execArgs);
            if ('errors' in result && result.errors?.length) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: result.errors[0]?.message ?? '' });
            }
            return result;
          } finally {
            span.end();
          }
        }),
      );
    },
  };
}
