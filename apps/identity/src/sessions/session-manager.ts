import { randomUUID } from 'node:crypto';
import { badUserInput, forbidden, requirePrincipal, unauthenticated, type Principal } from '@simpul/kit';
import type { User } from '../db.ts';
import type { SignedToken, SigningKeys } from '../auth/signing-keys.ts';
import { hashRefreshToken, newRefreshToken } from './refresh-token.ts';
import type { SessionStore } from './session-store.ts';

export interface SessionManagerOptions {
  /** Absolute lifetime of a session from its login (SESSION_LIFETIME_HOURS). */
  lifetimeMs: number;
  now: () => number;
  /** Called after a committed change wrote events to the outbox (the relay's nudge). */
  eventsWritten: () => void;
}

/** An access token and the refresh token that gets the next one. */
export interface SessionTokens extends SignedToken {
  refreshToken: string;
  /** When the session ends whatever is refreshed (its absolute lifetime). */
  sessionExpiresAt: Date;
  user: User;
}

/** Longer than any token we issue (43 characters), short enough to bound the hashing work. */
const MAX_REFRESH_TOKEN_LENGTH = 200;
const INVALID_REFRESH = 'Invalid or expired refresh token; log in again';

/**
 * Login sessions: a login starts one, and its refresh tokens renew the short-lived access
 * token until the session's absolute end. Refresh tokens rotate: each is exchanged once
 * for a new access token and a new refresh token. Presenting a spent one means a copy is
 * in someone else's hands, so the whole session ends and its access tokens are revoked
 * (reuse detection, OAuth 2.0 Security BCP). Access tokens carry the session id (`sid`),
 * which is what a logout revokes.
 */
export class SessionManager {
  constructor(
    private readonly store: SessionStore,
    private readonly keys: SigningKeys,
    private readonly options: SessionManagerOptions,
  ) {}

  /** A new session for a user who just proved their password; claims are as read at `readAt`. */
  async start(user: User, readAt: Date): Promise<SessionTokens> {
    const { token: refreshToken, hash } = newRefreshToken();
    const session = await this.store.start({ id: randomUUID(), userId: user.id, expiresAt: new Date(readAt.getTime() + this.options.lifetimeMs) }, hash);
    const signed = await this.keys.sign(userClaims(user, session.id), readAt);
    return { ...signed, refreshToken, sessionExpiresAt: session.expiresAt, user };
  }

  /** Exchanges a refresh token for a new access token and refresh token, with the user's claims as they are now. */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    const presented = checkRefreshToken(refreshToken);
    const next = newRefreshToken();
    // Dated before the claims are read, as at login: a revocation written after the read refuses it.
    const readAt = new Date(this.options.now());
    const exchange = await this.store.exchange(hashRefreshToken(presented), next.hash, readAt);
    switch (exchange.outcome) {
      case 'unknown':
      case 'ended':
        throw unauthenticated(INVALID_REFRESH);
      case 'reused':
        this.options.eventsWritten();
        throw unauthenticated('This refresh token was already used; the session has been ended for safety. Log in again');
      case 'rotated':
        break;
    }
    const { session, user } = exchange;
    if (user.status !== 'ACTIVE') {
      if (await this.store.end(session, 'USER_DISABLED', readAt)) this.options.eventsWritten();
      throw unauthenticated('This account is disabled; ask your agency administrator');
    }
    const signed = await this.keys.sign(userClaims(user, session.id), readAt);
    return { ...signed, refreshToken: next.token, sessionExpiresAt: session.expiresAt, user };
  }

  /**
   * Ends one session: the one `refreshToken` belongs to, else the caller's own (their
   * access token's `sid`). True when a session was ended now; false when it was over
   * already or the refresh token is unknown (the same answer, so tokens cannot be probed).
   */
  async logout(principal: Principal | null, refreshToken?: string | null): Promise<boolean> {
    const at = new Date(this.options.now());
    let session: { id: string; userId: string } | null;
    if (refreshToken !== undefined && refreshToken !== null) {
      session = await this.store.findByTokenHash(hashRefreshToken(checkRefreshToken(refreshToken)));
      // Holding the refresh token is proof enough; a caller who is logged in as someone
      // else must not end another user's session with a token they found.
      if (session && principal && principal.id !== session.userId) throw forbidden('This refresh token is not yours');
    } else {
      const caller = requirePrincipal(principal);
      if (!caller.sessionId) {
        throw badUserInput('refreshToken: this token belongs to no session (an API client, or a token from before sessions); pass the refresh token');
      }
      session = { id: caller.sessionId, userId: caller.id };
    }
    if (!session) return false;
    const ended = await this.store.end(session, 'LOGGED_OUT', at);
    if (ended) this.options.eventsWritten();
    return ended;
  }

  /** Ends every session of the caller and revokes every token they hold. */
  async logoutEverywhere(principal: Principal | null): Promise<boolean> {
    const caller = requirePrincipal(principal);
    if (caller.kind !== 'user') throw forbidden('API clients have no sessions; revoke the client instead');
    await this.store.endAll(caller.id, 'LOGGED_OUT_EVERYWHERE', new Date(this.options.now()));
    this.options.eventsWritten();
    return true;
  }
}

function userClaims(user: User, sessionId: string) {
  return { sub: user.id, kind: 'user' as const, username: user.username, agency: user.agencyCode, roles: user.roles, sid: sessionId };
}

function checkRefreshToken(token: string): string {
  if (token.length === 0 || token.length > MAX_REFRESH_TOKEN_LENGTH) throw unauthenticated(INVALID_REFRESH);
  return token;
}
