import type { Attachment, Disposition, Document, Prisma, PrismaClient, Recipient, ReviewStep, Transaction } from '../db.ts';
import { visibleTo, type Viewer } from '../visibility/visibility.ts';

export interface DocumentFilter {
  agencyCode?: string | null;
  status?: Document['status'] | null;
  securityClass?: Document['securityClass'] | null;
  type?: string | null;
  classificationCode?: string | null;
  authorUsername?: string | null;
  /** Words in the subject, body or number (case-insensitive). */
  search?: string | null;
  /** Year of the number (signed documents only). */
  year?: number | null;
}

export interface NewRecipient {
  kind: Recipient['kind'];
  agencyCode: string;
  unitCode: string | null;
  nip: string | null;
}

export type NewDocument = Omit<Prisma.DocumentUncheckedCreateInput, 'recipients' | 'attachments' | 'reviews' | 'dispositions' | 'auditEntries'>;

/**
 * Transactions that wait on a row lock (numbering, audit chain) get room to queue: fifty
 * signatures of one agency at once take their numbers one after the other, which took
 * more than 20 s on a loaded CI machine.
 */
const TX_OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

/** Documents in the database. Every read takes the viewer's visibility condition. */
export class DocumentStore {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, TX_OPTIONS);
  }

  findVisible(id: string, viewer: Viewer | null, options: { insideOnly?: boolean } = {}): Promise<Document | null> {
    return this.prisma.document.findFirst({ where: { AND: [{ id }, visibleTo(viewer, options)] } });
  }

  async isVisible(db: Transaction | PrismaClient, id: string, viewer: Viewer): Promise<boolean> {
    return (await db.document.count({ where: { AND: [{ id }, visibleTo(viewer)] } })) === 1;
  }

  findManyVisible(ids: readonly string[], viewer: Viewer | null): Promise<Document[]> {
    return this.prisma.document.findMany({ where: { AND: [{ id: { in: [...ids] } }, visibleTo(viewer)] } });
  }

  where(viewer: Viewer | null, filter: DocumentFilter): Prisma.DocumentWhereInput {
    const and: Prisma.DocumentWhereInput[] = [visibleTo(viewer)];
    if (filter.agencyCode) and.push({ agencyCode: filter.agencyCode });
    if (filter.status) and.push({ status: filter.status });
    if (filter.securityClass) and.push({ securityClass: filter.securityClass });
    if (filter.type) and.push({ type: filter.type });
    if (filter.classificationCode) and.push({ classificationCode: filter.classificationCode });
    if (filter.authorUsername) and.push({ authorUsername: filter.authorUsername });
    if (filter.year) and.push({ year: filter.year });
    if (filter.search) {
      const contains = filter.search;
      and.push({
        OR: [{ subject: { contains, mode: 'insensitive' } }, { body: { contains, mode: 'insensitive' } }, { number: { contains, mode: 'insensitive' } }],
      });
    }
    return { AND: and };
  }

  /** Newest first; `after` is the (createdAt, id) of the last row of the previous page. */
  async list(where: Prisma.DocumentWhereInput, take: number, after: { createdAt: Date; id: string } | undefined): Promise<{ rows: Document[]; total: number }> {
    const page: Prisma.DocumentWhereInput = after
      ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] }
      : where;
    const [rows, total] = await Promise.all([
      this.prisma.document.findMany({ where: page, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: take + 1 }),
      this.prisma.document.count({ where }),
    ]);
    return { rows, total };
  }

  async create(tx: Transaction, doc: NewDocument, recipients: readonly NewRecipient[]): Promise<Document> {
    const row = await tx.document.create({ data: doc });
    if (recipients.length) await tx.recipient.createMany({ data: recipients.map((r) => ({ ...r, documentId: row.id })) });
    return row;
  }

  async replaceRecipients(tx: Transaction, documentId: string, recipients: readonly NewRecipient[]): Promise<void> {
    await tx.recipient.deleteMany({ where: { documentId } });
    if (recipients.length) await tx.recipient.createMany({ data: recipients.map((r) => ({ ...r, documentId })) });
  }

  recipientsOf(ids: readonly string[]): Promise<Recipient[]> {
    return this.prisma.recipient.findMany({ where: { documentId: { in: [...ids] } }, orderBy: [{ kind: 'asc' }, { agencyCode: 'asc' }] });
  }

  attachmentsOf(ids: readonly string[]): Promise<Attachment[]> {
    return this.prisma.attachment.findMany({ where: { documentId: { in: [...ids] } }, orderBy: { createdAt: 'asc' } });
  }

  reviewStepsOf(ids: readonly string[]): Promise<ReviewStep[]> {
    return this.prisma.reviewStep.findMany({ where: { documentId: { in: [...ids] } }, orderBy: { at: 'asc' } });
  }

  dispositionsOf(ids: readonly string[]): Promise<Disposition[]> {
    return this.prisma.disposition.findMany({ where: { documentId: { in: [...ids] } }, orderBy: { createdAt: 'asc' } });
  }
}
