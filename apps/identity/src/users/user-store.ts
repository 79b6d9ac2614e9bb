import { writeOutboxEvent, type OutgoingEvent } from '@simpul/bus';
import type { Role } from '@simpul/contracts';
import { isUniqueViolation, type Prisma, type PrismaClient, type Transaction, type User } from '../db.ts';
import { endUserSessions } from '../sessions/session-store.ts';
import type { LoginAttemptState } from '../auth/login-throttle.ts';

export interface NewUser {
  username: string;
  displayName: string;
  agencyCode: string;
  unitId: string | null;
  roles: Role[];
  passwordHash: string | null;
}

/**
 * Events a change writes to the outbox in its own transaction. They are built after the
 * row was updated (and locked), so a revocation's instant falls after any login that
 * read the row before the change.
 */
export type ChangeEvents = (changed: User) => OutgoingEvent[];

export type CreateUserResult = { ok: true; user: User } | { ok: false; error: 'username-taken' };

export interface UserPageQuery {
  agencyCode?: string | undefined;
  /** Only users whose name sorts after this one. */
  afterUsername?: string | undefined;
  take: number;
}

/** User accounts. User names are unique and stored in lower case. */
export class UserStore {
  constructor(private readonly prisma: PrismaClient) {}

  findByUsername(username: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { username } });
  }

  findById(id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByUsernames(usernames: readonly string[]): Promise<User[]> {
    return this.prisma.user.findMany({ where: { username: { in: [...usernames] } } });
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] } } });
  }

  page(query: UserPageQuery): Promise<User[]> {
    return this.prisma.user.findMany({
      where: {
        ...(query.agencyCode ? { agencyCode: query.agencyCode } : {}),
        ...(query.afterUsername !== undefined ? { username: { gt: query.afterUsername } } : {}),
      },
      orderBy: { username: 'asc' },
      take: query.take,
    });
  }

  count(agencyCode?: string): Promise<number> {
    return this.prisma.user.count({ where: agencyCode ? { agencyCode } : {} });
  }

  async hasNationalAdmin(): Promise<boolean> {
    return (await this.prisma.user.count({ where: { roles: { has: 'NATIONAL_ADMIN' } } })) > 0;
  }

  async create(user: NewUser): Promise<CreateUserResult> {
    try {
      return { ok: true, user: await this.prisma.user.create({ data: user }) };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: 'username-taken' };
      throw error;
    }
  }

  setRoles(id: string, roles: Role[], events?: ChangeEvents): Promise<User> {
    return this.update(id, { roles }, events);
  }

  /** Disabling an account also ends its login sessions, so re-enabling it later revives none. */
  setStatus(id: string, status: User['status'], events?: ChangeEvents): Promise<User> {
    const also = status === 'DISABLED' ? (tx: Transaction) => endUserSessions(tx, id, 'USER_DISABLED', new Date()) : undefined;
    return this.update(id, { status }, events, also);
  }

  private update(id: string, data: Prisma.UserUpdateInput, events?: ChangeEvents, also?: (tx: Transaction) => Promise<unknown>): Promise<User> {
    if (!events && !also) return this.prisma.user.update({ where: { id }, data });
    return this.prisma.$transaction(async (tx) => {
      const changed = await tx.user.update({ where: { id }, data });
      await also?.(tx);
      for (const event of events?.(changed) ?? []) await writeOutboxEvent(tx, event);
      return changed;
    });
  }

  setLoginState(id: string, state: LoginAttemptState): Promise<User> {
    return this.prisma.user.update({ where: { id }, data: state });
  }

  /** A new password also clears failed attempts and any lock. */
  setPasswordHash(id: string, passwordHash: string): Promise<User> {
    return this.prisma.user.update({
      where: { id },
      data: { passwordHash, failedLogins: 0, lockedUntil: null, lastFailedAt: null },
    });
  }

  /**
   * Records a failed login. The row is locked while `next` computes the new state, so
   * parallel guesses are all counted and none can slip past the lock.
   */
  async recordLoginFailure<T extends { state: LoginAttemptState }>(id: string, next: (current: LoginAttemptState) => T): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<LoginAttemptState[]>`
        SELECT "failedLogins", "lockedUntil", "lastFailedAt" FROM "User" WHERE id = ${id}::uuid FOR UPDATE`;
      const current = rows[0] ?? { failedLogins: 0, lockedUntil: null, lastFailedAt: null };
      const outcome = next(current);
      await tx.user.update({ where: { id }, data: outcome.state });
      return outcome;
    });
  }

  recordLoginSuccess(id: string, at: Date, passwordHash?: string): Promise<User> {
    return this.prisma.user.update({
      where: { id },
      data: { failedLogins: 0, lockedUntil: null, lastFailedAt: null, lastLoginAt: at, ...(passwordHash ? { passwordHash } : {}) },
    });
  }
}
