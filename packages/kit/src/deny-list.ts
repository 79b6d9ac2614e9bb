/**
 * Tokens identity stopped honouring before they expire (identity's
 * `identity.token.revoked` events, fed in by bus's followTokenRevocations). The rule is
 * the event's: a token is refused when its `sub` was revoked and either its `jti` is
 * the revoked one, or its session (`sid`) is a revoked one, or the whole subject was
 * revoked and the token was issued (`iat`) before `issuedBefore`.
 */
export interface TokenRevocation {
  /** The token's `sub`: a user or API client id. */
  subject: string;
  /** Tokens of the subject issued before this instant (ms since the epoch) are refused. */
  issuedBeforeMs: number;
  /** When set, only the token with this `jti` is refused. */
  jti: string | null;
  /** When set, the tokens of this login session (`sid`) are refused. */
  session?: string | null | undefined;
}

/** What the deny list needs to know about a verified token. */
export interface RevocableToken {
  sub: string;
  /** `iat` in seconds (identity signs it with millisecond precision); missing counts as long ago. */
  iat?: number | undefined;
  jti?: string | undefined;
  /** The login session the token belongs to (`sid`); API client tokens have none. */
  sid?: string | undefined;
}

interface SubjectRevocations {
  /** The latest "everything issued before" instant; -Infinity when only single tokens were revoked. */
  issuedBeforeMs: number;
  /** Revoked token ids, each with the time after which it can be forgotten. */
  jtis: Map<string, number>;
  /** Revoked sessions (`sid`), each with the time after which it can be forgotten. */
  sessions: Map<string, number>;
  forgetAfterMs: number;
}

export interface TokenDenyListOptions {
  /**
   * How long a revocation is kept: the longest lifetime a token can have, after which
   * every token it could refuse has expired anyway.
   */
  retentionMs: number;
  now?: () => number;
}

export class TokenDenyList {
  private readonly bySubject = new Map<string, SubjectRevocations>();
  private readonly now: () => number;
  private lastPruneMs = 0;

  constructor(private readonly options: TokenDenyListOptions) {
    this.now = options.now ?? Date.now;
  }

  revoke(revocation: TokenRevocation): void {
    this.prune();
    const forgetAfterMs = revocation.issuedBeforeMs + this.options.retentionMs;
    if (forgetAfterMs <= this.now()) return;
    const entry = this.bySubject.get(revocation.subject) ?? { issuedBeforeMs: -Infinity, jtis: new Map(), sessions: new Map(), forgetAfterMs };
    if (revocation.session) entry.sessions.set(revocation.session, forgetAfterMs);
    else if (revocation.jti === null) entry.issuedBeforeMs = Math.max(entry.issuedBeforeMs, revocation.issuedBeforeMs);
    else entry.jtis.set(revocation.jti, forgetAfterMs);
    entry.forgetAfterMs = Math.max(entry.forgetAfterMs, forgetAfterMs);
    this.bySubject.set(revocation.subject, entry);
  }

  isRevoked(token: RevocableToken): boolean {
    const entry = this.bySubject.get(token.sub);
    if (!entry) return false;
    if (token.jti !== undefined && entry.jtis.has(token.jti)) return true;
    if (token.sid !== undefined && entry.sessions.has(token.sid)) return true;
    const issuedAtMs = token.iat === undefined ? -Infinity : token.iat * 1000;
    return issuedAtMs < entry.issuedBeforeMs;
  }

  /** How many subjects have revocations on record (for tests and logs). */
  get size(): number {
    return this.bySubject.size;
  }

  /** Forgets what can no longer refuse a living token; at most once a minute. */
  private prune(): void {
    const now = this.now();
    if (now - this.lastPruneMs < 60_000) return;
    this.lastPruneMs = now;
    for (const [subject, entry] of this.bySubject) {
      for (const [jti, forgetAfterMs] of entry.jtis) if (forgetAfterMs <= now) entry.jtis.delete(jti);
      for (const [sid, forgetAfterMs] of entry.sessions) if (forgetAfterMs <= now) entry.sessions.delete(sid);
      if (entry.forgetAfterMs <= now) this.bySubject.delete(subject);
    }
  }
}
