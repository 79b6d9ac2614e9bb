import { DOCUMENT_STATUSES, type Role } from '@simpul/contracts';

/**
 * The outgoing-document workflow (konsep → paraf → TTE → kirim → arsip) as a pure
 * function: given a document, who acts and what they want to do, it answers the next
 * state or why not. Managers call it inside the transaction that holds the document's
 * row lock, so two moves never race.
 */
// The statuses are in the contracts: the documents.document.moved event carries them.
export { DOCUMENT_STATUSES };
export type WorkflowStatus = (typeof DOCUMENT_STATUSES)[number];

export const DOCUMENT_ACTIONS = ['EDIT', 'SUBMIT', 'INITIAL', 'RETURN', 'SIGN', 'SEND', 'ARCHIVE'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

export interface WorkflowDocument {
  status: WorkflowStatus;
  agencyCode: string;
  authorUsername: string;
  /** In the order they initial. */
  reviewers: readonly string[];
  /** How many reviewers have initialled in this round. */
  reviewIndex: number;
  signerUsername: string;
}

export interface WorkflowActor {
  username: string;
  agencyCode: string;
  roles: readonly Role[];
}

export type Decision = { ok: true; status: WorkflowStatus; reviewIndex: number } | { ok: false; code: 'FORBIDDEN' | 'CONFLICT'; reason: string };

const ALLOWED_FROM: Record<DocumentAction, readonly WorkflowStatus[]> = {
  EDIT: ['DRAFT', 'RETURNED'],
  SUBMIT: ['DRAFT', 'RETURNED'],
  INITIAL: ['IN_REVIEW'],
  RETURN: ['IN_REVIEW', 'READY_TO_SIGN'],
  SIGN: ['READY_TO_SIGN'],
  SEND: ['SIGNED'],
  ARCHIVE: ['SENT'],
};

const VERB: Record<DocumentAction, string> = {
  EDIT: 'edit',
  SUBMIT: 'submit',
  INITIAL: 'initial',
  RETURN: 'send back',
  SIGN: 'sign',
  SEND: 'send',
  ARCHIVE: 'archive',
};

const deny = (reason: string): Decision => ({ ok: false, code: 'FORBIDDEN', reason });

function isRecordsOfficerOf(doc: WorkflowDocument, actor: WorkflowActor): boolean {
  return actor.agencyCode === doc.agencyCode && actor.roles.includes('RECORDS_OFFICER');
}

/** The move `action` by `actor` on `doc`: the next status, or FORBIDDEN / CONFLICT with a reason. */
export function decide(doc: WorkflowDocument, actor: WorkflowActor, action: DocumentAction): Decision {
  if (!ALLOWED_FROM[action].includes(doc.status)) {
    return { ok: false, code: 'CONFLICT', reason: `A document that is ${doc.status} cannot be ${pastTense(action)}` };
  }
  const me = actor.username;
  const stay = { ok: true as const, status: doc.status, reviewIndex: doc.reviewIndex };
  switch (action) {
    case 'EDIT':
      return me === doc.authorUsername ? stay : deny(`Only the author can ${VERB[action]} this document`);
    case 'SUBMIT':
      if (me !== doc.authorUsername) return deny('Only the author can submit this document');
      return doc.reviewers.length > 0 ? { ok: true, status: 'IN_REVIEW', reviewIndex: 0 } : { ok: true, status: 'READY_TO_SIGN', reviewIndex: 0 };
    case 'INITIAL': {
      const current = doc.reviewers[doc.reviewIndex];
      if (me !== current) {
        return deny(
          doc.reviewers.includes(me)
            ? `It is not your turn to initial: reviewer ${doc.reviewIndex + 1} of ${doc.reviewers.length} (${current}) is next`
            : 'Only the reviewers named on this document can initial it',
        );
      }
      const next = doc.reviewIndex + 1;
      return next === doc.reviewers.length ? { ok: true, status: 'READY_TO_SIGN', reviewIndex: next } : { ok: true, status: 'IN_REVIEW', reviewIndex: next };
    }
    case 'RETURN': {
      // A reviewer whose turn has come (or who initialled already) may send it back; so may the signer once it is theirs.
      const reached = doc.status === 'READY_TO_SIGN' ? doc.reviewers : doc.reviewers.slice(0, doc.reviewIndex + 1);
      const mayReturn = reached.includes(me) || (doc.status === 'READY_TO_SIGN' && me === doc.signerUsername);
      if (!mayReturn) return deny('Only a reviewer whose turn has come, or the signer, can send this document back');
      return { ok: true, status: 'RETURNED', reviewIndex: 0 };
    }
    case 'SIGN':
      return me === doc.signerUsername
        ? { ok: true, status: 'SIGNED', reviewIndex: doc.reviewIndex }
        : deny('Only the signer named on this document can sign it');
    case 'SEND':
      return me === doc.authorUsername || me === doc.signerUsername || isRecordsOfficerOf(doc, actor)
        ? { ok: true, status: 'SENT', reviewIndex: doc.reviewIndex }
        : deny('Only the author, the signer or a records officer of the agency can send this document');
    case 'ARCHIVE':
      return me === doc.authorUsername || isRecordsOfficerOf(doc, actor)
        ? { ok: true, status: 'ARCHIVED', reviewIndex: doc.reviewIndex }
        : deny('Only the author or a records officer of the agency can archive this document');
  }
}

/** What `actor` may do to `doc` now (for a user interface's buttons). */
export function allowedActions(doc: WorkflowDocument, actor: WorkflowActor): DocumentAction[] {
  return DOCUMENT_ACTIONS.filter((action) => decide(doc, actor, action).ok);
}

function pastTense(action: DocumentAction): string {
  return { EDIT: 'edited', SUBMIT: 'submitted', INITIAL: 'initialled', RETURN: 'sent back', SIGN: 'signed', SEND: 'sent', ARCHIVE: 'archived' }[action];
}
