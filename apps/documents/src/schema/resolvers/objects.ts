import type { Attachment, Disposition as DispositionRow, Document as DocumentRow, DocumentAuditEntry as AuditRow, Recipient, ReviewStep } from '../../db.ts';
import type { InboxItem as InboxRow } from '../../dispositions/disposition-manager.ts';
import type { Verification } from '../../documents/document-manager.ts';
import { retentionPhase } from '../../archive/retention.ts';
import { seesDisposition } from '../../visibility/visibility.ts';
import { day, iso, type Resolver } from './types.ts';
import { ATTACHMENT_DOWNLOAD_PATH } from '@simpul/contracts';

const employee = (nip: string | null) => (nip ? { nip } : null);

export const Document = {
  classification: ((doc, _, { loaders }) => loaders.classification(doc.classificationCode)) satisfies Resolver<DocumentRow>,
  agency: ((doc) => ({ code: doc.agencyCode })) satisfies Resolver<DocumentRow>,
  // An officer account's username is not a NIP: no Employee to join.
  author: ((doc) => (/^\d{18}$/.test(doc.authorUsername) ? employee(doc.authorUsername) : null)) satisfies Resolver<DocumentRow>,
  reviewers: ((doc) =>
    doc.reviewers.map((nip, i) => ({
      order: i + 1,
      nip,
      employee: { nip },
      initialled:
        doc.status === 'READY_TO_SIGN' ||
        doc.status === 'SIGNED' ||
        doc.status === 'SENT' ||
        doc.status === 'ARCHIVED' ||
        (doc.status === 'IN_REVIEW' && i < doc.reviewIndex),
    }))) satisfies Resolver<DocumentRow>,
  reviewHistory: (async (doc, _, { loaders }) =>
    (await loaders.reviewSteps(doc.id)).map((s: ReviewStep) => ({
      nip: s.username,
      action: s.action,
      comment: s.comment,
      at: iso(s.at),
    }))) satisfies Resolver<DocumentRow>,
  signer: ((doc) => ({ nip: doc.signerUsername })) satisfies Resolver<DocumentRow>,
  signerNip: ((doc) => doc.signerUsername) satisfies Resolver<DocumentRow>,
  signedAt: ((doc) => iso(doc.signedAt)) satisfies Resolver<DocumentRow>,
  sentAt: ((doc) => iso(doc.sentAt)) satisfies Resolver<DocumentRow>,
  archivedAt: ((doc) => iso(doc.archivedAt)) satisfies Resolver<DocumentRow>,
  recipients: ((doc, _, { loaders }) => loaders.recipients(doc.id)) satisfies Resolver<DocumentRow>,
  attachments: ((doc, _, { loaders }) => loaders.attachments(doc.id)) satisfies Resolver<DocumentRow>,
  dispositions: (async (doc, _, { loaders, actor }) => {
    const viewer = await actor();
    return viewer ? (await loaders.dispositions(doc.id)).filter((d) => seesDisposition(viewer, d)) : [];
  }) satisfies Resolver<DocumentRow>,
  retention: ((doc) =>
    doc.activeUntil && doc.retentionEndsAt && doc.finalDisposition
      ? {
          activeUntil: iso(doc.activeUntil),
          retentionEndsAt: iso(doc.retentionEndsAt),
          finalDisposition: doc.finalDisposition,
          phase: retentionPhase({ activeUntil: doc.activeUntil, retentionEndsAt: doc.retentionEndsAt, finalDisposition: doc.finalDisposition }, new Date()),
        }
      : null) satisfies Resolver<DocumentRow>,
  allowedActions: (async (doc, _, { documents, actor }) => documents.allowedActions(await actor(), doc)) satisfies Resolver<DocumentRow>,
  createdAt: ((doc) => iso(doc.createdAt)) satisfies Resolver<DocumentRow>,
  updatedAt: ((doc) => iso(doc.updatedAt)) satisfies Resolver<DocumentRow>,
};

export const DocumentRecipient = {
  agency: ((r) => ({ code: r.agencyCode })) satisfies Resolver<Recipient>,
  employee: ((r) => employee(r.nip)) satisfies Resolver<Recipient>,
  readAt: ((r) => iso(r.readAt)) satisfies Resolver<Recipient>,
};

export const DocumentAttachment = {
  createdAt: ((a) => iso(a.createdAt)) satisfies Resolver<Attachment>,
  downloadPath: ((a) => `${ATTACHMENT_DOWNLOAD_PATH}${a.id}`) satisfies Resolver<Attachment>,
};

export const Disposition = {
  to: ((d) => ({ nip: d.toNip })) satisfies Resolver<DispositionRow>,
  dueDate: ((d) => day(d.dueDate)) satisfies Resolver<DispositionRow>,
  readAt: ((d) => iso(d.readAt)) satisfies Resolver<DispositionRow>,
  closedAt: ((d) => iso(d.closedAt)) satisfies Resolver<DispositionRow>,
  createdAt: ((d) => iso(d.createdAt)) satisfies Resolver<DispositionRow>,
};

export const InboxItem = {
  // The inbox only lists what the caller received, so the document is visible to them; the loader checks anyway.
  document: ((item, _, { loaders }) => loaders.visibleDocument(item.documentId)) satisfies Resolver<InboxRow>,
  receivedAt: ((item) => iso(item.receivedAt)) satisfies Resolver<InboxRow>,
  dueDate: ((item) => day(item.dueDate)) satisfies Resolver<InboxRow>,
};

export const DocumentVerification = {
  signerNip: ((v) => v.signerUsername) satisfies Resolver<Verification>,
  signedAt: ((v) => iso(v.signedAt)) satisfies Resolver<Verification>,
  agency: ((v) => (v.agencyCode ? { code: v.agencyCode } : null)) satisfies Resolver<Verification>,
};

export const DocumentAuditEntry = {
  detail: ((e) => JSON.stringify(e.detail)) satisfies Resolver<AuditRow>,
  at: ((e) => iso(e.at)) satisfies Resolver<AuditRow>,
};

export const Employee = {
  documents: (async (employee, args, { documents, principal, actor }) =>
    documents.list(principal, await actor(), { first: args.first ?? null, after: args.after ?? null, filter: { authorNip: employee.nip } })) satisfies Resolver<
    { nip: string },
    { first?: number | null; after?: string | null }
  >,
};
