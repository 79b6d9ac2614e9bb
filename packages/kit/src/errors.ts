import { GraphQLError } from 'graphql';
import { ErrorCode } from '@simpul/contracts';

/**
 * Expected failures are GraphQL errors with a stable `extensions.code`; anything else
 * that escapes a resolver is a bug and is masked as INTERNAL_SERVER_ERROR.
 */
function coded(code: ErrorCode, message: string, extra?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'You must be logged in to do this') => coded(ErrorCode.Unauthenticated, message);
export const forbidden = (message = 'You are not allowed to do this') => coded(ErrorCode.Forbidden, message);
export const badUserInput = (message: string, extra?: Record<string, unknown>) => coded(ErrorCode.BadUserInput, message, extra);
export const notFound = (message: string) => coded(ErrorCode.NotFound, message);
export const conflict = (message: string) => coded(ErrorCode.Conflict, message);
export const serviceUnavailable = (message: string, extra?: Record<string, unknown>) => coded(ErrorCode.ServiceUnavailable, message, extra);
export const accountLocked = (message: string, extra?: Record<string, unknown>) => coded(ErrorCode.AccountLocked, message, extra);

/** True when an error was raised on purpose with one of our codes. */
export function isExpectedError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && typeof error.extensions?.code === 'string';
}
