import { consumeEvents, recordProcessedEvent, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { EmployeeAppointed, EmployeeRetired, EmployeeTransferred, type EventData, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient, Transaction } from '../db.ts';

/**
 * Civil servants' accounts follow their personnel records (single sign-on with the NIP):
 * - `employee.appointed` opens an account named after the NIP with the role EMPLOYEE in
 *   the employee's agency (and unit, when identity knows it). It has no password: the
 *   agency's AGENCY_ADMIN or HR_OFFICER sets the first one with `resetPassword`. In demo
 *   mode it gets the demo password, so demo employees can log in straight away.
 * - `employee.transferred` moves the account to the new agency and unit.
 * - `employee.retired` disables it.
 * Each consumer records the event id in the transaction that applies it, so a
 * redelivered event changes nothing. The three consumers run independently: a transfer
 * or retirement that arrives before the account exists fails and is redelivered later.
 */
export interface EmployeeAccountOptions {
  /** The password hash new accounts get (demo mode); none otherwise. */
  initialPasswordHash?: () => Promise<string>;
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

export async function openEmployeeAccount(
  prisma: PrismaClient,
  eventId: string,
  data: EventData<typeof EmployeeAppointed>,
  options: EmployeeAccountOptions = {},
): Promise<void> {
  const passwordHash = options.initialPasswordHash ? await options.initialPasswordHash() : null;
  await prisma.$transaction(async (tx) => {
    if (!(await recordProcessedEvent(tx, EMPLOYEE_ACCOUNT_CONSUMERS.appointed, eventId))) return;
    const agency = await tx.agency.findUnique({ where: { code: data.agencyCode } });
    if (!agency) throw new Error(`agency ${data.agencyCode} of employee ${data.nip} is not known here yet`);
    const existing = await tx.user.findUnique({ where: { username: data.nip } });
    const unit = await unitId(tx, data.agencyCode, data.unitCode);
    if (existing) {
      // An account made by hand before the record: it becomes the employee's account.
      const roles = existing.roles.includes('EMPLOYEE') ? existing.roles : [...existing.roles, 'EMPLOYEE' as const];
      await tx.user.update({ where: { id: existing.id }, data: { agencyCode: data.agencyCode, unitId: unit, roles } });
      return;
    }
    await tx.user.create({
      data: { username: data.nip, displayName: data.name, agencyCode: data.agencyCode, unitId: unit, roles: ['EMPLOYEE'], passwordHash },
    });
  });
}

export async function moveEmployeeAccount(prisma: PrismaClient, eventId: string, data: EventData<typeof EmployeeTransferred>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    if (!(await recordProcessedEvent(tx, EMPLOYEE_ACCOUNT_CONSUMERS.transferred, eventId))) return;
    const user = await tx.user.findUnique({ where: { username: data.nip } });
    if (!user) throw new Error(`no account for employee ${data.nip} yet`);
    const agency = await tx.agency.findUnique({ where: { code: data.toAgencyCode } });
    if (!agency) throw new Error(`agency ${data.toAgencyCode} is not known here yet`);
    await tx.user.update({ where: { id: user.id }, data: { agencyCode: data.toAgencyCode, unitId: await unitId(tx, data.toAgencyCode, data.toUnitCode) } });
  });
}

export async function disableEmployeeAccount(prisma: PrismaClient, eventId: string, data: EventData<typeof EmployeeRetired>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    if (!(await recordProcessedEvent(tx, EMPLOYEE_ACCOUNT_CONSUMERS.retired, eventId))) return;
    const user = await tx.user.findUnique({ where: { username: data.nip } });
    if (!user) throw new Error(`no account for employee ${data.nip} yet`);
    await tx.user.update({ where: { id: user.id }, data: { status: 'DISABLED' } });
  });
}

/** Starts the three durable consumers; stop them before closing the database. */
export async function consumeEmployeeEvents(
  deps: { nc: NatsConnection; subjects: Subjects; prisma: PrismaClient; logger: Logger },
  options: EmployeeAccountOptions = {},
): Promise<EventConsumer[]> {
  const { nc, subjects, prisma } = deps;
  const logger = deps.logger.child({ component: 'employee-accounts' });
  return Promise.all([
    consumeEvents({
      nc, subjects, logger, durable: EMPLOYEE_ACCOUNT_CONSUMERS.appointed, definition: EmployeeAppointed,
      handle: (data, envelope) => openEmployeeAccount(prisma, envelope.id, data, options),
    }),
    consumeEvents({
      nc, subjects, logger, durable: EMPLOYEE_ACCOUNT_CONSUMERS.transferred, definition: EmployeeTransferred,
      handle: (data, envelope) => moveEmployeeAccount(prisma, envelope.id, data),
    }),
    consumeEvents({
      nc, subjects, logger, durable: EMPLOYEE_ACCOUNT_CONSUMERS.retired, definition: EmployeeRetired,
      handle: (data, envelope) => disableEmployeeAccount(prisma, envelope.id, data),
    }),
  ]);
}
