import { consumeEvents, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { EmployeeAppointed, EmployeeRetired, EmployeeTransferred, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient, Transaction } from '../db.ts';
import type { DispositionManager } from '../dispositions/disposition-manager.ts';
import type { EmployeeStore } from './employee-store.ts';

export const EMPLOYEE_CONSUMERS = {
  appointed: 'documents-employee-appointed',
  transferred: 'documents-employee-transferred',
  retired: 'documents-employee-retired',
} as const;

/**
 * The three consumers run independently, so a transfer can arrive before the
 * appointment it follows: it fails (rolling back its processed-event record) and is
 * redelivered after a delay, by when the appointment is in.
 */
async function requireKnown(tx: Transaction, nip: string): Promise<void> {
  if (!(await tx.employee.findUnique({ where: { nip }, select: { nip: true } }))) {
    throw new Error(`employee ${nip} is not known here yet; the event will be redelivered`);
  }
}

/**
 * Keeps the employee read model in step with personnel: appointments add people who
 * can write, review, sign and receive; a transfer moves them and hands their open
 * dispositions back to whoever sent them; a retirement does the same and makes them
 * inactive. consumeEvents records each event id in the same transaction as its change.
 */
export async function consumeEmployeeEvents(options: {
  nc: NatsConnection;
  subjects: Subjects;
  prisma: PrismaClient;
  employees: EmployeeStore;
  dispositions: DispositionManager;
  logger: Logger;
}): Promise<EventConsumer[]> {
  const { nc, subjects, prisma, employees, dispositions, logger } = options;
  const common = { nc, subjects, logger: logger.child({ component: 'employee-events' }) };
  return Promise.all([
    consumeEvents({
      ...common,
      durable: EMPLOYEE_CONSUMERS.appointed,
      definition: EmployeeAppointed,
      database: prisma,
      apply: (tx, data) => employees.upsert(tx, { nip: data.nip, name: data.name, agencyCode: data.agencyCode, unitCode: data.unitCode, active: true }),
    }),
    consumeEvents({
      ...common,
      durable: EMPLOYEE_CONSUMERS.transferred,
      definition: EmployeeTransferred,
      database: prisma,
      apply: async (tx, data) => {
        await requireKnown(tx, data.nip);
        await tx.employee.update({ where: { nip: data.nip }, data: { agencyCode: data.toAgencyCode, unitCode: data.toUnitCode } });
        return dispositions.returnOpenDispositionsOf(tx, data.nip, `transferred to ${data.toAgencyCode}${data.toUnitCode ? `/${data.toUnitCode}` : ''}`);
      },
      afterApply: (returned, data) => {
        if (returned) logger.info({ nip: data.nip, returned }, 'open dispositions returned to their senders after a transfer');
      },
    }),
    consumeEvents({
      ...common,
      durable: EMPLOYEE_CONSUMERS.retired,
      definition: EmployeeRetired,
      database: prisma,
      apply: async (tx, data) => {
        await requireKnown(tx, data.nip);
        await tx.employee.update({ where: { nip: data.nip }, data: { active: false } });
        await dispositions.returnOpenDispositionsOf(tx, data.nip, 'retired');
      },
    }),
  ]);
}
