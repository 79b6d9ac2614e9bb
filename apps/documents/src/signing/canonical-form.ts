import { canonicalJson, sha256Hex } from '../support/canonical-json.ts';

/**
 * What a signature covers: every field a reader relies on, the hashes of the
 * attachments (not their bytes), the number, the signer and the time. Lists are
 * sorted so that storage order cannot change the digest. `v` names this layout, so
 * a later layout can be verified alongside old signatures.
 */
export interface SignableDocument {
  id: string;
  type: string;
  subject: string;
  body: string;
  classificationCode: string;
  securityClass: string;
  urgency: string;
  agencyCode: string;
  unitCode: string | null;
  authorUsername: string;
  reviewers: readonly string[];
  signerUsername: string;
  number: string;
  signedAt: Date;
  recipients: readonly { kind: string; agencyCode: string; unitCode: string | null; nip: string | null }[];
  attachments: readonly { filename: string; contentType: string; size: number; sha256: string }[];
}

export const CANONICAL_FORM_VERSION = 1;

export function canonicalForm(doc: SignableDocument): string {
  return canonicalJson({
    v: CANONICAL_FORM_VERSION,
    id: doc.id,
    type: doc.type,
    subject: doc.subject,
    body: doc.body,
    classificationCode: doc.classificationCode,
    securityClass: doc.securityClass,
    urgency: doc.urgency,
    agencyCode: doc.agencyCode,
    unitCode: doc.unitCode,
    authorUsername: doc.authorUsername,
    reviewers: [...doc.reviewers],
    signerUsername: doc.signerUsername,
    number: doc.number,
    signedAt: doc.signedAt.toISOString(),
    recipients: doc.recipients.map((r) => `${r.kind}:${r.agencyCode}:${r.unitCode ?? ''}:${r.nip ?? ''}`).sort(),
    attachments: doc.attachments
      .map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256 }))
      .sort((a, b) => (a.sha256 + a.filename < b.sha256 + b.filename ? -1 : 1)),
  });
}

/** SHA-256 (hex) of the canonical form: what the Ed25519 key signs. */
export function documentDigest(doc: SignableDocument): string {
  return sha256Hex(canonicalForm(doc));
}
