import { Query } from './query.ts';
import { Mutation } from './mutation.ts';
import { Upload } from './upload.ts';
import { Disposition, DocumentAttachment, DocumentAuditEntry, DocumentRecipient, DocumentVerification, Document, Employee, InboxItem } from './objects.ts';

export const resolvers = {
  Query,
  Mutation,
  Upload,
  Document,
  DocumentRecipient,
  DocumentAttachment,
  Disposition,
  InboxItem,
  DocumentVerification,
  DocumentAuditEntry,
  Employee,
};
