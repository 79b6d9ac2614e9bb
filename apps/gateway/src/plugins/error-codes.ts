import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestErrorCode } from '@simpul/bus';
import { ErrorCode } from '@simpul/contracts';

/**
 * Every error a client sees carries `extensions.code`. Services and our own checks
 * set it; this names the rest (parse and validation failures raised by graphql-js).
 */
export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result }) {
      const results = Array.isArray(result) ? result : [result];
      for (const r of results) {
        const errors = (r as { errors?: unknown[] }).errors;
        if (!Array.isArray(errors)) continue;
        for (const error of errors) {
          if (!(error instanceof GraphQLError)) continue;
          const extensions = error.extensions as Record<string, unknown>;
          if (typeof extensions.code === 'string') continue;
          extensions.code = error.path ? ErrorCode.InternalServerError : requestErrorCode(error);
        }
      }
    },
  };
}
