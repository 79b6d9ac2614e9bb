import { Kind, validate, visit, type DocumentNode } from 'graphql';
import type { ServiceName } from '@simpul/contracts';
import type { ServiceSchemas } from './gateway-schema.ts';

const NONE = null;
const routes = new WeakMap<ServiceSchemas, WeakMap<DocumentNode, ServiceName | typeof NONE>>();

/**
 * The service that can answer this whole document by itself, if there is one.
 *
 * Stitching plans and rewrites every request, which costs more than the NATS hop
 * itself (DEPENDENCIES.md measured 0.29x a single yoga process). A document that is
 * valid against one service's own schema needs none of that: it is sent to that
 * service unchanged. The answer is computed once per distinct document (yoga caches
 * parsed documents, so the same query text is the same DocumentNode).
 *
 * Introspection is never routed: it must describe the stitched graph, not one service.
 */
export function singleServiceFor(document: DocumentNode, schemas: ServiceSchemas): ServiceName | undefined {
  let cache = routes.get(schemas);
  if (!cache) {
    cache = new WeakMap();
    routes.set(schemas, cache);
  }
  let route = cache.get(document);
  if (route === undefined) {
    route = decide(document, schemas);
    cache.set(document, route);
  }
  return route ?? undefined;
}

function decide(document: DocumentNode, schemas: ServiceSchemas): ServiceName | typeof NONE {
  if (usesIntrospection(document)) return NONE;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).map((d) => d.operation);
  for (const [service, { schema }] of schemas.services) {
    // graphql-js 16 validates a mutation against a schema without a Mutation type without complaint.
    if (operations.some((o) => !schema.getRootType(o))) continue;
    if (validate(schema, document).length === 0) return service;
  }
  return NONE;
}

function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value.startsWith('__') && node.name.value !== '__typename') found = true;
    },
  });
  return found;
}
