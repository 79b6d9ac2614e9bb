import { batchLoader, groupBy, type Loader, type Principal } from '@simpul/kit';
import type { Attachment, ClassificationCode, Disposition, Document, Recipient, ReviewStep } from '../db.ts';
import type { DocumentsManagers, DocumentsStores } from '../documents.ts';
import { resolveActor, type Actor } from '../employees/actor.ts';
import type { DocumentSigningKeys } from '../signing/signing-keys.ts';

/** What every resolver gets: the verified caller, who they are to documents, the managers, and this request's loaders. */
export interface DocumentsContext extends DocumentsManagers {
  principal: Principal | null;
  /** The caller's agency and unit (from the employee read model); null when not logged in. */
  actor: () => Promise<Actor | null>;
  keys: DocumentSigningKeys;
  loaders: DocumentsLoaders;
}

export interface DocumentsLoaders {
  recipients: Loader<string, Recipient[]>;
  attachments: Loader<string, Attachment[]>;
  reviewSteps: Loader<string, ReviewStep[]>;
  dispositions: Loader<string, Disposition[]>;
  classification: Loader<string, ClassificationCode | null>;
  /** Documents by id, as the caller may see them (null otherwise). */
  visibleDocument: Loader<string, Document | null>;
}

export function createLoaders(stores: DocumentsStores, managers: DocumentsManagers, actor: () => Promise<Actor | null>): DocumentsLoaders {
  return {
    recipients: batchLoader(async (ids) => groupBy(await stores.documents.recipientsOf(ids), (r) => r.documentId), []),
    attachments: batchLoader(async (ids) => groupBy(await stores.documents.attachmentsOf(ids), (a) => a.documentId), []),
    reviewSteps: batchLoader(async (ids) => groupBy(await stores.documents.reviewStepsOf(ids), (s) => s.documentId), []),
    dispositions: batchLoader(async (ids) => groupBy(await stores.documents.dispositionsOf(ids), (d) => d.documentId), []),
    classification: batchLoader(async (codes) => new Map((await managers.archive.findCodes(codes)).map((c) => [c.code, c])), null),
    visibleDocument: batchLoader(async (ids) => new Map((await stores.documents.findManyVisible(ids, await actor())).map((d) => [d.id, d])), null),
  };
}

export function createContextFactory(managers: DocumentsManagers, stores: DocumentsStores, keys: DocumentSigningKeys) {
  return (principal: Principal | null): DocumentsContext => {
    let actor: Promise<Actor | null> | undefined;
    const getActor = () => (actor ??= principal ? resolveActor(principal, stores.employees) : Promise.resolve(null));
    return { ...managers, principal, actor: getActor, keys, loaders: createLoaders(stores, managers, getActor) };
  };
}
