import type { IdentityContext } from '../context.ts';

/** A field resolver: parent, arguments, context. Resolvers stay thin; managers decide. */
export type Resolver<TParent = unknown, TArgs = Record<string, never>> = (parent: TParent, args: TArgs, context: IdentityContext) => unknown;

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
