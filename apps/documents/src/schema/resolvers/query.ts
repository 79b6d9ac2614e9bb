import { lookupKeys } from '@simpul/kit';
import type { ListDocumentsInput } from '../../documents/document-manager.ts';
import type { RetentionDueInput } from '../../archive/archive-manager.ts';
import { iso, type Resolver } from './types.ts';

export const Query = {
  document: (async (_, { id }, { documents, actor }) => documents.get(await actor(), id)) satisfies Resolver<unknown, { id: string }>,
  documents: (async (_, args, { documents, principal, actor }) => documents.list(principal, await actor(), args)) satisfies Resolver<
    unknown,
    ListDocumentsInput
  >,
  inbox: (async (_, args, { dispositions, principal, actor }) => dispositions.inbox(principal, await actor(), args)) satisfies Resolver<
    unknown,
    { first?: number | null; after?: string | null; documentId?: string | null }
  >,
  verifyDocument: ((_, { id }, { documents }) => documents.verify(id)) satisfies Resolver<unknown, { id: string }>,
  documentAuditTrail: (async (_, { id }, { audit, actor }) => audit.trail(await actor(), id)) satisfies Resolver<unknown, { id: string }>,
  classificationCodes: ((_, __, { archive }) => archive.classificationCodes()) satisfies Resolver,
  retentionDue: (async (_, args, { archive, principal, actor }) => archive.retentionDue(principal, await actor(), args)) satisfies Resolver<
    unknown,
    RetentionDueInput
  >,
  documentSigningKeys: (async (_, __, { keys }) =>
    (await keys.publicKeysList()).map((k) => ({ ...k, createdAt: iso(k.createdAt), retiredAt: iso(k.retiredAt) }))) satisfies Resolver,
  documentNumberFormat: ((_, { agencyCode }, { numbering, principal }) => numbering.format(principal, agencyCode)) satisfies Resolver<
    unknown,
    { agencyCode: string }
  >,
  _documentsEmployees: ((_, { nips }) => lookupKeys(nips, 'nips').map((nip) => ({ nip }))) satisfies Resolver<unknown, { nips: string[] }>,
  _attachmentDownload: (async (_, { id }, { attachments, principal, actor }) => attachments.download(principal, await actor(), id)) satisfies Resolver<
    unknown,
    { id: string }
  >,
};
