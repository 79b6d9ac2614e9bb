import { describe, expect, it } from 'vitest';
import { allowedActions, decide, type DocumentAction, type WorkflowDocument, type WorkflowStatus } from '../src/workflow/workflow.ts';

const doc = (status: WorkflowStatus, reviewIndex = 0): WorkflowDocument => ({
  status,
  agencyCode: 'KAB-BANYUWANGI',
  authorUsername: 'author',
  reviewers: ['rev1', 'rev2'],
  reviewIndex,
  signerUsername: 'signer',
});
const actor = (username: string, roles: ('EMPLOYEE' | 'RECORDS_OFFICER' | 'NATIONAL_ADMIN')[] = ['EMPLOYEE'], agencyCode = 'KAB-BANYUWANGI') => ({
  username,
  agencyCode,
  roles,
});

type Row = [string, WorkflowStatus, number, string, DocumentAction, string];
// [case, status, reviewIndex, who, action, expected: next status | FORBIDDEN | CONFLICT]
const table: Row[] = [
  ['author submits a draft to the first reviewer', 'DRAFT', 0, 'author', 'SUBMIT', 'IN_REVIEW'],
  ['a reviewer cannot submit', 'DRAFT', 0, 'rev1', 'SUBMIT', 'FORBIDDEN'],
  ['author edits a draft', 'DRAFT', 0, 'author', 'EDIT', 'DRAFT'],
  ['nobody edits in review', 'IN_REVIEW', 0, 'author', 'EDIT', 'CONFLICT'],
  ['author edits a returned draft', 'RETURNED', 0, 'author', 'EDIT', 'RETURNED'],
  ['author resubmits a returned draft', 'RETURNED', 0, 'author', 'SUBMIT', 'IN_REVIEW'],
  ['first reviewer initials', 'IN_REVIEW', 0, 'rev1', 'INITIAL', 'IN_REVIEW'],
  ['second reviewer must wait for the first', 'IN_REVIEW', 0, 'rev2', 'INITIAL', 'FORBIDDEN'],
  ['last reviewer initials: ready to sign', 'IN_REVIEW', 1, 'rev2', 'INITIAL', 'READY_TO_SIGN'],
  ['the signer cannot initial', 'IN_REVIEW', 0, 'signer', 'INITIAL', 'FORBIDDEN'],
  ['current reviewer sends back', 'IN_REVIEW', 0, 'rev1', 'RETURN', 'RETURNED'],
  ['a reviewer who initialled may still send back', 'IN_REVIEW', 1, 'rev1', 'RETURN', 'RETURNED'],
  ['a reviewer whose turn has not come cannot send back', 'IN_REVIEW', 0, 'rev2', 'RETURN', 'FORBIDDEN'],
  ['the author cannot send back', 'IN_REVIEW', 0, 'author', 'RETURN', 'FORBIDDEN'],
  ['the signer sends back before signing', 'READY_TO_SIGN', 2, 'signer', 'RETURN', 'RETURNED'],
  ['the signer signs', 'READY_TO_SIGN', 2, 'signer', 'SIGN', 'SIGNED'],
  ['the author cannot sign', 'READY_TO_SIGN', 2, 'author', 'SIGN', 'FORBIDDEN'],
  ['nobody signs in review', 'IN_REVIEW', 1, 'signer', 'SIGN', 'CONFLICT'],
  ['nobody signs twice', 'SIGNED', 2, 'signer', 'SIGN', 'CONFLICT'],
  ['the author sends', 'SIGNED', 2, 'author', 'SEND', 'SENT'],
  ['the signer sends', 'SIGNED', 2, 'signer', 'SEND', 'SENT'],
  ['a reviewer cannot send', 'SIGNED', 2, 'rev1', 'SEND', 'FORBIDDEN'],
  ['nobody sends an unsigned document', 'READY_TO_SIGN', 2, 'author', 'SEND', 'CONFLICT'],
  ['the author archives', 'SENT', 2, 'author', 'ARCHIVE', 'ARCHIVED'],
  ['the signer cannot archive', 'SENT', 2, 'signer', 'ARCHIVE', 'FORBIDDEN'],
  ['nothing follows the archive', 'ARCHIVED', 2, 'author', 'SEND', 'CONFLICT'],
  ['nobody archives a draft', 'DRAFT', 0, 'author', 'ARCHIVE', 'CONFLICT'],
];

describe('document workflow', () => {
  it.each(table)('%s', (_case, status, reviewIndex, who, action, expected) => {
    const decision = decide(doc(status, reviewIndex), actor(who), action);
    if (expected === 'FORBIDDEN' || expected === 'CONFLICT') {
      expect(decision).toMatchObject({ ok: false, code: expected });
    } else {
      expect(decision).toMatchObject({ ok: true, status: expected });
    }
  });

  it('a draft without reviewers goes straight to the signer', () => {
    expect(decide({ ...doc('DRAFT'), reviewers: [] }, actor('author'), 'SUBMIT')).toMatchObject({ ok: true, status: 'READY_TO_SIGN' });
  });

  it('a send-back starts the review round again', () => {
    expect(decide(doc('IN_REVIEW', 1), actor('rev2'), 'RETURN')).toMatchObject({ ok: true, status: 'RETURNED', reviewIndex: 0 });
  });

  it("a records officer sends and archives their own agency's documents only", () => {
    expect(decide(doc('SIGNED', 2), actor('arsip', ['RECORDS_OFFICER']), 'SEND')).toMatchObject({ ok: true, status: 'SENT' });
    expect(decide(doc('SENT', 2), actor('arsip', ['RECORDS_OFFICER']), 'ARCHIVE')).toMatchObject({ ok: true, status: 'ARCHIVED' });
    expect(decide(doc('SIGNED', 2), actor('arsip', ['RECORDS_OFFICER'], 'KOMINFO'), 'SEND')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('a national administrator has no place in the workflow', () => {
    for (const action of ['SUBMIT', 'INITIAL', 'SIGN', 'SEND', 'ARCHIVE'] as const) {
      const status = ({ SUBMIT: 'DRAFT', INITIAL: 'IN_REVIEW', SIGN: 'READY_TO_SIGN', SEND: 'SIGNED', ARCHIVE: 'SENT' } as const)[action];
      expect(decide(doc(status), actor('admin', ['NATIONAL_ADMIN']), action).ok).toBe(false);
    }
  });

  it('lists what each person may do now', () => {
    expect(allowedActions(doc('IN_REVIEW', 1), actor('rev2'))).toEqual(['INITIAL', 'RETURN']);
    expect(allowedActions(doc('IN_REVIEW', 1), actor('author'))).toEqual([]);
    expect(allowedActions(doc('DRAFT'), actor('author'))).toEqual(['EDIT', 'SUBMIT']);
  });
});
