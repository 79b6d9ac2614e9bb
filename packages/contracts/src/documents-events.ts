import { z } from 'zod';
import { AgencyCode, UnitCode } from './agency.ts';
import { defineEvent } from './events.ts';

// Events the documents service publishes. The documents issue (4) owns this file.

/** Security classes (sifat naskah): Rahasia and above are seen only by those named on the letter. */
export const SECURITY_CLASSES = ['BIASA', 'TERBATAS', 'RAHASIA', 'SANGAT_RAHASIA'] as const;
export type SecurityClass = (typeof SECURITY_CLASSES)[number];

/** Who a document is addressed to. */
const DocumentRecipient = z.object({
  kind: z.enum(['EMPLOYEE', 'UNIT', 'AGENCY']),
  agencyCode: AgencyCode,
  unitCode: UnitCode.nullable(),
  nip: z.string().nullable(),
});

/**
 * documents: a document was signed and got its number. Carries no subject or body:
 * events are read by every service, and a secret letter's content stays in documents.
 */
export const DocumentSigned = defineEvent({
  service: 'documents',
  entity: 'document',
  verb: 'signed',
  version: 1,
  data: z.object({
    id: z.uuid(),
    agencyCode: AgencyCode,
    number: z.string().min(1),
    securityClass: z.enum(SECURITY_CLASSES),
    signerUsername: z.string().min(1),
    signedAt: z.iso.datetime(),
    /** SHA-256 (hex) of the canonical form that was signed. */
    digest: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  aggregate: (document) => document.id,
});

/** documents: a signed document was sent; it is now in its recipients' inboxes. */
export const DocumentSent = defineEvent({
  service: 'documents',
  entity: 'document',
  verb: 'sent',
  version: 1,
  data: z.object({
    id: z.uuid(),
    agencyCode: AgencyCode,
    number: z.string().min(1),
    securityClass: z.enum(SECURITY_CLASSES),
    recipients: z.array(DocumentRecipient),
    sentAt: z.iso.datetime(),
  }),
  aggregate: (document) => document.id,
});

/** documents: a sent document went to the archive; its retention period started. */
export const DocumentArchived = defineEvent({
  service: 'documents',
  entity: 'document',
  verb: 'archived',
  version: 1,
  data: z.object({
    id: z.uuid(),
    agencyCode: AgencyCode,
    number: z.string().min(1),
    classificationCode: z.string().min(1),
    archivedAt: z.iso.datetime(),
    retentionEndsAt: z.iso.datetime(),
    finalDisposition: z.enum(['DESTROY', 'PERMANENT']),
  }),
  aggregate: (document) => document.id,
});

/** The statuses of a document's workflow (documents' workflow.ts owns the moves between them). */
export const DOCUMENT_STATUSES = ['DRAFT', 'IN_REVIEW', 'RETURNED', 'READY_TO_SIGN', 'SIGNED', 'SENT', 'ARCHIVED'] as const;

/**
 * documents: a document moved to another status (submitted, initialled, returned,
 * signed, sent, archived). Ids and status only, like every documents event: whoever
 * follows it (the gateway's `documentChanged` subscription) reads the letter itself
 * through documents, which decides whether they may.
 */
export const DocumentMoved = defineEvent({
  service: 'documents',
  entity: 'document',
  verb: 'moved',
  version: 1,
  data: z.object({
    id: z.uuid(),
    agencyCode: AgencyCode,
    from: z.enum(DOCUMENT_STATUSES),
    to: z.enum(DOCUMENT_STATUSES),
    movedAt: z.iso.datetime(),
  }),
});

const DispositionFacts = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  /** The agency whose internal instruction it is. */
  agencyCode: AgencyCode,
  fromUsername: z.string().min(1),
  /** The holder's NIP. */
  toNip: z.string().min(1),
  at: z.iso.datetime(),
});

/** documents: a document was dispositioned to a colleague; it is in the holder's inbox. */
export const DispositionCreated = defineEvent({ service: 'documents', entity: 'disposition', verb: 'created', version: 1, data: DispositionFacts });

/** documents: the sender withdrew a disposition its holder had not read; it left the holder's inbox. */
export const DispositionWithdrawn = defineEvent({ service: 'documents', entity: 'disposition', verb: 'withdrawn', version: 1, data: DispositionFacts });
