import type { DocumentAuditEntry } from '../db.ts';
import type { Actor } from '../employees/actor.ts';
import type { DocumentStore } from '../documents/document-store.ts';
import { isUuid } from '../documents/document-manager.ts';
import { checkChain } from './audit-chain.ts';
import type { AuditStore } from './audit-store.ts';

export interface AuditTrail {
  documentId: string;
  intact: boolean;
  brokenAtSeq: number | null;
  problem: string | null;
  entries: DocumentAuditEntry[];
}

/**
 * Reads a document's trail and checks its hash chain: for the people on the document
 * and its owning agency (not for every reader of an ordinary letter).
 */
export class AuditManager {
  constructor(
    private readonly documents: DocumentStore,
    private readonly store: AuditStore,
  ) {}

  async trail(actor: Actor | null, documentId: string): Promise<AuditTrail | null> {
    if (!actor || !isUuid(documentId)) return null;
    const doc = await this.documents.findVisible(documentId, actor, { insideOnly: true });
    if (!doc) return null;
    const entries = await this.store.entries(documentId);
    const check = checkChain(documentId, entries, { hash: doc.auditHead, count: doc.auditCount });
    return {
      documentId,
      intact: check.intact,
      brokenAtSeq: check.intact ? null : check.brokenAtSeq,
      problem: check.intact ? null : check.problem,
      entries,
    };
  }
}
