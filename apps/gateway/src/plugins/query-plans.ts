import type { Plugin } from 'graphql-yoga';
import type { Logger } from '@simpul/kit';
import { compiledOperation, executePlanned } from '../execution/planned-execution.ts';
import type { SchemaRegistry } from '../stitching/schema-registry.ts';

/**
 * Executes operations that span services by their cached query plan: one request per
 * service per level, answers merged by key, the response shaped once (see
 * execution/). What the planner does not support goes on to plain stitching.
 */
export function useQueryPlans(registry: Pick<SchemaRegistry, 'current'>, logger: Logger): Plugin {
  const reported = new WeakSet<object>();
  return {
    onExecute({ setExecuteFn, executeFn }) {
      setExecuteFn(async (args) => {
        const schemas = registry.current;
        if (!schemas) return executeFn(args);
        const operation = compiledOperation(schemas, args.document, args.operationName);
        if ('unsupported' in operation) {
          if (!reported.has(operation)) {
            reported.add(operation);
            logger.debug({ reason: operation.unsupported, operationName: args.operationName }, 'operation executed by plain stitching');
          }
          return executeFn(args);
        }
        return executePlanned(operation, schemas, (args.variableValues ?? {}) as Record<string, unknown>, args.contextValue);
      });
    },
  };
}
