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
