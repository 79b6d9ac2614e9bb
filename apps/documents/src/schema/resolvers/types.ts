import type { DocumentsContext } from '../context.ts';

/** A field resolver: parent, arguments, context. Resolvers stay thin; managers decide. */
export type Resolver<TParent = unknown, TArgs = Record<string, never>> = (parent: TParent, args: TArgs, context: DocumentsContext) => unknown;

export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** A DATE column as YYYY-MM-DD. */
export function day(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}
