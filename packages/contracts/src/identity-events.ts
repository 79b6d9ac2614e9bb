import { z } from 'zod';
import { defineEvent } from './events.ts';

/**
 * The longest lifetime identity may give a token (its TOKEN_TTL_SECONDS cannot exceed
 * it). A revocation older than this can no longer refuse a living token, so token
 * verifiers replay revocations this far back when they start and forget older ones.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** Why identity stopped honouring tokens it had issued. */
export const TOKEN_REVOCATION_REASONS = [
  'USER_DISABLED',
  'USER_RETIRED',
  'ROLES_CHANGED',
  'AGENCY_CHANGED',
  'API_CLIENT_REVOKED',
  'LOGGED_OUT',
  'LOGGED_OUT_EVERYWHERE',
  'REFRESH_TOKEN_REUSED',
] as const;

/**
 * identity: tokens it issued must no longer be accepted. Every process that verifies
 * tokens (the gateway and every service instance) consumes these into a deny list, so
 * a revoked token is refused within seconds instead of living until it expires.
 *
 * A token is revoked when its `sub` equals `subject` and either its `jti` equals
 * `jti` (one session), or, when `jti` is null, it was issued (`iat`) before
 * `issuedBefore` (every token of that user or API client up to now), or its `sid`
 * equals `session` (every token of one login session: a logout, a reused refresh
 * token). Entries can be forgotten once `issuedBefore` is older than the longest token
 * lifetime.
 */
export const TokensRevoked = defineEvent({
  service: 'identity',
  entity: 'token',
  verb: 'revoked',
  version: 1,
  data: z.object({
    /** The token's `sub`: a user id or an API client id. */
    subject: z.string().min(1),
    kind: z.enum(['user', 'client']),
    /** Tokens of `subject` issued before this instant are refused. */
    issuedBefore: z.iso.datetime(),
    /** When set, only the token (session) with this `jti` is refused. */
    jti: z.string().min(1).nullable(),
    /**
     * When set, every token of this login session (the `sid` claim) is refused. Optional,
     * so events written before sessions existed still parse.
     */
    session: z.string().min(1).nullable().optional(),
    reason: z.enum(TOKEN_REVOCATION_REASONS),
  }),
});
