import type { KeyEncryption, Principal } from '@simpul/kit';
import type { Subjects } from '@simpul/contracts';
import { DEMO_AGENCIES, DEMO_EMPLOYEES, seededRandom, type DemoEmployee } from '@simpul/contracts/demo';
import { createLogger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import { createDocumentsParts } from '../documents.ts';
import type { Actor } from '../employees/actor.ts';
import { DocumentSigningKeys } from '../signing/signing-keys.ts';
import { KnownAgencyStore } from '../agencies/agency-store.ts';
import { agencyPeople, DEMO_SECURITY_WEIGHTS, DEMO_STATUS_CYCLE, DEMO_SUBJECTS, weighted } from './demo-documents.ts';
import type { WorkflowStatus } from '../workflow/workflow.ts';

export interface SeedOptions {
  subjects: Subjects;
  /** Seals the letter-signing key (the service's SIMPUL_MASTER_KEY). */
  keyEncryption: KeyEncryption;
  /** Letters per agency (default 30: about 330 in all). */
  perAgency?: number;
}

export interface SeedSummary {
  employees: number;
  documentsCreated: number;
  skipped: boolean;
}

const DAY = 86_400_000;

/**
 * Demo letters in every state across the demo agencies, some secret, written through
 * the same managers as real ones (so numbers, signatures and audit trails are
 * genuine), on a clock set back in time: the oldest were signed years ago, so the
 * archive has records whose retention has run out. The employee read model is filled
 * from the same generator personnel uses, the agency read model from the demo agencies. Runs once: a database with documents is
 * left alone.
 */
export async function seedDemoData(prisma: PrismaClient, options: SeedOptions): Promise<SeedSummary> {
  const employees = DEMO_EMPLOYEES;
  await upsertEmployees(prisma, employees);
  // Identity announces the demo agencies too; the letters below must not wait for its events.
  for (const agency of DEMO_AGENCIES) await new KnownAgencyStore(prisma).apply(prisma, agency);
  if ((await prisma.document.count()) > 0) return { employees: employees.length, documentsCreated: 0, skipped: true };

  const perAgency = options.perAgency ?? 30;
  // One signing key for all: made here before the agencies below load it side by side.
  await new DocumentSigningKeys(prisma, options.keyEncryption).ensureActiveKey();
  // Agencies are seeded side by side (each has its own numbering and clock); letters within one in order.
  const counts = await Promise.all(DEMO_AGENCIES.map((agency, index) => seedAgency(prisma, options, agency.code, index, perAgency, employees)));
  const created = counts.reduce((sum, n) => sum + n, 0);
  return { employees: employees.length, documentsCreated: created, skipped: false };
}

async function seedAgency(
  prisma: PrismaClient,
  { subjects, keyEncryption }: SeedOptions,
  agencyCode: string,
  index: number,
  perAgency: number,
  employees: readonly DemoEmployee[],
): Promise<number> {
  let clock = new Date();
  const parts = createDocumentsParts(prisma, {
    subjects,
    logger: createLogger('documents-seed', 'warn'),
    buckets: null,
    attachments: { maxBytes: 0, contentTypes: [] },
    eventsWritten: () => {},
    keyEncryption,
    now: () => clock,
  });
  await parts.keys.ensureActiveKey();
  const { documents, dispositions } = parts.managers;
  const random = seededRandom(4_2026 + index);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const actorOf = (e: DemoEmployee): { principal: Principal; actor: Actor } => ({
    principal: { id: `demo-${e.nip}`, kind: 'user', username: e.nip, agencyCode: e.agencyCode, roles: ['EMPLOYEE'], token: '' },
    actor: { id: `demo-${e.nip}`, username: e.nip, agencyCode: e.agencyCode, unitCode: e.unitCode, roles: ['EMPLOYEE'], name: e.name, isEmployee: true },
  });
  const { heads, staff } = agencyPeople(employees, agencyCode);
  if (heads.length === 0) return 0;
  const others = DEMO_AGENCIES.filter((a) => a.code !== agencyCode);
  let created = 0;
  // Archived letters were written 1-12 years ago, the rest within the last four months;
  // they are written oldest first, so numbers follow the signing dates.
  const plans = Array.from({ length: perAgency }, (_, n) => {
    const status = DEMO_STATUS_CYCLE[(index + n) % DEMO_STATUS_CYCLE.length] as WorkflowStatus;
    return { n, status, ageDays: status === 'ARCHIVED' ? 365 + Math.floor(random() * 11 * 365) : 7 + Math.floor(random() * 113) };
  }).sort((a, b) => b.ageDays - a.ageDays);
  let lastSignedAt = 0;
  const now = Date.now();
  for (const { n, status, ageDays } of plans) {
    const securityClass = weighted(random, DEMO_SECURITY_WEIGHTS);
    const topic = pick(DEMO_SUBJECTS);
    const author = pick(staff);
    const signer = pick(heads.filter((h) => h.nip !== author.nip)) ?? heads[0]!;
    const reviewers = [...new Set([pick(staff), pick(heads)].map((e) => e.nip))].filter((nip) => nip !== author.nip && nip !== signer.nip);
    const colleague = pick(employees.filter((e) => e.agencyCode === agencyCode && e.nip !== author.nip));
    const other = pick(others);
    const recipients =
      random() < 0.5
        ? [{ kind: 'AGENCY' as const, agencyCode: other.code }]
        : [
            { kind: 'EMPLOYEE' as const, nip: colleague.nip },
            { kind: 'UNIT' as const, agencyCode: other.code, unitCode: other.units[0]!.code },
          ];
    clock = new Date(now - ageDays * DAY);
    // Each step a few hours to three days later, never past the present.
    const step = () => {
      clock = new Date(Math.min(clock.getTime() + Math.floor(random() * 3 * DAY) + 3_600_000, now - 60_000));
    };
    const as = actorOf(author);
    const doc = await documents.create(as.principal, as.actor, {
      type: topic.type,
      subject: `${topic.subject} (${n + 1})`,
      body: `Dengan hormat,\n\nSehubungan dengan ${topic.subject.toLowerCase()}, bersama ini kami sampaikan hal-hal sebagai berikut.\n\nDemikian, atas perhatiannya diucapkan terima kasih.`,
      classificationCode: topic.classificationCode,
      securityClass,
      urgency: pick(['BIASA', 'BIASA', 'SEGERA', 'SANGAT_SEGERA']),
      reviewerNips: reviewers,
      signerNip: signer.nip,
      recipients,
    });
    created++;
    if (status === 'DRAFT') continue;
    step();
    await documents.submit(as.principal, as.actor, doc.id);
    if (status === 'RETURNED') {
      const first = actorOf(employees.find((e) => e.nip === (reviewers[0] ?? signer.nip))!);
      step();
      await documents.sendBack(first.principal, first.actor, doc.id, 'Mohon perbaiki dasar hukum dan lampiran.');
      continue;
    }
    const stopReviewAt = status === 'IN_REVIEW' ? Math.floor(random() * reviewers.length) : reviewers.length;
    for (const nip of reviewers.slice(0, stopReviewAt)) {
      const reviewer = actorOf(employees.find((e) => e.nip === nip)!);
      step();
      await documents.initial(reviewer.principal, reviewer.actor, doc.id, random() < 0.3 ? 'Setuju.' : null);
    }
    if (status === 'IN_REVIEW' || status === 'READY_TO_SIGN') continue;
    const sign = actorOf(signer);
    step();
    clock = new Date(Math.max(clock.getTime(), lastSignedAt + 60_000));
    lastSignedAt = clock.getTime();
    await documents.sign(sign.principal, sign.actor, doc.id);
    if (status === 'SIGNED') continue;
    step();
    await documents.send(as.principal, as.actor, doc.id);
    if (recipients[0]?.kind === 'EMPLOYEE' && random() < 0.6) {
      const holder = actorOf(colleague);
      const sameUnit = employees.filter((e) => e.agencyCode === agencyCode && e.nip !== colleague.nip && e.unitCode === colleague.unitCode);
      const to = sameUnit.length ? pick(sameUnit) : pick(employees.filter((e) => e.agencyCode === agencyCode && e.nip !== colleague.nip));
      step();
      await dispositions.disposition(holder.principal, holder.actor, doc.id, {
        toNips: [to.nip],
        instruction: pick(['Untuk ditindaklanjuti.', 'Mohon dipelajari dan disiapkan bahan.', 'Hadiri dan laporkan hasilnya.']),
        dueDate: new Date(clock.getTime() + (2 + Math.floor(random() * 10)) * DAY).toISOString().slice(0, 10),
      });
    }
    if (status === 'SENT') continue;
    step();
    await documents.archiveDocument(as.principal, as.actor, doc.id);
  }
  return created;
}

async function upsertEmployees(prisma: PrismaClient, employees: readonly DemoEmployee[]): Promise<void> {
  const known = new Set((await prisma.employee.findMany({ select: { nip: true } })).map((e) => e.nip));
  const missing = employees.filter((e) => !known.has(e.nip));
  if (missing.length) {
    await prisma.employee.createMany({
      data: missing.map((e) => ({ nip: e.nip, name: e.name, agencyCode: e.agencyCode, unitCode: e.unitCode, active: true })),
      skipDuplicates: true,
    });
  }
}
