import { badUserInput, conflict, forbidden, notFound, requirePrincipal, type Logger, type Principal } from '@simpul/kit';
import type { AttachmentDownload, StagedUpload } from '@simpul/contracts';
import type { Attachment, Document } from '../db.ts';
import type { Actor } from '../employees/actor.ts';
import { appendAuditEntry, lockDocument } from '../audit/audit-store.ts';
import type { DocumentStore } from '../documents/document-store.ts';
import { isUuid } from '../documents/document-manager.ts';
import { decide } from '../workflow/workflow.ts';
import { readHashed, type AttachmentBuckets } from './attachment-objects.ts';

export interface AttachmentPolicy {
  maxBytes: number;
  contentTypes: readonly string[];
}

/**
 * Attachments of a draft. The gateway staged the upload in the object store; here it
 * is checked (who uploaded it, size, content type, the SHA-256 the client declared),
 * copied into documents' bucket under the attachment's id, and recorded. Whatever is
 * refused or fails half-way is deleted again, staged bytes included: nothing is left
 * half-stored.
 */
export class AttachmentManager {
  constructor(
    private readonly documents: DocumentStore,
    private readonly buckets: AttachmentBuckets | null,
    private readonly policy: AttachmentPolicy,
    private readonly logger: Logger,
  ) {}

  async add(principal: Principal | null, actor: Actor | null, documentId: string, file: StagedUpload, sha256: string): Promise<Attachment> {
    requirePrincipal(principal);
    if (!actor) throw forbidden();
    const buckets = this.requireBuckets();
    // Only the uploader's own staged file is used, and only then deleted afterwards: a
    // reference to someone else's upload must not let anyone remove it.
    const info = await buckets.staged.info(file.upload);
    if (!info || info.deleted) throw badUserInput('file: the upload has expired or was already used; upload it again', { field: 'file' });
    if (file.uploadedBy !== actor.username || info.metadata?.uploadedBy !== actor.username) throw forbidden('file: this upload belongs to someone else');
    try {
      const declared = sha256.trim().toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(declared)) throw badUserInput('sha256: 64 hexadecimal digits', { field: 'sha256' });
      const contentType = file.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!this.policy.contentTypes.includes(contentType)) {
        throw badUserInput(`file: content type "${contentType}" is not accepted; use one of ${this.policy.contentTypes.join(', ')}`, { field: 'file' });
      }
      // The stored size counts, not the size the request claimed.
      if (Math.max(file.size, info.size) > this.policy.maxBytes) throw badUserInput(`file: larger than ${this.policy.maxBytes} bytes`, { field: 'file' });
      await this.checkDraft(actor, documentId);
      const read = await readHashed(buckets.staged, file.upload);
      if (!read) throw badUserInput('file: the upload has expired; upload it again', { field: 'file' });
      if (read.sha256 !== declared) {
        throw badUserInput(`sha256: the file's SHA-256 is ${read.sha256}, not ${declared}; it was damaged on the way or the wrong file was sent`, {
          field: 'sha256',
        });
      }
      return await this.store(actor, documentId, file, contentType, read.bytes, read.sha256);
    } finally {
      await buckets.staged.delete(file.upload).catch((error: unknown) => this.logger.warn({ err: error, upload: file.upload }, 'staged upload not deleted'));
    }
  }

  /**
   * Where the gateway finds an attachment's bytes, for a caller who may read its
   * document; NOT_FOUND otherwise (a secret letter's attachment does not reveal itself).
   */
  async download(principal: Principal | null, actor: Actor | null, id: string): Promise<AttachmentDownload> {
    requirePrincipal(principal);
    const missing = notFound(`No attachment has the id "${id}"`);
    if (!actor || !isUuid(id)) throw missing;
    const found = await this.documents.transaction((tx) => tx.attachment.findUnique({ where: { id } }));
    if (!found || !(await this.documents.findVisible(found.documentId, actor))) throw missing;
    return { objectName: found.objectName, filename: found.filename, contentType: found.contentType, size: found.size, sha256: found.sha256 };
  }

  async remove(principal: Principal | null, actor: Actor | null, id: string): Promise<Document> {
    requirePrincipal(principal);
    const buckets = this.requireBuckets();
    if (!actor || !isUuid(id)) throw notFound(`No attachment has the id "${id}"`);
    const found = await this.documents.transaction((tx) => tx.attachment.findUnique({ where: { id } }));
    if (!found) throw notFound(`No attachment has the id "${id}"`);
    const doc = await this.documents.transaction(async (tx) => {
      await this.lockDraft(tx, actor, found.documentId);
      await tx.attachment.delete({ where: { id } });
      await appendAuditEntry(tx, found.documentId, {
        action: 'attachment-removed',
        actor: actor.username,
        detail: { filename: found.filename, sha256: found.sha256 },
      });
      return tx.document.findUniqueOrThrow({ where: { id: found.documentId } });
    });
    await buckets.attachments
      .delete(found.objectName)
      .catch((error: unknown) => this.logger.warn({ err: error, object: found.objectName }, 'attachment bytes not deleted'));
    return doc;
  }

  private async store(actor: Actor, documentId: string, file: StagedUpload, contentType: string, bytes: Uint8Array, sha256: string): Promise<Attachment> {
    const buckets = this.requireBuckets();
    const objectName = crypto.randomUUID();
    await buckets.attachments.putBlob({ name: objectName, metadata: { documentId, sha256 } }, bytes);
    try {
      return await this.documents.transaction(async (tx) => {
        await this.lockDraft(tx, actor, documentId);
        const row = await tx.attachment.create({
          data: { documentId, filename: file.filename, contentType, size: bytes.length, sha256, objectName, uploadedBy: actor.username },
        });
        await appendAuditEntry(tx, documentId, {
          action: 'attachment-added',
          actor: actor.username,
          detail: { filename: file.filename, sha256, size: bytes.length },
        });
        return row;
      });
    } catch (error) {
      await buckets.attachments.delete(objectName).catch(() => undefined);
      throw error;
    }
  }

  private async checkDraft(actor: Actor, documentId: string): Promise<void> {
    await this.documents.transaction((tx) => this.lockDraft(tx, actor, documentId));
  }

  /** Attachments change only while the author may edit (they are part of what gets signed). */
  private async lockDraft(tx: Parameters<Parameters<DocumentStore['transaction']>[0]>[0], actor: Actor, documentId: string): Promise<void> {
    if (!isUuid(documentId) || !(await lockDocument(tx, documentId)) || !(await this.documents.isVisible(tx, documentId, actor))) {
      throw notFound(`No document has the id "${documentId}"`);
    }
    const doc = await tx.document.findUniqueOrThrow({ where: { id: documentId } });
    const decision = decide(doc, actor, 'EDIT');
    if (!decision.ok) throw decision.code === 'FORBIDDEN' ? forbidden(decision.reason) : conflict(decision.reason);
  }

  private requireBuckets(): AttachmentBuckets {
    if (!this.buckets) throw new Error('attachment buckets not open');
    return this.buckets;
  }
}
