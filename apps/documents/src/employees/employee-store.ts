import type { Employee, PrismaClient, Transaction } from '../db.ts';

export interface EmployeeFacts {
  nip: string;
  name: string;
  agencyCode: string;
  unitCode: string | null;
  active: boolean;
}

/** The read model of employees, fed by personnel's events (documents never asks personnel directly). */
export class EmployeeStore {
  constructor(private readonly prisma: PrismaClient) {}

  find(nip: string): Promise<Employee | null> {
    return this.prisma.employee.findUnique({ where: { nip } });
  }

  findMany(nips: readonly string[]): Promise<Employee[]> {
    return this.prisma.employee.findMany({ where: { nip: { in: [...nips] } } });
  }

  async upsert(db: Transaction | PrismaClient, facts: EmployeeFacts): Promise<void> {
    const { nip, ...rest } = facts;
    await db.employee.upsert({ where: { nip }, create: facts, update: rest });
  }
}
