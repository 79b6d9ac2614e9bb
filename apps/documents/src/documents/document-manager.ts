import { createEvent, recordAudit, writeOutboxEvent } from '@simpul/bus';
import {
  AgencyCode as AgencyCodeSchema,
  DocumentArchived,
  DocumentMoved,
  DocumentSent,
  DocumentSigned,
  NIP_PATTERN,
  SECURITY_CLASSES,
  UNIT_CODE_PATTERN,
  type Subjects,
} from '@simpul/contracts';
import {
  badUserInput,
  conflict,
  decodeCursor,
  encodeCursor,
  forbidden,
  notFound,
  pageSize,
  requirePrincipal,
  requireRole,
  searchText,
  toConnection,
  type Connection,
  type Principal,
} from '@simpul/kit';
import type { Document, PrismaClient, SecurityClass, Transaction, Urgency } from '../db.ts';
import type { Actor } from '../employees/actor.ts';
import type { EmployeeStore } from '../employees/employee-store.ts';
import type { KnownAgencyStore } from '../agencies/agency-store.ts';
import { appendAuditEntry, lockDocument } from '../audit/audit-store.ts';
import type { ArchiveManager } from '../archive/archive-manager.ts';
import { retentionDates } from '../archive/retention.ts';
import { formatDocumentNumber, wibYearMonth } from '../numbering/number-format.ts';
import { nextSequence, type NumberingStore } from '../numbering/numbering-store.ts';
import { documentDigest } from '../signing/canonical-form.ts';
import type { DocumentSigningKeys, PublicSigningKey } from '../signing/signing-keys.ts';
import { allowedActions, decide, type DocumentAction } from '../workflow/workflow.ts';
import { DOCUMENT_TYPES, URGENCIES } from './document-types.ts';
import type { DocumentFilter, DocumentStore, NewRecipient } from './document-store.ts';

export interface RecipientInput {
  kind: 'EMPLOYEE' | 'UNIT' | 'AGENCY';
  agencyCode?: string | null;
  unitCode?: string | null;
  nip?: string | null;
}

export interface CreateDocumentInput {
  type: string;
  subject: string;
  body?: string | null;
  classificationCode: string;
  securityClass: string;
  urgency?: string | null;
  /** Defaults to the author's own unit. */
  unitCode?: string | null;
  reviewerNips?: string[] | null;
  signerNip: string;
  recipients: RecipientInput[];
}

export type UpdateDocumentInput = Partial<Omit<CreateDocumentInput, 'recipients'>> & { recipients?: RecipientInput[] | null };

export interface ListDocumentsInput {
  filter?: (Omit<DocumentFilter, 'authorUsername'> & { authorNip?: string | null }) | null;
  first?: number | null;
  after?: string | null;
}

export interface Verification {
  id: string;
  valid: boolean;
  status: 'VALID' | 'ALTERED' | 'NOT_SIGNED';
  reason: string;
  number: string | null;
  signedAt: Date | null;
  signerUsername: string | null;
  signerName: string | null;
  agencyCode: string | null;
  keyId: string | null;
  digest: string | null;
}

const MAX_REVIEWERS = 10;
const MAX_RECIPIENTS = 100;

/**
 * Rules for documents: who writes, reviews, signs, sends and archives, what each
 * move does, numbering and signatures. Every change runs in one transaction that
 * first locks the document row, then asks the workflow, then writes the change, its
 * audit-trail entry and its events together.
 */
export class DocumentManager {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: DocumentStore,
    private readonly employees: EmployeeStore,
    private readonly agencies: KnownAgencyStore,
    private readonly archive: ArchiveManager,
    private readonly numbering: NumberingStore,
    private readonly keys: DocumentSigningKeys,
    private readonly subjects: Subjects,
    private readonly eventsWritten: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(actor: Actor | null, id: string): Promise<Document | null> {
    if (!actor || !isUuid(id)) return null;
    return this.store.findVisible(id, actor);
  }

  async list(principal: Principal | null, actor: Actor | null, input: ListDocumentsInput): Promise<Connection<Document>> {
    requirePrincipal(principal);
    const take = pageSize(input.first);
    const after = decodeCursor('document', input.after);
    const { authorNip, ...filter } = input.filter ?? {};
    const search = searchText(filter.search, 'filter.search', 2) ?? null;
    const where = this.store.where(actor, { ...filter, search, authorUsername: authorNip ?? null });
    const [at, id] = after ? after.split('|') : [];
    const { rows, total } = await this.store.list(where, take, at && id ? { createdAt: new Date(at), id } : undefined);
    return toConnection(rows, take, total, cursorOf);
  }

  async create(principal: Principal | null, actor: Actor | null, input: CreateDocumentInput): Promise<Document> {
    requirePrincipal(principal);
    if (!actor || principal?.kind !== 'user') throw forbidden('Only a user account can write a document');
    const fields = await this.validateFields(actor, input);
    const recipients = await this.validateRecipients(input.recipients);
    const unitCode = input.unitCode ? unitCodeOf(input.unitCode, 'unitCode') : actor.unitCode;
    const doc = await this.store.transaction(async (tx) => {
      const row = await this.store.create(
        tx,
        { ...fields, agencyCode: actor.agencyCode, unitCode, authorUsername: actor.username, authorName: actor.name, createdAt: this.now() },
        recipients,
      );
      await appendAuditEntry(tx, row.id, { action: 'created', actor: actor.username, detail: { securityClass: row.securityClass }, at: this.now() });
      return row;
    });
    return doc;
  }

  async update(principal: Principal | null, actor: Actor | null, id: string, input: UpdateDocumentInput): Promise<Document> {
    const me = this.requireActor(principal, actor);
    return this.move(me, id, 'EDIT', async (tx, current) => {
      const merged: CreateDocumentInput = {
        type: input.type ?? current.type,
        subject: input.subject ?? current.subject,
        body: input.body ?? current.body,
        classificationCode: input.classificationCode ?? current.classificationCode,
        securityClass: input.securityClass ?? current.securityClass,
        urgency: input.urgency ?? current.urgency,
        signerNip: input.signerNip ?? current.signerUsername,
        reviewerNips: input.reviewerNips ?? current.reviewers,
        recipients: [],
      };
      const fields = await this.validateFields(me, merged);
      if (input.recipients) await this.store.replaceRecipients(tx, id, await this.validateRecipients(input.recipients));
      const changed = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined && (input as Record<string, unknown>)[k] !== null);
      return {
        data: { ...fields, ...(input.unitCode ? { unitCode: unitCodeOf(input.unitCode, 'unitCode') } : {}) },
        audit: { action: 'edited', detail: { fields: changed } },
      };
    });
  }

  submit(principal: Principal | null, actor: Actor | null, id: string): Promise<Document> {
    const me = this.requireActor(principal, actor);
    return this.move(me, id, 'SUBMIT', async () => ({ data: {}, audit: { action: 'submitted' } }));
  }

  initial(principal: Principal | null, actor: Actor | null, id: string, comment?: string | null): Promise<Document> {
    const me = this.requireActor(principal, actor);
    const text = optionalComment(comment);
    return this.move(me, id, 'INITIAL', async (tx) => {
      await tx.reviewStep.create({ data: { documentId: id, username: me.username, action: 'INITIAL', comment: text, at: this.now() } });
      return { data: {}, audit: { action: 'initialled', detail: text ? { comment: text } : {} } };
    });
  }

  sendBack(principal: Principal | null, actor: Actor | null, id: string, comment: string): Promise<Document> {
    const me = this.requireActor(principal, actor);
    const text = optionalComment(comment);
    if (!text) throw badUserInput('comment: say what should change', { field: 'comment' });
    return this.move(me, id, 'RETURN', async (tx) => {
      await tx.reviewStep.create({ data: { documentId: id, username: me.username, action: 'RETURN', comment: text, at: this.now() } });
      return { data: {}, audit: { action: 'returned', detail: { comment: text } } };
    });
  }

  /** Signs: assigns the number, computes the digest and the Ed25519 signature, all in the transaction that locks the counter. */
  async sign(principal: Principal | null, actor: Actor | null, id: string): Promise<Document> {
    const me = this.requireActor(principal, actor);
    try {
      const doc = await this.move(me, id, 'SIGN', async (tx, current) => {
        const signedAt = this.now();
        const { year } = wibYearMonth(signedAt);
        const format = await this.numbering.format(current.agencyCode, tx);
        const recipients = await tx.recipient.findMany({ where: { documentId: id } });
        const attachments = await tx.attachment.findMany({ where: { documentId: id } });
        // The counter row stays locked from here to the commit: as little as possible follows.
        const seq = await nextSequence(tx, current.agencyCode, year);
        const number = formatDocumentNumber(format, {
          seq,
          unitCode: current.unitCode,
          classificationCode: current.classificationCode,
          agencyCode: current.agencyCode,
          signedAt,
        });
        const digest = documentDigest({ ...current, number, signedAt, recipients, attachments });
        const { kid, signature } = this.keys.signDigest(digest);
        await writeOutboxEvent(
          tx,
          createEvent(this.subjects, DocumentSigned, {
            id,
            agencyCode: current.agencyCode,
            number,
            securityClass: current.securityClass,
            signerUsername: me.username,
            signedAt: signedAt.toISOString(),
            digest,
          }),
        );
        await recordAudit(tx, this.subjects, 'documents', {
          action: 'document.sign',
          outcome: 'SUCCESS',
          actorId: me.id,
          actorName: me.username,
          actorAgencyCode: me.agencyCode,
          target: `document:${id}`,
          sourceAddress: null,
          detail: { number, digest, keyId: kid },
        });
        return {
          data: { seq, year, number, signedAt, digest, signature, signingKeyId: kid, signerName: me.name },
          audit: { action: 'signed', detail: { number, digest, keyId: kid }, at: signedAt },
        };
      });
      return doc;
    } catch (error) {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'FORBIDDEN') {
        await recordAudit(this.prisma, this.subjects, 'documents', {
          action: 'document.sign',
          outcome: 'DENIED',
          actorId: me.id,
          actorName: me.username,
          actorAgencyCode: me.agencyCode,
          target: `document:${id}`,
          sourceAddress: null,
          detail: { reason: (error as Error).message },
        });
        this.eventsWritten();
      }
      throw error;
    }
  }

  send(principal: Principal | null, actor: Actor | null, id: string): Promise<Document> {
    const me = this.requireActor(principal, actor);
    return this.move(me, id, 'SEND', async (tx, current) => {
      const sentAt = this.now();
      const recipients = await tx.recipient.findMany({ where: { documentId: id } });
      await writeOutboxEvent(
        tx,
        createEvent(this.subjects, DocumentSent, {
          id,
          agencyCode: current.agencyCode,
          number: current.number as string,
          securityClass: current.securityClass,
          recipients: recipients.map((r) => ({ kind: r.kind, agencyCode: r.agencyCode, unitCode: r.unitCode, nip: r.nip })),
          sentAt: sentAt.toISOString(),
        }),
      );
      return { data: { sentAt }, audit: { action: 'sent', detail: { recipients: recipients.length }, at: sentAt } };
    });
  }

  archiveDocument(principal: Principal | null, actor: Actor | null, id: string): Promise<Document> {
    const me = this.requireActor(principal, actor);
    return this.move(me, id, 'ARCHIVE', async (tx, current) => {
      const archivedAt = this.now();
      const rule = await tx.classificationCode.findUniqueOrThrow({ where: { code: current.classificationCode } });
      const dates = retentionDates(current.signedAt ?? archivedAt, rule);
      await writeOutboxEvent(
        tx,
        createEvent(this.subjects, DocumentArchived, {
          id,
          agencyCode: current.agencyCode,
          number: current.number as string,
          classificationCode: current.classificationCode,
          archivedAt: archivedAt.toISOString(),
          retentionEndsAt: dates.retentionEndsAt.toISOString(),
          finalDisposition: rule.finalDisposition,
        }),
      );
      return {
        data: { archivedAt, ...dates, finalDisposition: rule.finalDisposition },
        audit: {
          action: 'archived',
          detail: { retentionEndsAt: dates.retentionEndsAt.toISOString(), finalDisposition: rule.finalDisposition },
          at: archivedAt,
        },
      };
    });
  }

  /**
   * Checks a signed document as it is stored now: recomputes the digest of its
   * canonical form and checks the Ed25519 signature. Needs no login, as a printed
   * letter's QR code leads here; it reveals only the facts printed on the letter
   * (number, signer, date, agency), never its subject or body, and answers the same
   * for an unsigned or unknown id, so drafts cannot be discovered.
   */
  async verify(id: string): Promise<Verification> {
    const unsigned: Verification = {
      id,
      valid: false,
      status: 'NOT_SIGNED',
      reason: 'No signed document has this id',
      number: null,
      signedAt: null,
      signerUsername: null,
      signerName: null,
      agencyCode: null,
      keyId: null,
      digest: null,
    };
    if (!isUuid(id)) return unsigned;
    const doc = await this.prisma.document.findUnique({ where: { id }, include: { recipients: true, attachments: true } });
    if (!doc || !doc.signedAt || !doc.number || !doc.digest || !doc.signature || !doc.signingKeyId) return unsigned;
    const facts = {
      id,
      number: doc.number,
      signedAt: doc.signedAt,
      signerUsername: doc.signerUsername,
      signerName: doc.signerName,
      agencyCode: doc.agencyCode,
      keyId: doc.signingKeyId,
      digest: doc.digest,
    };
    const digest = documentDigest({ ...doc, number: doc.number, signedAt: doc.signedAt });
    if (digest !== doc.digest) {
      return {
        ...facts,
        valid: false,
        status: 'ALTERED',
        reason: 'The document was changed after it was signed: its content no longer matches the signed digest',
      };
    }
    if (!(await this.keys.verifyDigest(doc.signingKeyId, doc.digest, doc.signature))) {
      return { ...facts, valid: false, status: 'ALTERED', reason: 'The signature does not match the document (signature or digest altered, or unknown key)' };
    }
    return { ...facts, valid: true, status: 'VALID', reason: 'The signature is valid and the document is unchanged since it was signed' };
  }

  /** A new document-signing key (NATIONAL_ADMIN), recorded in the central audit log. */
  async rotateSigningKey(principal: Principal | null): Promise<PublicSigningKey> {
    const p = requireRole(principal, 'NATIONAL_ADMIN');
    const key = await this.keys.rotate();
    await recordAudit(this.prisma, this.subjects, 'documents', {
      action: 'document.signing-key.rotate',
      outcome: 'SUCCESS',
      actorId: p.id,
      actorName: p.username,
      actorAgencyCode: p.agencyCode,
      target: `signing-key:${key.kid}`,
      sourceAddress: null,
    });
    this.eventsWritten();
    return key;
  }

  /** The allowed moves of `doc` for the caller (no database access). */
  allowedActions(actor: Actor | null, doc: Document): DocumentAction[] {
    return actor ? allowedActions(doc, actor) : [];
  }

  /**
   * One workflow move: lock, check visibility (NOT_FOUND for what the caller may not
   * see), ask the workflow (FORBIDDEN / CONFLICT), apply, record in the trail.
   */
  private async move(
    actor: Actor,
    id: string,
    action: DocumentAction,
    apply: (
      tx: Transaction,
      current: Document,
    ) => Promise<{ data: Record<string, unknown>; audit: { action: string; detail?: Record<string, unknown>; at?: Date } }>,
  ): Promise<Document> {
    if (!isUuid(id)) throw notFound(`No document has the id "${id}"`);
    let moved = false;
    const doc = await this.store.transaction(async (tx) => {
      if (!(await lockDocument(tx, id)) || !(await this.store.isVisible(tx, id, actor))) throw notFound(`No document has the id "${id}"`);
      const current = await tx.document.findUniqueOrThrow({ where: { id } });
      const decision = decide(current, actor, action);
      if (!decision.ok) throw decision.code === 'FORBIDDEN' ? forbidden(decision.reason) : conflict(decision.reason);
      const { data, audit } = await apply(tx, current);
      await tx.document.update({ where: { id }, data: { ...data, status: decision.status, reviewIndex: decision.reviewIndex } });
      await appendAuditEntry(tx, id, { at: this.now(), ...audit, actor: actor.username });
      if (decision.status !== current.status) {
        await writeOutboxEvent(
          tx,
          createEvent(this.subjects, DocumentMoved, {
            id,
            agencyCode: current.agencyCode,
            from: current.status,
            to: decision.status,
            movedAt: this.now().toISOString(),
          }),
        );
        moved = true;
      }
      return tx.document.findUniqueOrThrow({ where: { id } });
    });
    if (moved) this.eventsWritten();
    return doc;
  }

  private requireActor(principal: Principal | null, actor: Actor | null): Actor {
    requirePrincipal(principal);
    if (!actor) throw forbidden();
    return actor;
  }

  private async validateFields(actor: Actor, input: CreateDocumentInput) {
    const type = oneOf(input.type, DOCUMENT_TYPES, 'type');
    const subject = text(input.subject, 'subject', 1, 500);
    const body = text(input.body ?? '', 'body', 0, 200_000);
    const securityClass = oneOf(input.securityClass, SECURITY_CLASSES, 'securityClass') as SecurityClass;
    const urgency = oneOf(input.urgency ?? 'BIASA', URGENCIES, 'urgency') as Urgency;
    const classification = await this.archive.requireCode(input.classificationCode);
    const signer = await this.requireColleague(actor, input.signerNip, 'signerNip');
    const reviewerNips = input.reviewerNips ?? [];
    if (reviewerNips.length > MAX_REVIEWERS) throw badUserInput(`reviewerNips: at most ${MAX_REVIEWERS}`, { field: 'reviewerNips' });
    if (new Set(reviewerNips).size !== reviewerNips.length) throw badUserInput('reviewerNips: a reviewer is named twice', { field: 'reviewerNips' });
    if (reviewerNips.includes(signer.nip)) throw badUserInput('reviewerNips: the signer cannot also be a reviewer', { field: 'reviewerNips' });
    for (const nip of reviewerNips) await this.requireColleague(actor, nip, 'reviewerNips');
    return {
      type,
      subject,
      body,
      securityClass,
      urgency,
      classificationCode: classification.code,
      signerUsername: signer.nip,
      signerName: signer.name,
      reviewers: reviewerNips,
    };
  }

  /** Reviewers and the signer are active employees of the author's agency. */
  private async requireColleague(actor: Actor, nip: string, field: string) {
    if (!NIP_PATTERN.test(nip)) throw badUserInput(`${field}: "${nip}" is not a NIP (18 digits)`, { field });
    const employee = await this.employees.find(nip);
    if (!employee || !employee.active) throw badUserInput(`${field}: no active employee has the NIP ${nip}`, { field });
    if (employee.agencyCode !== actor.agencyCode) throw badUserInput(`${field}: ${nip} does not work at ${actor.agencyCode}`, { field });
    return employee;
  }

  private async validateRecipients(inputs: readonly RecipientInput[]): Promise<NewRecipient[]> {
    if (inputs.length === 0) throw badUserInput('recipients: name at least one recipient', { field: 'recipients' });
    if (inputs.length > MAX_RECIPIENTS) throw badUserInput(`recipients: at most ${MAX_RECIPIENTS}`, { field: 'recipients' });
    const nips = inputs.filter((r) => r.kind === 'EMPLOYEE').map((r) => r.nip ?? '');
    const known = new Map((await this.employees.findMany(nips)).map((e) => [e.nip, e]));
    const agencies = await this.agencies.known(inputs.flatMap((r) => (r.agencyCode ? [r.agencyCode] : [])));
    const seen = new Set<string>();
    return inputs.map((input, i) => {
      const field = `recipients[${i}]`;
      let recipient: NewRecipient;
      if (input.kind === 'EMPLOYEE') {
        const employee = input.nip ? known.get(input.nip) : undefined;
        if (!employee || !employee.active)
          throw badUserInput(`${field}.nip: no active employee has the NIP ${input.nip ?? '(none)'}`, { field: `${field}.nip` });
        recipient = { kind: 'EMPLOYEE', agencyCode: employee.agencyCode, unitCode: null, nip: employee.nip };
      } else if (input.kind === 'UNIT') {
        if (!input.unitCode) throw badUserInput(`${field}.unitCode: a unit recipient needs its unit code`, { field: `${field}.unitCode` });
        recipient = {
          kind: 'UNIT',
          agencyCode: agencyCodeOf(input.agencyCode, `${field}.agencyCode`),
          unitCode: unitCodeOf(input.unitCode, `${field}.unitCode`),
          nip: null,
        };
      } else if (input.kind === 'AGENCY') {
        recipient = { kind: 'AGENCY', agencyCode: agencyCodeOf(input.agencyCode, `${field}.agencyCode`), unitCode: null, nip: null };
      } else {
        throw badUserInput(`${field}.kind: EMPLOYEE, UNIT or AGENCY`, { field: `${field}.kind` });
      }
      if (recipient.kind !== 'EMPLOYEE' && !agencies.has(recipient.agencyCode)) {
        throw badUserInput(`${field}.agencyCode: no agency has the code "${recipient.agencyCode}"`, { field: `${field}.agencyCode` });
      }
      const key = `${recipient.kind}:${recipient.agencyCode}:${recipient.unitCode}:${recipient.nip}`;
      if (seen.has(key)) throw badUserInput(`${field}: this recipient is named twice`, { field });
      seen.add(key);
      return recipient;
    });
  }
}

export function cursorOf(doc: Document): string {
  return encodeCursor('document', `${doc.createdAt.toISOString()}|${doc.id}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw badUserInput(`${field}: one of ${allowed.join(', ')}`, { field });
  return value as T;
}

function text(value: string, field: string, min: number, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) {
    throw badUserInput(min > 0 ? `${field}: ${min}-${max} characters` : `${field}: at most ${max} characters`, { field });
  }
  return trimmed;
}

function optionalComment(comment: string | null | undefined): string | null {
  if (comment === null || comment === undefined || comment.trim() === '') return null;
  return text(comment, 'comment', 1, 2_000);
}

function agencyCodeOf(value: string | null | undefined, field: string): string {
  if (!value || !AgencyCodeSchema.safeParse(value).success) throw badUserInput(`${field}: an agency code`, { field });
  return value;
}

function unitCodeOf(value: string, field: string): string {
  if (!UNIT_CODE_PATTERN.test(value)) throw badUserInput(`${field}: a unit code (1-24 of A-Z a-z 0-9 . -)`, { field });
  return value;
}
