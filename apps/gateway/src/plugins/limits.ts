import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { ErrorCode } from '@simpul/contracts';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
}

/** Marks a rejected query with a code clients can act on. */
const tooComplex = [
  (_ctx: unknown, error: GraphQLError) => {
    (error.extensions as Record<string, unknown>).code = ErrorCode.QueryTooComplex;
  },
];

/**
 * Limits against abusive queries, checked before anything is sent to a service:
 * nesting depth, aliases (one request asking the same field hundreds of times),
 * tokens (huge documents), directives, and an estimated cost. Field suggestions
 * are blocked so the schema cannot be guessed field by field when introspection is off.
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, onReject: tooComplex, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases, onReject: tooComplex },
    maxTokens: { n: limits.maxTokens, onReject: tooComplex },
    maxDirectives: { n: limits.maxDirectives, onReject: tooComplex },
    costLimit: { maxCost: limits.maxCost, onReject: tooComplex, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: true },
  }) as unknown as Plugin;
}
