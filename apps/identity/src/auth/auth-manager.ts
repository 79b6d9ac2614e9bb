import { setTimeout as sleep } from 'node:timers/promises';
import { unauthenticated, type Principal } from '@simpul/kit';
import type { ApiClient } from '../db.ts';
import type { UserStore } from '../users/user-store.ts';
import type { ApiClientStore } from '../api-clients/api-client-store.ts';
import { normalizeUsername } from '../validation.ts';
import { requireNationalAdmin } from './permissions.ts';
import { activeLock, afterFailure, failureDelayMs, type ThrottlePolicy } from './login-throttle.ts';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password.ts';
import type { SignedToken, SigningKeyInfo, SigningKeys } from './signing-keys.ts';
import type { SessionManager, SessionTokens } from '../sessions/session-manager.ts';

export interface AuthManagerOptions {
  throttle: ThrottlePolicy;
  now?: () => number;
  /** How a delay is waited for (tests of the manager may skip it). */
  sleep?: (ms: number) => Promise<unknown>;
}

export type LoginResult = SessionTokens;

export interface ClientTokenResult extends SignedToken {
  client: ApiClient;
}

const INVALID_LOGIN = 'Invalid username or password';
const INVALID_CLIENT = 'Invalid client id or secret';

/**
 * Login and client credentials. An unknown user name, a wrong password and a locked
 * account get the same answer (UNAUTHENTICATED, the same message) after the same work
 * (a password hash and a failure delay), so neither the answer nor its timing tells
 * which names exist or which accounts are locked. Failed logins slow down and then lock
 * the account (see login-throttle.ts); while locked, even the right password is refused.
 * A successful login starts a session (sessions/session-manager.ts).
 */
export class AuthManager {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(
    private readonly users: UserStore,
    private readonly clients: ApiClientStore,
    private readonly keys: SigningKeys,
    private readonly sessions: SessionManager,
    private readonly options: AuthManagerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const user = await this.users.findByUsername(normalizeUsername(username));
    if (!user?.passwordHash) {
      await verifyAgainstDummy(password);
      await this.sleep(failureDelayMs(1, this.options.throttle));
      throw unauthenticated(INVALID_LOGIN);
    }
    // A locked account is refused after the same work and with the same answer as a
    // wrong password: the lock still applies, but nobody learns that this name exists
    // (or that someone is guessing its password). Only the audit log tells them apart.
    const lockedUntil = activeLock(user, new Date(this.now()));
    const matches = await verifyPassword(password, user.passwordHash);
    if (lockedUntil) {
      await this.sleep(this.lockedDelayMs());
      throw lockedOut();
    }
    if (!matches) {
      const outcome = await this.users.recordLoginFailure(user.id, (state) => afterFailure(state, new Date(this.now()), this.options.throttle));
      await this.sleep(outcome.lockedUntil ? this.lockedDelayMs() : outcome.delayMs);
      throw outcome.lockedUntil ? lockedOut() : unauthenticated(INVALID_LOGIN);
    }
    if (user.status !== 'ACTIVE') throw unauthenticated('This account is disabled; ask your agency administrator');

    const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
    // The token is dated from before the claims are read: a revocation written after this
    // read (a transfer, new roles) then refuses it, however long signing takes.
    const readAt = new Date(this.now());
    const current = await this.users.recordLoginSuccess(user.id, readAt, rehashed);
    return this.sessions.start(current, readAt);
  }

  /**
   * A locked account's answer waits as long as the last failure before the lock did: it
   * looks like one more wrong password, and, the lock already stopping any guessing, it
   * need not grow (and stays well within the gateway's wait for a service).
   */
  private lockedDelayMs(): number {
    return failureDelayMs(this.options.throttle.maxFailures - 1, this.options.throttle);
  }

  async issueClientToken(clientId: string, clientSecret: string): Promise<ClientTokenResult> {
    const readAt = new Date(this.now());
    const client = await this.clients.findByClientId(clientId);
    if (!client) {
      await verifyAgainstDummy(clientSecret);
      throw unauthenticated(INVALID_CLIENT);
    }
    if (!(await verifyPassword(clientSecret, client.secretHash))) throw unauthenticated(INVALID_CLIENT);
    if (client.revokedAt) throw unauthenticated('This API client has been revoked');
    const signed = await this.keys.sign(
      { sub: client.id, kind: 'client', username: client.clientId, agency: client.agencyCode, roles: ['API_CLIENT'] },
      readAt,
    );
    return { ...signed, client };
  }

  async rotateSigningKey(principal: Principal | null): Promise<SigningKeyInfo> {
    requireNationalAdmin(principal);
    return this.keys.rotate();
  }
}

/** Marks the answer to a locked account for the audit log only; the caller sees INVALID_LOGIN. */
export const ACCOUNT_LOCKED = Symbol('account locked');

function lockedOut() {
  return Object.assign(unauthenticated(INVALID_LOGIN), { [ACCOUNT_LOCKED]: true });
}
