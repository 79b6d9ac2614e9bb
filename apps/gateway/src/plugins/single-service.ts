import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SchemaRegistry } from '../stitching/schema-registry.ts';
import { singleServiceFor } from '../stitching/single-service-route.ts';

/** Sends operations that one service can answer alone straight to it (see single-service-route.ts). */
export function useSingleServiceRoute(registry: Pick<SchemaRegistry, 'current'>): Plugin {
  return {
    onExecute({ setExecuteFn, executeFn }) {
      setExecuteFn(async (args) => {
        const schemas = registry.current;
        const service = schemas && singleServiceFor(args.document, schemas);
        if (!schemas || !service) return executeFn(args);
        const { executor } = schemas.services.get(service)!;
        const result = (await executor({
          document: args.document,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          operationName: args.operationName ?? undefined,
          context: args.contextValue,
        })) as ExecutionResult<Record<string, unknown>> & { errors?: readonly GraphQLFormattedError[] };
        return revive(result);
      });
    },
  };
}

/** Errors arrive as JSON; yoga expects GraphQLError instances. */
function revive(result: { data?: unknown; errors?: readonly GraphQLFormattedError[] }): ExecutionResult {
  if (!result.errors) return result as ExecutionResult;
  return {
    ...(result as ExecutionResult),
    errors: result.errors.map((e) => new GraphQLError(e.message, { path: e.path ?? undefined, extensions: e.extensions ?? {} })),
  };
}
