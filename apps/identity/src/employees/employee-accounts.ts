import { consumeEvents, writeOutboxEvent, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { EmployeeAppointed, EmployeeRetired, EmployeeTransferred, type EventData, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient, Transaction, User } from '../db.ts';
import { tokensRevoked, type RevocationReason } from '../auth/token-revocation.ts';
import { endUserSessions } from '../sessions/session-store.ts';

/**
 * Civil servants' accounts follow their personnel records (single sign-on with the NIP):
 * - `employee.appointed` opens an account named after the NIP with the role EMPLOYEE in
 *   the employee's agency (and unit, when identity knows it). It has no password: the
 *   agency's AGENCY_ADMIN or HR_OFFICER sets the first one with `resetPassword`. In demo
 *   mode it gets the demo password, so demo employees can log in straight away.
 * - `employee.transferred` moves the account to the new agency and unit.
 * - `employee.retired` disables it.
 * Whenever the account lands in another agency (a transfer, or an appointment that takes
 * over an account made by hand elsewhere) it keeps only EMPLOYEE: roles are granted by
 * an agency for that agency, and must not travel with the person. Then, and on
 * retirement, the account's tokens are revoked (`identity.token.revoked`, written in the
 * same transaction), so a token with the old agency or roles stops working at once.
 * consumeEvents records each event id in the transaction that applies it, so a
 * redelivered event changes nothing. The three consumers run independently: a transfer
 * or retirement that arrives before the account exists fails and is redelivered later.
 */
export interface EmployeeAccountOptions {
  /** The password hash new accounts get (demo mode); none otherwise. */
  initialPasswordHash?: () => Promise<string>;
}

/** What the handlers write with: the database, and the subjects of the revocations they put in the outbox. */
export interface EmployeeAccountDeps {
  prisma: PrismaClient;
  subjects: Subjects;
  now?: () => number;
}

export const EMPLOYEE_ACCOUNT_CONSUMERS = {
  appointed: 'identity-employee-appointed',
  transferred: 'identity-employee-transferred',
  retired: 'identity-employee-retired',
} as const;

async function unitId(tx: Transaction, agencyCode: string, unitCode: string | null): Promise<string | null> {
  if (!unitCode) return null;
  const unit = await tx.unit.findUnique({ where: { agencyCode_code: { agencyCode, code: unitCode } } });
  return unit?.id ?? null;
}

/**
 * Puts the account in `agencyCode` (and the unit). In another agency than before it
 * keeps only EMPLOYEE and its tokens are revoked. The revocation is dated after the row
 * was updated (and locked), so a login that read the old row is refused too.
 */
async function placeAccount(
  tx: Transaction,
  deps: EmployeeAccountDeps,
  user: User,
  place: { agencyCode: string; unitId: string | null; roles?: User['roles'] },
): Promise<boolean> {
  const moved = user.agencyCode !== place.agencyCode;
  const roles = moved ? (['EMPLOYEE'] as User['roles']) : (place.roles ?? user.roles);
  const updated = await tx.user.update({ where: { id: user.id }, data: { agencyCode: place.agencyCode, unitId: place.unitId, roles } });
  if (moved) await revoke(tx, deps, updated, 'AGENCY_CHANGED');
  return moved;
}

async function revoke(tx: Transaction, deps: EmployeeAccountDeps, user: User, reason: RevocationReason): Promise<void> {
  await writeOutboxEvent(tx, tokensRevoked(deps.subjects, { id: user.id, kind: 'user' }, reason, new Date((deps.now ?? Date.now)())));
}

/** Returns whether it wrote events to the outbox (a revocation). */
export async function openEmployeeAccount(
  tx: Transaction,
  deps: EmployeeAccountDeps,
  data: EventData<typeof EmployeeAppointed>,
  passwordHash: string | null,
): Promise<boolean> {
  const agency = await tx.agency.findUnique({ where: { code: data.agencyCode } });
  if (!agency) throw new Error(`agency ${data.agencyCode} of employee ${data.nip} is not known here yet`);
  const existing = await tx.user.findUnique({ where: { username: data.nip } });
  const unit = await unitId(tx, data.agencyCode, data.unitCode);
  if (existing) {
    // An account made by hand before the record becomes the employee's account: in
    // its own agency it gains EMPLOYEE, from another agency it arrives with EMPLOYEE only.
    const roles = existing.roles.includes('EMPLOYEE') ? existing.roles : [...existing.roles, 'EMPLOYEE' as const];
    return placeAccount(tx, deps, existing, { agencyCode: data.agencyCode, unitId: unit, roles });
  }
  await tx.user.create({
    data: { username: data.nip, displayName: data.name, agencyCode: data.agencyCode, unitId: unit, roles: ['EMPLOYEE'], passwordHash },
  });
  return false;
}

/** Returns whether it wrote events to the outbox (a revocation). */
export async function moveEmployeeAccount(tx: Transaction, deps: EmployeeAccountDeps, data: EventData<typeof EmployeeTransferred>): Promise<boolean> {
  const user = await tx.user.findUnique({ where: { username: data.nip } });
  if (!user) throw new Error(`no account for employee ${data.nip} yet`);
  const agency = await tx.agency.findUnique({ where: { code: data.toAgencyCode } });
  if (!agency) throw new Error(`agency ${data.toAgencyCode} is not known here yet`);
  return placeAccount(tx, deps, user, { agencyCode: data.toAgencyCode, unitId: await unitId(tx, data.toAgencyCode, data.toUnitCode) });
}

/** Returns whether it wrote events to the outbox (a revocation). */
export async function disableEmployeeAccount(tx: Transaction, deps: EmployeeAccountDeps, data: EventData<typeof EmployeeRetired>): Promise<boolean> {
  const user = await tx.user.findUnique({ where: { username: data.nip } });
  if (!user) throw new Error(`no account for employee ${data.nip} yet`);
  const disabled = await tx.user.update({ where: { id: user.id }, data: { status: 'DISABLED' } });
  await endUserSessions(tx, disabled.id, 'USER_RETIRED', new Date((deps.now ?? Date.now)()));
  await revoke(tx, deps, disabled, 'USER_RETIRED');
  return true;
}

/** Starts the three durable consumers; stop them before closing the database. */
export async function consumeEmployeeEvents(
  deps: EmployeeAccountDeps & { nc: NatsConnection; logger: Logger; eventsWritten: () => void },
  options: EmployeeAccountOptions = {},
): Promise<EventConsumer[]> {
  const { nc, subjects } = deps;
  const logger = deps.logger.child({ component: 'employee-accounts' });
  const nudged = (wrote: boolean) => {
    if (wrote) deps.eventsWritten();
  };
  const common = { nc, subjects, logger, database: deps.prisma, afterApply: nudged };
  return Promise.all([
    consumeEvents({
      ...common,
      durable: EMPLOYEE_ACCOUNT_CONSUMERS.appointed,
      definition: EmployeeAppointed,
      // The demo hash is computed once and then kept (service.ts), so this is quick inside the transaction.
      apply: async (tx, data) => openEmployeeAccount(tx, deps, data, options.initialPasswordHash ? await options.initialPasswordHash() : null),
    }),
    consumeEvents({
      ...common,
      durable: EMPLOYEE_ACCOUNT_CONSUMERS.transferred,
      definition: EmployeeTransferred,
      apply: (tx, data) => moveEmployeeAccount(tx, deps, data),
    }),
    consumeEvents({
      ...common,
      durable: EMPLOYEE_ACCOUNT_CONSUMERS.retired,
      definition: EmployeeRetired,
      apply: (tx, data) => disableEmployeeAccount(tx, deps, data),
    }),
  ]);
}
