import { requireTelemetryOperator, requireTelemetryReader } from '../../auth/permissions.ts';
import type { TelemetryContext } from '../context.ts';
import { mutationResolvers } from './mutation.ts';
import { objectResolvers } from './objects.ts';
import { queryResolvers } from './query.ts';

type RootResolver = (parent: unknown, args: never, ctx: TelemetryContext) => unknown;

/**
 * The role check wraps every root field here, in one place, rather than in each resolver:
 * a field added later cannot forget it. Object fields are reachable only through these.
 */
function guarded<T extends Record<string, RootResolver>>(fields: T, check: (ctx: TelemetryContext) => void): T {
  return Object.fromEntries(
    Object.entries(fields).map(([name, resolve]) => [
      name,
      (parent: unknown, args: never, ctx: TelemetryContext) => {
        check(ctx);
        return resolve(parent, args, ctx);
      },
    ]),
  ) as T;
}

export const resolvers = {
  Query: guarded(queryResolvers as unknown as Record<string, RootResolver>, (ctx) => requireTelemetryReader(ctx.principal)),
  Mutation: guarded(mutationResolvers as unknown as Record<string, RootResolver>, (ctx) => requireTelemetryOperator(ctx.principal)),
  ...objectResolvers,
};
