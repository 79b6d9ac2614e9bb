import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestInfo } from './graphql-responder.ts';

/**
 * What the GraphQL request being answered says about itself, for code deep in a
 * service (a manager recording an audit entry) that is not handed the request.
 */
const scope = new AsyncLocalStorage<RequestInfo>();

export function withRequest<T>(request: RequestInfo, work: () => Promise<T>): Promise<T> {
  return scope.run(request, work);
}

/** The request being answered, when there is one (not in consumers or start-up). */
export function currentRequest(): RequestInfo | undefined {
  return scope.getStore();
}
