import { createEvent, type OutgoingEvent } from '@simpul/bus';
import { TokensRevoked, type EventData, type Subjects } from '@simpul/contracts';

export type RevocationReason = EventData<typeof TokensRevoked>['reason'];

/**
 * `identity.token.revoked` for every token of a user or API client issued up to `at`.
 * It goes into the outbox in the transaction of the change that makes those tokens
 * wrong (new roles, another agency, a disabled account, a revoked client), and every
 * token verifier refuses them within moments instead of when they expire. A token
 * carries its holder's roles and agency, so any change to those must revoke it.
 */
export function tokensRevoked(subjects: Subjects, holder: { id: string; kind: 'user' | 'client' }, reason: RevocationReason, at: Date): OutgoingEvent {
  return createEvent(subjects, TokensRevoked, {
    subject: holder.id,
    kind: holder.kind,
    issuedBefore: at.toISOString(),
    jti: null,
    reason,
  });
}

/**
 * `identity.token.revoked` for the tokens of one login session (their `sid`): a logout
 * or a reused refresh token ends that session and leaves the user's others alone.
 */
export function sessionRevoked(subjects: Subjects, session: { id: string; userId: string }, reason: RevocationReason, at: Date): OutgoingEvent {
  return createEvent(subjects, TokensRevoked, {
    subject: session.userId,
    kind: 'user',
    issuedBefore: at.toISOString(),
    jti: null,
    session: session.id,
    reason,
  });
}
