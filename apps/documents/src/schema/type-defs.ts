import { sharedTypeDefs, stitchingDirectivesTypeDefs } from '@simpul/bus';
import { SECURITY_CLASSES } from '@simpul/contracts';
import { DOCUMENT_TYPES, URGENCIES } from '../documents/document-types.ts';
import { DOCUMENT_ACTIONS, DOCUMENT_STATUSES } from '../workflow/workflow.ts';

/**
 * The documents subschema. Employee (personnel's, key `nip`) gains `documents`;
 * Agency (identity's, key `code`) and Employee appear as key-only stubs on Document.
 * A `_`-named entry point serves the gateway's merged lookups only.
 */
export const typeDefs = /* GraphQL */ `
${stitchingDirectivesTypeDefs}
${sharedTypeDefs}

"A file in a GraphQL multipart request. The gateway stages it in the object store and passes a reference."
scalar Upload

enum DocumentType { ${DOCUMENT_TYPES.join(' ')} }
"Security class (sifat): RAHASIA and SANGAT_RAHASIA are seen only by the people on the document and its dispositions; TERBATAS also by the owning agency."
enum SecurityClass { ${SECURITY_CLASSES.join(' ')} }
enum DocumentUrgency { ${URGENCIES.join(' ')} }
"Draft (konsep) → in review (paraf, in order) → ready to sign → signed (numbered) → sent → archived; RETURNED goes back to the author."
enum DocumentStatus { ${DOCUMENT_STATUSES.join(' ')} }
enum DocumentAction { ${DOCUMENT_ACTIONS.join(' ')} }
enum DocumentRecipientKind { EMPLOYEE UNIT AGENCY }
enum DispositionStatus { OPEN FORWARDED COMPLETED WITHDRAWN RETURNED }
"What happens when retention ends: DESTROY, or PERMANENT (transfer to the national archive, ANRI)."
enum ArchiveFinalDisposition { DESTROY PERMANENT }
enum RetentionPhase { ACTIVE INACTIVE DUE_FOR_DESTRUCTION DUE_FOR_TRANSFER }
enum VerificationStatus { VALID ALTERED NOT_SIGNED }
enum InboxItemKind { RECEIVED DISPOSITION }

type Query {
  "Null when there is no such document or the caller may not see it."
  document(id: ID!): Document
  "The gateway's download route asks here (hidden from clients); NOT_FOUND unless the caller may read the document."
  _attachmentDownload(id: ID!): AttachmentDownload!
  "Documents the caller may see, newest first. totalCount counts only those."
  documents(filter: DocumentFilter, first: Int, after: String): DocumentConnection
  "What waits for the caller: documents addressed to them and open dispositions; overdue first. With documentId, only that document's items."
  inbox(first: Int, after: String, documentId: ID): InboxConnection
  "Checks a signed document's signature and content. No login needed; shows only number, signer, date and agency."
  verifyDocument(id: ID!): DocumentVerification
  "The hash-chained trail of a document: for the people on it and its owning agency (null for anyone else)."
  documentAuditTrail(id: ID!): DocumentAuditTrail
  "Archive classification codes with their retention rule (JRA)."
  classificationCodes: [ClassificationCode!]
  "Archived documents whose retention ended by asOf (default today): to destroy, or to transfer to ANRI. Oldest first."
  retentionDue(agencyCode: String, asOf: String, first: Int, after: String): DocumentConnection
  "Public keys that sign documents (Ed25519, PEM), for verifying signatures offline."
  documentSigningKeys: [DocumentSigningKey!]
  "An agency's document number format."
  documentNumberFormat(agencyCode: String!): String
  "Batched lookup for stitching Employee.documents: same order as nips."
  _documentsEmployees(nips: [String!]!): [Employee]! @merge(keyField: "nip")
}

type Mutation {
  "Starts a draft (konsep) in the caller's agency; the caller is the author."
  createDocument(input: CreateDocumentInput!): Document!
  "The author changes a DRAFT or RETURNED document; omitted fields stay."
  updateDocument(id: ID!, input: UpdateDocumentInput!): Document!
  "The author sends the draft to the first reviewer (or to the signer when there are none)."
  submitDocument(id: ID!): Document!
  "The reviewer whose turn it is initials (paraf)."
  initialDocument(id: ID!, comment: String): Document!
  "A reviewer whose turn has come, or the signer, sends the document back to the author."
  returnDocument(id: ID!, comment: String!): Document!
  "The signer signs (TTE): assigns the number and the Ed25519 signature."
  signDocument(id: ID!): Document!
  "The author, the signer or a records officer sends a signed document to its recipients."
  sendDocument(id: ID!): Document!
  "The author or a records officer archives a sent document; its retention starts."
  archiveDocument(id: ID!): Document!
  "Attaches a file to a draft. sha256 is the client's hash of the file (hex); a mismatch is refused."
  addDocumentAttachment(documentId: ID!, file: Upload!, sha256: String!): DocumentAttachment!
  removeDocumentAttachment(id: ID!): Document!
  "A recipient marks a received document read; with done: true it leaves their inbox."
  markDocumentReceived(id: ID!, done: Boolean): Document!
  "A recipient (or the holder of a disposition, with parentId) dispositions the document to colleagues."
  dispositionDocument(documentId: ID!, input: DispositionInput!): [Disposition!]!
  "The holder opens a disposition; from then on it cannot be withdrawn."
  readDisposition(id: ID!): Disposition!
  completeDisposition(id: ID!, note: String): Disposition!
  "The sender withdraws a disposition its holder has not read."
  withdrawDisposition(id: ID!): Disposition!
  "NATIONAL_ADMIN: signs from now on with a new Ed25519 key; earlier keys stay published so old letters still verify."
  rotateDocumentSigningKey: DocumentSigningKey!
  "AGENCY_ADMIN or RECORDS_OFFICER of the agency; placeholders {seq} {unitCode} {classificationCode} {agencyCode} {MM} {YYYY}."
  setDocumentNumberFormat(agencyCode: String!, format: String!): String!
}

type Agency @key(selectionSet: "{ code }") {
  code: String!
}

type Employee @key(selectionSet: "{ nip }") {
  nip: String!
  "Documents this employee wrote that the caller may see, newest first."
  documents(first: Int, after: String): DocumentConnection
}

type Document {
  id: ID!
  type: DocumentType!
  subject: String!
  body: String!
  classificationCode: String!
  classification: ClassificationCode
  securityClass: SecurityClass!
  urgency: DocumentUrgency!
  status: DocumentStatus!
  agency: Agency
  unitCode: String
  "The author's personnel record: null for an officer account (see authorUsername) or where personnel does not show it to the caller."
  author: Employee
  authorUsername: String!
  authorName: String!
  reviewers: [DocumentReviewer!]!
  reviewHistory: [DocumentReviewStep!]!
  "The signer's personnel record (null where personnel does not show it to the caller; signerNip and signerName always answer)."
  signer: Employee
  signerNip: String!
  signerName: String!
  "Assigned at signing: sequential per agency and year, in the agency's format."
  number: String
  "ISO 8601."
  signedAt: String
  sentAt: String
  archivedAt: String
  recipients: [DocumentRecipient!]!
  attachments: [DocumentAttachment!]!
  "Dispositions of the caller's agency, and those they sent or hold (another agency's internal instructions are not shown)."
  dispositions: [Disposition!]!
  "Retention of an archived document (null before it is archived)."
  retention: DocumentRetention
  "What the caller may do next."
  allowedActions: [DocumentAction!]!
  createdAt: String!
  updatedAt: String!
}

type DocumentReviewer {
  order: Int!
  nip: String!
  employee: Employee
  initialled: Boolean!
}

type DocumentReviewStep {
  nip: String!
  "INITIAL or RETURN."
  action: String!
  comment: String
  at: String!
}

type DocumentRecipient {
  kind: DocumentRecipientKind!
  agency: Agency
  unitCode: String
  employee: Employee
  "ISO 8601; null until the recipient opened it."
  readAt: String
}

type DocumentAttachment {
  id: ID!
  filename: String!
  contentType: String!
  size: Int!
  sha256: String!
  createdAt: String!
  "Where the gateway serves the bytes: GET it with the same Authorization header."
  downloadPath: String!
}

"For the gateway's download route only (hidden from clients)."
type AttachmentDownload {
  objectName: String!
  filename: String!
  contentType: String!
  size: Int!
  sha256: String!
}

type Disposition {
  id: ID!
  documentId: ID!
  parentId: ID
  fromUsername: String!
  fromName: String!
  to: Employee
  toNip: String!
  toName: String!
  instruction: String!
  "YYYY-MM-DD."
  dueDate: String
  status: DispositionStatus!
  note: String
  readAt: String
  closedAt: String
  createdAt: String!
}

type DocumentRetention {
  activeUntil: String!
  retentionEndsAt: String!
  finalDisposition: ArchiveFinalDisposition!
  phase: RetentionPhase!
}

type ClassificationCode {
  code: String!
  name: String!
  activeYears: Int!
  inactiveYears: Int!
  finalDisposition: ArchiveFinalDisposition!
}

type DocumentVerification {
  id: ID!
  valid: Boolean!
  status: VerificationStatus!
  reason: String!
  number: String
  signedAt: String
  "The signer's NIP and name as signed. (Not an Employee: verification is public, personnel's records are not.)"
  signerNip: String
  signerName: String
  agency: Agency
  keyId: String
  "SHA-256 (hex) of the signed canonical form."
  digest: String
}

type DocumentAuditTrail {
  documentId: ID!
  intact: Boolean!
  "The first entry found broken (missing, altered, or out of chain)."
  brokenAtSeq: Int
  problem: String
  entries: [DocumentAuditEntry!]!
}

type DocumentAuditEntry {
  seq: Int!
  action: String!
  actor: String!
  "JSON text."
  detail: String!
  at: String!
  previousHash: String!
  hash: String!
}

type DocumentSigningKey {
  kid: String!
  publicKeyPem: String!
  createdAt: String!
  retiredAt: String
}

type DocumentConnection {
  edges: [DocumentEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type DocumentEdge {
  node: Document!
  cursor: String!
}

type InboxItem {
  kind: InboxItemKind!
  id: ID!
  document: Document!
  disposition: Disposition
  receivedAt: String!
  dueDate: String
  overdue: Boolean!
  read: Boolean!
}

type InboxConnection {
  edges: [InboxEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type InboxEdge {
  node: InboxItem!
  cursor: String!
}

input DocumentFilter {
  agencyCode: String
  status: DocumentStatus
  securityClass: SecurityClass
  type: DocumentType
  classificationCode: String
  authorNip: String
  "Words in the subject, body or number."
  search: String
  "Year of the number."
  year: Int
}

input RecipientInput {
  kind: DocumentRecipientKind!
  "For UNIT and AGENCY."
  agencyCode: String
  "For UNIT."
  unitCode: String
  "For EMPLOYEE."
  nip: String
}

input CreateDocumentInput {
  type: DocumentType!
  subject: String!
  body: String
  classificationCode: String!
  securityClass: SecurityClass!
  urgency: DocumentUrgency
  "Defaults to the author's unit."
  unitCode: String
  "In the order they initial; employees of the author's agency."
  reviewerNips: [String!]
  signerNip: String!
  recipients: [RecipientInput!]!
}

input UpdateDocumentInput {
  type: DocumentType
  subject: String
  body: String
  classificationCode: String
  securityClass: SecurityClass
  urgency: DocumentUrgency
  unitCode: String
  reviewerNips: [String!]
  signerNip: String
  recipients: [RecipientInput!]
}

input DispositionInput {
  toNips: [String!]!
  instruction: String!
  "YYYY-MM-DD."
  dueDate: String
  "The disposition you hold and forward further down."
  parentId: ID
}
`;
