import { getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import type { ServiceSchemas } from '../stitching/gateway-schema.ts';
import { runPlan, type SendToService, type ServiceResult } from './plan-execution.ts';
import { planOperation, type QueryPlan } from './query-plan.ts';
import { ResponseShaper } from './response-shaper.ts';

/** A plan ready to run, or why the operation goes through stitching instead. */
export type CompiledOperation = { plan: QueryPlan; shaper: ResponseShaper } | { unsupported: string };

const compiled = new WeakMap<ServiceSchemas, WeakMap<DocumentNode, Map<string, CompiledOperation>>>();

/**
 * The plan of an operation, computed once per document, operation name and schema
 * version (a service joining or leaving makes a new ServiceSchemas, so plans are made
 * afresh). Yoga keeps parsed documents by query text, so the same query text is the
 * same DocumentNode and finds its plan here.
 */
export function compiledOperation(schemas: ServiceSchemas, document: DocumentNode, operationName?: string | null): CompiledOperation {
  let byDocument = compiled.get(schemas);
  if (!byDocument) compiled.set(schemas, (byDocument = new WeakMap()));
  let byName = byDocument.get(document);
  if (!byName) byDocument.set(document, (byName = new Map()));
  const name = operationName ?? '';
  let entry = byName.get(name);
  if (!entry) {
    const outcome = planOperation(schemas.gateway, schemas.graph, document, operationName);
    entry = 'plan' in outcome ? { plan: outcome.plan, shaper: new ResponseShaper(outcome.plan.operationNode, outcome.plan.rootType) } : outcome;
    byName.set(name, entry);
  }
  return entry;
}

/** Runs a compiled plan against the services (each request over NATS through the service's executor). */
export async function executePlanned(
  operation: { plan: QueryPlan; shaper: ResponseShaper },
  schemas: ServiceSchemas,
  variables: Record<string, unknown>,
  context: unknown,
): Promise<ExecutionResult> {
  // Variables are checked against their definitions first, as graphql-js's execute does
  // (a wrong type, a missing required one): the operation then fails as a whole. The
  // services get the client's values as sent and coerce them themselves.
  const coerced = getVariableValues(schemas.gateway, operation.plan.operationNode.variableDefinitions ?? [], variables, { maxErrors: 50 });
  if (coerced.errors) return { errors: coerced.errors.map(requestError) };
  const send: SendToService = async (service, request) => {
    const target = schemas.services.get(service);
    if (!target) throw new Error(`planned a request to ${service}, which is not stitched`);
    return (await target.executor({ ...request, context: context as Record<string, unknown> })) as ServiceResult;
  };
  const root = await runPlan(operation.plan, variables, send);
  const { data, errors } = operation.shaper.shape(root, variables);
  return errors.length > 0 ? { data, errors } : { data };
}

/** As yoga's executor marks errors found before execution: the response is a 400. */
function requestError(error: GraphQLError): GraphQLError {
  Object.defineProperty(error, 'extensions', { value: { ...error.extensions, http: { ...(error.extensions.http as object), status: 400 } } });
  return error;
}
