import { badUserInput, conflict, decodeCursor, encodeCursor, forbidden, notFound, pageSize, requirePrincipal, type Principal } from '@simpul/kit';
import { createEvent, writeOutboxEvent } from '@simpul/bus';
import { DispositionCreated, DispositionWithdrawn, NIP_PATTERN, type Subjects } from '@simpul/contracts';
import type { Disposition, Document, PrismaClient, Recipient, Transaction } from '../db.ts';
import type { Actor } from '../employees/actor.ts';
import type { EmployeeStore } from '../employees/employee-store.ts';
import { appendAuditEntry, lockDocument } from '../audit/audit-store.ts';
import type { DocumentStore } from '../documents/document-store.ts';
import { isUuid } from '../documents/document-manager.ts';
import { parseDate } from '../archive/archive-manager.ts';
import { recipientMatch } from '../visibility/visibility.ts';

export interface DispositionInput {
  /** Who gets it: employees of the forwarder's agency. */
  toNips: string[];
  instruction: string;
  /** YYYY-MM-DD. */
  dueDate?: string | null;
  /** The disposition being forwarded further down; omitted when a recipient of the document dispositions it first. */
  parentId?: string | null;
}

export interface InboxItem {
  /** RECEIVED: the document was addressed to you (or your unit / agency mail room). DISPOSITION: someone dispositioned it to you. */
  kind: 'RECEIVED' | 'DISPOSITION';
  id: string;
  documentId: string;
  receivedAt: Date;
  dueDate: Date | null;
  read: boolean;
  recipient: Recipient | null;
  disposition: Disposition | null;
}

const ACTIVE = ['OPEN', 'FORWARDED'] as const;

/**
 * Incoming mail and dispositions (disposisi). A recipient of a sent document (or its
 * agency's records officer for mail addressed to the agency) dispositions it to
 * colleagues with an instruction and a due date; each holder forwards further down or
 * completes it. The sender can withdraw one the holder has not read yet. When the
 * holder leaves (transfer, retirement), their open dispositions return to the sender.
 */
export class DispositionManager {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly documents: DocumentStore,
    private readonly employees: EmployeeStore,
    private readonly subjects: Subjects,
    /** Called after a committed change wrote events to the outbox. */
    private readonly eventsWritten: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async disposition(principal: Principal | null, actor: Actor | null, documentId: string, input: DispositionInput): Promise<Disposition[]> {
    requirePrincipal(principal);
    if (!actor) throw forbidden();
    const instruction = input.instruction?.trim() ?? '';
    if (instruction.length < 1 || instruction.length > 2000) throw badUserInput('instruction: 1-2000 characters', { field: 'instruction' });
    const dueDate = input.dueDate ? parseDate(input.dueDate, 'dueDate') : null;
    if (dueDate && dueDate.getTime() < startOfToday(this.now()).getTime()) throw badUserInput('dueDate: lies in the past', { field: 'dueDate' });
    if (input.toNips.length === 0 || input.toNips.length > 50) throw badUserInput('toNips: 1-50 employees', { field: 'toNips' });
    if (new Set(input.toNips).size !== input.toNips.length) throw badUserInput('toNips: an employee is named twice', { field: 'toNips' });
    const targets = await this.employees.findMany(input.toNips);
    for (const nip of input.toNips) {
      const target = targets.find((t) => t.nip === nip);
      if (!NIP_PATTERN.test(nip) || !target || !target.active) throw badUserInput(`toNips: no active employee has the NIP ${nip}`, { field: 'toNips' });
      if (target.agencyCode !== actor.agencyCode) throw badUserInput(`toNips: ${nip} does not work at ${actor.agencyCode}`, { field: 'toNips' });
      if (nip === actor.username) throw badUserInput('toNips: you cannot disposition a document to yourself', { field: 'toNips' });
    }
    if (!isUuid(documentId)) throw notFound(`No document has the id "${documentId}"`);

    const created = await this.documents.transaction(async (tx) => {
      if (!(await lockDocument(tx, documentId)) || !(await this.documents.isVisible(tx, documentId, actor))) {
        throw notFound(`No document has the id "${documentId}"`);
      }
      const doc = await tx.document.findUniqueOrThrow({ where: { id: documentId } });
      // The sender archiving their letter does not end the recipients' work on it.
      if (doc.status !== 'SENT' && doc.status !== 'ARCHIVED') throw conflict(`Only a sent document can be dispositioned; this one is ${doc.status}`);
      let parentId: string | null = null;
      if (input.parentId) {
        const parent = await tx.disposition.findFirst({ where: { id: input.parentId, documentId } });
        if (!parent) throw notFound(`No disposition of this document has the id "${input.parentId}"`);
        if (parent.toNip !== actor.username) throw forbidden('Only the holder of a disposition can forward it');
        if (parent.status !== 'OPEN') throw conflict(`This disposition is ${parent.status} and can no longer be forwarded`);
        await tx.disposition.update({ where: { id: parent.id }, data: { status: 'FORWARDED', readAt: parent.readAt ?? this.now() } });
        parentId = parent.id;
      } else {
        const mine = await tx.recipient.findMany({ where: { AND: [{ documentId }, recipientMatch(actor)] } });
        if (mine.length === 0) throw forbidden('Only a recipient of this document (or the holder of one of its dispositions) can disposition it');
        await tx.recipient.updateMany({ where: { id: { in: mine.map((r) => r.id) } }, data: { handledAt: this.now(), readAt: this.now() } });
      }
      const created: Disposition[] = [];
      for (const target of input.toNips.map((nip) => targets.find((t) => t.nip === nip)!)) {
        created.push(
          await tx.disposition.create({
            data: {
              documentId,
              parentId,
              fromUsername: actor.username,
              fromName: actor.name,
              toNip: target.nip,
              toName: target.name,
              agencyCode: actor.agencyCode,
              instruction,
              dueDate,
              createdAt: this.now(),
            },
          }),
        );
      }
      // The holders' inboxes changed: the gateway's inboxChanged subscription follows this.
      for (const d of created) await writeOutboxEvent(tx, createEvent(this.subjects, DispositionCreated, dispositionFacts(d, this.now())));
      await appendAuditEntry(tx, documentId, {
        action: 'dispositioned',
        actor: actor.username,
        detail: { to: input.toNips, parentId, dueDate: input.dueDate ?? null },
        at: this.now(),
      });
      return created;
    });
    this.eventsWritten();
    return created;
  }

  /** The holder opens it: from now on the sender can no longer withdraw it. */
  read(principal: Principal | null, actor: Actor | null, id: string): Promise<Disposition> {
    return this.change(principal, actor, id, async (_tx, d, me) => {
      if (d.toNip !== me.username) throw forbidden('Only the holder of a disposition can mark it read');
      if (d.readAt) return null;
      return { data: { readAt: this.now() }, audit: 'disposition-read' };
    });
  }

  complete(principal: Principal | null, actor: Actor | null, id: string, note?: string | null): Promise<Disposition> {
    const text = note?.trim() || null;
    if (text && text.length > 2000) throw badUserInput('note: at most 2000 characters', { field: 'note' });
    return this.change(principal, actor, id, async (_tx, d, me) => {
      if (d.toNip !== me.username) throw forbidden('Only the holder of a disposition can complete it');
      if (d.status !== 'OPEN') throw conflict(`This disposition is ${d.status} and cannot be completed`);
      return { data: { status: 'COMPLETED', note: text, closedAt: this.now(), readAt: d.readAt ?? this.now() }, audit: 'disposition-completed' };
    });
  }

  async withdraw(principal: Principal | null, actor: Actor | null, id: string): Promise<Disposition> {
    const withdrawn = await this.change(principal, actor, id, async (tx, d, me) => {
      if (d.fromUsername !== me.username) throw forbidden('Only the sender of a disposition can withdraw it');
      if (d.status !== 'OPEN') throw conflict(`This disposition is ${d.status} and cannot be withdrawn`);
      if (d.readAt) throw conflict('This disposition has been read and can no longer be withdrawn');
      await this.giveBack(tx, d);
      await writeOutboxEvent(tx, createEvent(this.subjects, DispositionWithdrawn, dispositionFacts(d, this.now())));
      return { data: { status: 'WITHDRAWN', closedAt: this.now() }, audit: 'disposition-withdrawn' };
    });
    this.eventsWritten();
    return withdrawn;
  }

  /**
   * Hands every open disposition of `nip` back to whoever sent it (in the caller's
   * transaction, the one that records the personnel event). Returns how many.
   */
  async returnOpenDispositionsOf(tx: Transaction, nip: string, reason: string): Promise<number> {
    const open = await tx.disposition.findMany({ where: { toNip: nip, status: 'OPEN' }, orderBy: { documentId: 'asc' } });
    for (const d of open) {
      await lockDocument(tx, d.documentId);
      await tx.disposition.update({
        where: { id: d.id },
        data: { status: 'RETURNED', note: `Returned to the sender: holder ${reason}`, closedAt: this.now() },
      });
      await this.giveBack(tx, d);
      await appendAuditEntry(tx, d.documentId, {
        action: 'disposition-returned',
        actor: 'personnel',
        detail: { dispositionId: d.id, holder: nip, reason },
        at: this.now(),
      });
    }
    return open.length;
  }

  /**
   * What the caller has waiting: documents addressed to them not yet dispositioned or
   * done, and open dispositions to them. Overdue first (oldest due date first), then by
   * due date, then newest. A person's waiting work is small, so it is sorted in memory
   * and paged by position.
   */
  async inbox(principal: Principal | null, actor: Actor | null, input: { first?: number | null; after?: string | null; documentId?: string | null }) {
    requirePrincipal(principal);
    const take = pageSize(input.first);
    const offset = input.after ? decodeOffset(input.after) : 0;
    if (!actor) return { edges: [], pageInfo: emptyPage, totalCount: 0 };
    if (input.documentId && !isUuid(input.documentId)) return { edges: [], pageInfo: emptyPage, totalCount: 0 };
    // One document's items: how the gateway checks that an event belongs in the caller's inbox.
    const ofDocument = input.documentId ? { documentId: input.documentId } : {};
    const [received, dispositions] = await Promise.all([
      this.prisma.recipient.findMany({
        where: { AND: [ofDocument, recipientMatch(actor), { handledAt: null }, { document: { status: { in: ['SENT', 'ARCHIVED'] } } }] },
        include: { document: { select: { sentAt: true } } },
      }),
      this.prisma.disposition.findMany({ where: { ...ofDocument, toNip: actor.username, status: 'OPEN' } }),
    ]);
    const items: InboxItem[] = [
      ...received.map(({ document, ...r }) => ({
        kind: 'RECEIVED' as const,
        id: r.id,
        documentId: r.documentId,
        receivedAt: document.sentAt ?? new Date(0),
        dueDate: null,
        read: r.readAt !== null,
        recipient: r,
        disposition: null,
      })),
      ...dispositions.map((d) => ({
        kind: 'DISPOSITION' as const,
        id: d.id,
        documentId: d.documentId,
        receivedAt: d.createdAt,
        dueDate: d.dueDate,
        read: d.readAt !== null,
        recipient: null,
        disposition: d,
      })),
    ];
    const today = startOfToday(this.now()).getTime();
    const rank = (i: InboxItem) => (i.dueDate && i.dueDate.getTime() < today ? 0 : i.dueDate ? 1 : 2);
    items.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.dueDate?.getTime() ?? 0) - (b.dueDate?.getTime() ?? 0) ||
        b.receivedAt.getTime() - a.receivedAt.getTime() ||
        (a.id < b.id ? -1 : 1),
    );
    const page = items.slice(offset, offset + take);
    const edges = page.map((node, i) => ({ node: { ...node, overdue: rank(node) === 0 }, cursor: encodeOffset(offset + i + 1) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: offset + take < items.length,
        hasPreviousPage: offset > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: items.length,
    };
  }

  /** The caller marks a document addressed to them as read (and, with `done`, as dealt with). */
  async markReceived(principal: Principal | null, actor: Actor | null, documentId: string, done: boolean): Promise<Document> {
    requirePrincipal(principal);
    if (!actor || !isUuid(documentId)) throw notFound(`No document has the id "${documentId}"`);
    return this.documents.transaction(async (tx) => {
      if (!(await lockDocument(tx, documentId)) || !(await this.documents.isVisible(tx, documentId, actor))) {
        throw notFound(`No document has the id "${documentId}"`);
      }
      const mine = await tx.recipient.findMany({
        where: { AND: [{ documentId }, recipientMatch(actor), { document: { status: { in: ['SENT', 'ARCHIVED'] } } }] },
      });
      if (mine.length === 0) throw forbidden('This document was not addressed to you');
      const now = this.now();
      await tx.recipient.updateMany({
        where: { id: { in: mine.map((r) => r.id) } },
        data: done ? { readAt: now, handledAt: now } : { readAt: now },
      });
      await appendAuditEntry(tx, documentId, { action: done ? 'received-done' : 'received-read', actor: actor.username, at: this.now() });
      return tx.document.findUniqueOrThrow({ where: { id: documentId } });
    });
  }

  /** After a disposition leaves its holder, the work is the sender's again: their own disposition reopens, or the document returns to their inbox. */
  private async giveBack(tx: Transaction, d: Disposition): Promise<void> {
    const siblingsActive = await tx.disposition.count({
      where: { documentId: d.documentId, parentId: d.parentId, id: { not: d.id }, fromUsername: d.fromUsername, status: { in: [...ACTIVE] } },
    });
    if (siblingsActive > 0) return;
    if (d.parentId) {
      await tx.disposition.updateMany({ where: { id: d.parentId, status: 'FORWARDED' }, data: { status: 'OPEN' } });
    } else {
      // The sender got the document as a recipient: it goes back to that recipient's inbox.
      const sender = await tx.employee.findUnique({ where: { nip: d.fromUsername } });
      await tx.recipient.updateMany({
        where: {
          documentId: d.documentId,
          handledAt: { not: null },
          OR: [
            { kind: 'EMPLOYEE', nip: d.fromUsername },
            ...(sender?.unitCode ? [{ kind: 'UNIT' as const, agencyCode: d.agencyCode, unitCode: sender.unitCode }] : []),
            { kind: 'AGENCY', agencyCode: d.agencyCode },
          ],
        },
        data: { handledAt: null },
      });
    }
  }

  private async change(
    principal: Principal | null,
    actor: Actor | null,
    id: string,
    apply: (tx: Transaction, d: Disposition, me: Actor) => Promise<{ data: Partial<Disposition>; audit: string } | null>,
  ): Promise<Disposition> {
    requirePrincipal(principal);
    if (!actor || !isUuid(id)) throw notFound(`No disposition has the id "${id}"`);
    const found = await this.prisma.disposition.findUnique({ where: { id } });
    if (!found) throw notFound(`No disposition has the id "${id}"`);
    return this.documents.transaction(async (tx) => {
      await lockDocument(tx, found.documentId);
      if (!(await this.documents.isVisible(tx, found.documentId, actor))) throw notFound(`No disposition has the id "${id}"`);
      const d = await tx.disposition.findUniqueOrThrow({ where: { id } });
      const change = await apply(tx, d, actor);
      if (!change) return d;
      const updated = await tx.disposition.update({ where: { id }, data: change.data });
      await appendAuditEntry(tx, d.documentId, { action: change.audit, actor: actor.username, detail: { dispositionId: id }, at: this.now() });
      return updated;
    });
  }
}

function dispositionFacts(d: Disposition, at: Date) {
  return { id: d.id, documentId: d.documentId, agencyCode: d.agencyCode, fromUsername: d.fromUsername, toNip: d.toNip, at: at.toISOString() };
}

const emptyPage = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

function startOfToday(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function encodeOffset(n: number): string {
  return encodeCursor('inbox', String(n));
}

function decodeOffset(cursor: string): number {
  const position = decodeCursor('inbox', cursor) ?? '0';
  if (!/^\d+$/.test(position)) throw badUserInput('after: not a cursor from this list', { field: 'after' });
  return Number(position);
}
