import { writeOutboxEvent } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import type { PrismaClient, Transaction, User } from '../db.ts';
import { sessionRevoked, tokensRevoked, type RevocationReason } from '../auth/token-revocation.ts';

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

/** What presenting a refresh token came to. */
export type Exchange =
  | { outcome: 'rotated'; session: SessionRow; user: User }
  /** No such token (never issued, or its session was deleted with its user). */
  | { outcome: 'unknown' }
  /** The session was over already: logged out, ended by a reuse, or past its lifetime. */
  | { outcome: 'ended'; session: SessionRow }
  /** The token had been exchanged before: the session is now ended and its tokens revoked. */
  | { outcome: 'reused'; session: SessionRow };

/**
 * Sessions and their refresh tokens in identity's database. Every ending writes its
 * `identity.token.revoked` event to the outbox in the same transaction, so a session
 * never ends without its access tokens being refused everywhere soon after.
 */
export class SessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
  ) {}

  /** A new session with its first refresh token (stored as `tokenHash`). */
  start(session: { id: string; userId: string; expiresAt: Date }, tokenHash: string): Promise<SessionRow> {
    return this.prisma.session.create({ data: { ...session, refreshTokens: { create: { hash: tokenHash } } } });
  }

  /**
   * Spends the refresh token `hash` and stores its successor `nextHash`. The token is
   * marked spent with a conditional update, so of two requests racing with one token
   * exactly one wins and the other counts as a reuse (the row lock makes it wait for
   * the winner's commit and then see the token spent).
   */
  exchange(hash: string, nextHash: string, at: Date): Promise<Exchange> {
    return this.prisma.$transaction(async (tx): Promise<Exchange> => {
      const row = await tx.refreshToken.findUnique({ where: { hash }, include: { session: { include: { user: true } } } });
      if (!row) return { outcome: 'unknown' };
      const { user, ...session } = row.session;
      if (session.endedAt || session.expiresAt.getTime() <= at.getTime()) return { outcome: 'ended', session };
      const spent = await tx.refreshToken.updateMany({ where: { hash, usedAt: null }, data: { usedAt: at } });
      if (spent.count === 0) {
        // Someone holds a copy of a token that was already exchanged: the thief or the
        // owner, we cannot tell which, so neither keeps the session (OAuth 2.0 Security BCP).
        await this.endIn(tx, session, 'REFRESH_TOKEN_REUSED', at);
        return { outcome: 'reused', session };
      }
      await tx.refreshToken.create({ data: { hash: nextHash, sessionId: session.id } });
      return { outcome: 'rotated', session, user };
    });
  }

  /** The session a refresh token belongs to, if the token was ever issued. */
  async findByTokenHash(hash: string): Promise<SessionRow | null> {
    const row = await this.prisma.refreshToken.findUnique({ where: { hash }, include: { session: true } });
    return row?.session ?? null;
  }

  /** Ends the session `id` of `userId`; false when it was over already (or is not theirs). */
  end(session: { id: string; userId: string }, reason: RevocationReason, at: Date): Promise<boolean> {
    return this.prisma.$transaction((tx) => this.endIn(tx, session, reason, at));
  }

  /**
   * Ends every session of the user and revokes every token they hold (one event for
   * the subject, so access tokens of sessions ended earlier are covered too).
   */
  endAll(userId: string, reason: RevocationReason, at: Date): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const ended = await endUserSessions(tx, userId, reason, at);
      await writeOutboxEvent(tx, tokensRevoked(this.subjects, { id: userId, kind: 'user' }, reason, at));
      return ended;
    });
  }

  private async endIn(tx: Transaction, session: { id: string; userId: string }, reason: RevocationReason, at: Date): Promise<boolean> {
    const ended = await tx.session.updateMany({
      where: { id: session.id, userId: session.userId, endedAt: null },
      data: { endedAt: at, endReason: reason },
    });
    if (ended.count === 0) return false;
    await writeOutboxEvent(tx, sessionRevoked(this.subjects, session, reason, at));
    return true;
  }
}

/**
 * Ends the user's open sessions inside the caller's transaction, without an event of
 * its own: for changes that already revoke all of the user's tokens (a disabled or
 * retired account), so the refresh tokens stop working too and re-enabling the account
 * later does not bring old sessions back.
 */
export async function endUserSessions(tx: Transaction, userId: string, reason: RevocationReason, at: Date): Promise<number> {
  const ended = await tx.session.updateMany({ where: { userId, endedAt: null }, data: { endedAt: at, endReason: reason } });
  return ended.count;
}
