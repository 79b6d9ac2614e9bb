import type { StagedUpload } from '@simpul/contracts';
import type { CreateDocumentInput, UpdateDocumentInput } from '../../documents/document-manager.ts';
import type { DispositionInput } from '../../dispositions/disposition-manager.ts';
import type { Resolver } from './types.ts';

type Args<T> = Resolver<unknown, T>;
type Id = { id: string };

export const Mutation = {
  createDocument: (async (_, { input }, c) => c.documents.create(c.principal, await c.actor(), input)) satisfies Args<{ input: CreateDocumentInput }>,
  updateDocument: (async (_, { id, input }, c) => c.documents.update(c.principal, await c.actor(), id, input)) satisfies Args<{
    id: string;
    input: UpdateDocumentInput;
  }>,
  submitDocument: (async (_, { id }, c) => c.documents.submit(c.principal, await c.actor(), id)) satisfies Args<Id>,
  initialDocument: (async (_, { id, comment }, c) => c.documents.initial(c.principal, await c.actor(), id, comment)) satisfies Args<
    Id & { comment?: string | null }
  >,
  returnDocument: (async (_, { id, comment }, c) => c.documents.sendBack(c.principal, await c.actor(), id, comment)) satisfies Args<Id & { comment: string }>,
  signDocument: (async (_, { id }, c) => c.documents.sign(c.principal, await c.actor(), id)) satisfies Args<Id>,
  sendDocument: (async (_, { id }, c) => c.documents.send(c.principal, await c.actor(), id)) satisfies Args<Id>,
  archiveDocument: (async (_, { id }, c) => c.documents.archiveDocument(c.principal, await c.actor(), id)) satisfies Args<Id>,
  addDocumentAttachment: (async (_, { documentId, file, sha256 }, c) =>
    c.attachments.add(c.principal, await c.actor(), documentId, file, sha256)) satisfies Args<{ documentId: string; file: StagedUpload; sha256: string }>,
  removeDocumentAttachment: (async (_, { id }, c) => c.attachments.remove(c.principal, await c.actor(), id)) satisfies Args<Id>,
  markDocumentReceived: (async (_, { id, done }, c) => c.dispositions.markReceived(c.principal, await c.actor(), id, done ?? false)) satisfies Args<
    Id & { done?: boolean | null }
  >,
  dispositionDocument: (async (_, { documentId, input }, c) => c.dispositions.disposition(c.principal, await c.actor(), documentId, input)) satisfies Args<{
    documentId: string;
    input: DispositionInput;
  }>,
  readDisposition: (async (_, { id }, c) => c.dispositions.read(c.principal, await c.actor(), id)) satisfies Args<Id>,
  completeDisposition: (async (_, { id, note }, c) => c.dispositions.complete(c.principal, await c.actor(), id, note)) satisfies Args<
    Id & { note?: string | null }
  >,
  withdrawDisposition: (async (_, { id }, c) => c.dispositions.withdraw(c.principal, await c.actor(), id)) satisfies Args<Id>,
  rotateDocumentSigningKey: (async (_, __, c) => {
    const key = await c.documents.rotateSigningKey(c.principal);
    return { ...key, createdAt: key.createdAt.toISOString(), retiredAt: null };
  }) satisfies Args<Record<string, never>>,
  setDocumentNumberFormat: ((_, { agencyCode, format }, c) => c.numbering.setFormat(c.principal, agencyCode, format)) satisfies Args<{
    agencyCode: string;
    format: string;
  }>,
};
