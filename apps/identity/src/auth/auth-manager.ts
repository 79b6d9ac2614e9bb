import { setTimeout as sleep } from 'node:timers/promises';
import { accountLocked, unauthenticated, type Principal } from '@simpul/kit';
import type { ApiClient, User } from '../db.ts';
import type { UserStore } from '../users/user-store.ts';
import type { ApiClientStore } from '../api-clients/api-client-store.ts';
import { normalizeUsername } from '../validation.ts';
import { requireNationalAdmin } from './permissions.ts';
import { activeLock, afterFailure, failureDelayMs, type ThrottlePolicy } from './login-throttle.ts';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password.ts';
import type { SignedToken, SigningKeyInfo, SigningKeys } from './signing-keys.ts';

export interface AuthManagerOptions {
  throttle: ThrottlePolicy;
  now?: () => number;
  /** How a delay is waited for (tests of the manager may skip it). */
  sleep?: (ms: number) => Promise<unknown>;
}

export interface LoginResult extends SignedToken {
  user: User;
}

export interface ClientTokenResult extends SignedToken {
  client: ApiClient;
}

const INVALID_LOGIN = 'Invalid username or password';
const INVALID_CLIENT = 'Invalid client id or secret';

/**
 * Login and client credentials. An unknown user name and a wrong password get the same
 * answer after the same work (a password hash), so neither the message nor the timing
 * tells which names exist. Failed logins slow down and then lock the account (see
 * login-throttle.ts).
 */
export class AuthManager {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(
    private readonly users: UserStore,
    private readonly clients: ApiClientStore,
    private readonly keys: SigningKeys,
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
    const lockedUntil = activeLock(user, new Date(this.now()));
    if (lockedUntil) throw locked(lockedUntil);

    if (!(await verifyPassword(password, user.passwordHash))) {
      const outcome = await this.users.recordLoginFailure(user.id, (state) =>
        afterFailure(state, new Date(this.now()), this.options.throttle),
      );
      if (outcome.lockedUntil) throw locked(outcome.lockedUntil);
      await this.sleep(outcome.delayMs);
      throw unauthenticated(INVALID_LOGIN);
    }
    if (user.status !== 'ACTIVE') throw unauthenticated('This account is disabled; ask your agency administrator');

    const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
    // The token is dated from before the claims are read: a revocation written after this
    // read (a transfer, new roles) then refuses it, however long signing takes.
    const readAt = new Date(this.now());
    const current = await this.users.recordLoginSuccess(user.id, readAt, rehashed);
    const signed = await this.keys.sign(
      { sub: current.id, kind: 'user', username: current.username, agency: current.agencyCode, roles: current.roles },
      readAt,
    );
    return { ...signed, user: current };
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

function locked(until: Date) {
  return accountLocked(`Account locked after too many failed logins; try again after ${until.toISOString()}`, {
    lockedUntil: until.toISOString(),
  });
}
