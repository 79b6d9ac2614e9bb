import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';

/**
 * Formats errors for the wire. Errors raised on purpose keep their message and code;
 * parse and validation errors get theirs; anything else is a bug whose details stay
 * in our log, never in the response.
 */
export function formatError(error: GraphQLError, logger: Logger): GraphQLFormattedError {
  const code = error.extensions?.code;
  if (typeof code === 'string') return error.toJSON();
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) {
    const formatted = error.toJSON();
    return { ...formatted, extensions: { ...formatted.extensions, code: original ? ErrorCode.BadUserInput : requestErrorCode(error) } };
  }
  logger.error({ err: original, path: error.path }, 'unexpected error in resolver');
  return {
    message: 'Unexpected error',
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: ErrorCode.InternalServerError },
  };
}

/**
 * The code of an error graphql-js raised about the request itself, before execution:
 * a syntax error in the document, or a document the schema does not accept.
 */
export function requestErrorCode(error: GraphQLError): ErrorCode {
  return error.message.startsWith('Syntax Error') ? ErrorCode.GraphQLParseFailed : ErrorCode.GraphQLValidationFailed;
}
