import type { DocumentAuditEntry, PrismaClient, Transaction } from '../db.ts';
import { entryHash, GENESIS_HASH } from './audit-chain.ts';

/**
 * Appends to a document's hash-chained trail. Call it inside the transaction that
 * changed the document and after `lockDocument`, so entries are written one at a
 * time in order and exist exactly when the change does.
 */
export async function appendAuditEntry(
  tx: Transaction,
  documentId: string,
  entry: { action: string; actor: string; detail?: Record<string, unknown>; at?: Date },
): Promise<void> {
  const doc = await tx.document.findUniqueOrThrow({ where: { id: documentId }, select: { auditHead: true, auditCount: true } });
  const seq = doc.auditCount + 1;
  const previousHash = doc.auditCount === 0 ? GENESIS_HASH : doc.auditHead;
  const at = entry.at ?? new Date();
  const detail = entry.detail ?? {};
  const hash = entryHash(documentId, { seq, action: entry.action, actor: entry.actor, detail, at, previousHash });
  await tx.documentAuditEntry.create({ data: { documentId, seq, action: entry.action, actor: entry.actor, detail: detail as object, at, previousHash, hash } });
  await tx.document.update({ where: { id: documentId }, data: { auditHead: hash, auditCount: seq } });
}

/** Takes the document's row lock for the rest of the transaction (every change to a document starts here). */
export async function lockDocument(tx: Transaction, documentId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM "Document" WHERE id = ${documentId}::uuid FOR UPDATE`;
  return rows.length === 1;
}

export class AuditStore {
  constructor(private readonly prisma: PrismaClient) {}

  entries(documentId: string): Promise<DocumentAuditEntry[]> {
    return this.prisma.documentAuditEntry.findMany({ where: { documentId }, orderBy: { seq: 'asc' } });
  }
}
