import type { Plugin } from 'graphql-yoga';
import { getTracer, SpanKind, SpanStatusCode } from '@simpul/telemetry';

const tracer = getTracer('simpul.gateway');

/**
 * One span per GraphQL operation, active while it executes, so every NATS request
 * the operation makes becomes its child.
 */
export function useOperationSpans(): Plugin {
  return {
    onExecute({ setExecuteFn, executeFn, args }) {
      const name = `graphql ${args.operationName ?? operationType(args.document)}`;
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

function operationType(document: { definitions: readonly { kind: string; operation?: string }[] }): string {
  return document.definitions.find((d) => d.kind === 'OperationDefinition')?.operation ?? 'operation';
}
