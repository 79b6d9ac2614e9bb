import type { Subjects } from '@simpul/contracts';
import type { KeyEncryption, Logger } from '@simpul/kit';
import type { PrismaClient } from './db.ts';
import { ArchiveManager } from './archive/archive-manager.ts';
import { AttachmentManager, type AttachmentPolicy } from './attachments/attachment-manager.ts';
import type { AttachmentBuckets } from './attachments/attachment-objects.ts';
import { AuditManager } from './audit/audit-manager.ts';
import { AuditStore } from './audit/audit-store.ts';
import { DispositionManager } from './dispositions/disposition-manager.ts';
import { DocumentManager } from './documents/document-manager.ts';
import { DocumentStore } from './documents/document-store.ts';
import { EmployeeStore } from './employees/employee-store.ts';
import { KnownAgencyStore } from './agencies/agency-store.ts';
import { NumberingManager } from './numbering/numbering-manager.ts';
import { NumberingStore } from './numbering/numbering-store.ts';
import { DocumentSigningKeys } from './signing/signing-keys.ts';

export interface DocumentsStores {
  documents: DocumentStore;
  employees: EmployeeStore;
  agencies: KnownAgencyStore;
  audit: AuditStore;
  numbering: NumberingStore;
}

export interface DocumentsManagers {
  documents: DocumentManager;
  dispositions: DispositionManager;
  attachments: AttachmentManager;
  archive: ArchiveManager;
  audit: AuditManager;
  numbering: NumberingManager;
}

export interface DocumentsParts {
  stores: DocumentsStores;
  managers: DocumentsManagers;
  keys: DocumentSigningKeys;
}

export interface DocumentsPartsOptions {
  subjects: Subjects;
  logger: Logger;
  attachments: AttachmentPolicy;
  /** Null when no NATS connection is at hand (unit tests of the database side). */
  buckets: AttachmentBuckets | null;
  /** Called after a committed change wrote events to the outbox. */
  eventsWritten: () => void;
  /** Seals the letter-signing keys in the database (SIMPUL_MASTER_KEY or a KMS). */
  keyEncryption: KeyEncryption;
  now?: () => Date;
}

/** Wires the documents service's stores and managers over one Prisma client. */
export function createDocumentsParts(prisma: PrismaClient, options: DocumentsPartsOptions): DocumentsParts {
  const stores: DocumentsStores = {
    documents: new DocumentStore(prisma),
    employees: new EmployeeStore(prisma),
    agencies: new KnownAgencyStore(prisma),
    audit: new AuditStore(prisma),
    numbering: new NumberingStore(prisma),
  };
  const keys = new DocumentSigningKeys(prisma, options.keyEncryption);
  const archive = new ArchiveManager(prisma);
  return {
    stores,
    keys,
    managers: {
      archive,
      documents: new DocumentManager(
        prisma,
        stores.documents,
        stores.employees,
        stores.agencies,
        archive,
        stores.numbering,
        keys,
        options.subjects,
        options.eventsWritten,
        options.now,
      ),
      dispositions: new DispositionManager(prisma, stores.documents, stores.employees, options.subjects, options.eventsWritten, options.now),
      attachments: new AttachmentManager(stores.documents, options.buckets, options.attachments, options.logger),
      audit: new AuditManager(stores.documents, stores.audit),
      numbering: new NumberingManager(stores.numbering),
    },
  };
}
