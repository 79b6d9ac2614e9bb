import type { Role } from '@simpul/contracts';
import type { Prisma } from '../db.ts';

/**
 * Who may see a document (sifat naskah):
 * - Rahasia and Sangat Rahasia: only the people on it — author, reviewers, signer,
 *   recipients once it is sent, and everyone in its disposition chain.
 * - Terbatas: those people, plus everyone in the owning agency.
 * - Biasa: as Terbatas while it is being drafted; once signed, any logged-in user.
 * Nobody else, whatever their role: an administrator or auditor is not a reader of
 * secret letters. Every query of documents goes through `visibleTo`, so lists,
 * searches, counts and single lookups cannot disagree.
 */
export interface Viewer {
  username: string;
  agencyCode: string;
  /** The viewer's unit, from the employee read model (null for officer accounts). */
  unitCode: string | null;
  roles: readonly Role[];
}

const DELIVERED: Prisma.DocumentWhereInput = { status: { in: ['SENT', 'ARCHIVED'] } };

/** Matches a recipient row addressed to the viewer: them, their unit, or their agency's mail room (records officers). */
export function recipientMatch(viewer: Viewer): Prisma.RecipientWhereInput {
  const ways: Prisma.RecipientWhereInput[] = [{ kind: 'EMPLOYEE', nip: viewer.username }];
  if (viewer.unitCode) ways.push({ kind: 'UNIT', agencyCode: viewer.agencyCode, unitCode: viewer.unitCode });
  if (viewer.roles.includes('RECORDS_OFFICER')) ways.push({ kind: 'AGENCY', agencyCode: viewer.agencyCode });
  return { OR: ways };
}

/** The people on the document (what the secret classes allow). */
export function participantOf(viewer: Viewer): Prisma.DocumentWhereInput {
  const me = viewer.username;
  return {
    OR: [
      { authorUsername: me },
      { signerUsername: me },
      { reviewers: { has: me } },
      { AND: [DELIVERED, { recipients: { some: recipientMatch(viewer) } }] },
      { dispositions: { some: { OR: [{ toNip: me }, { fromUsername: me }] } } },
    ],
  };
}

/**
 * The Prisma condition for "the viewer may see this document"; null viewer sees nothing.
 * `insideOnly` leaves out the public Biasa letters: what happened to a letter inside the
 * agencies (its audit trail) is for the people on it and the owning agency, even when
 * the letter itself is ordinary.
 */
export function visibleTo(viewer: Viewer | null, options: { insideOnly?: boolean } = {}): Prisma.DocumentWhereInput {
  if (!viewer) return { id: { in: [] } };
  return {
    OR: [
      participantOf(viewer),
      { securityClass: { in: ['BIASA', 'TERBATAS'] }, agencyCode: viewer.agencyCode },
      ...(options.insideOnly ? [] : [{ securityClass: 'BIASA' as const, status: { in: ['SIGNED' as const, 'SENT' as const, 'ARCHIVED' as const] } }]),
    ],
  };
}

/**
 * Dispositions are the recipient agency's internal instructions: a viewer sees those of
 * their own agency and those they sent or hold, not another agency's.
 */
export function seesDisposition(viewer: Viewer, d: { agencyCode: string; fromUsername: string; toNip: string }): boolean {
  return d.agencyCode === viewer.agencyCode || d.fromUsername === viewer.username || d.toNip === viewer.username;
}
