import type { PersonnelContext } from '../context.ts';

/** A field resolver: parent, arguments, context. Resolvers stay thin; managers decide. */
export type Resolver<TParent = unknown, TArgs = Record<string, never>> = (parent: TParent, args: TArgs, context: PersonnelContext) => unknown;
