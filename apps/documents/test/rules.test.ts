import { describe, expect, it } from 'vitest';
import { checkChain, entryHash, GENESIS_HASH, type ChainEntry } from '../src/audit/audit-chain.ts';
import { retentionDates, retentionPhase } from '../src/archive/retention.ts';
import { DEFAULT_NUMBER_FORMAT, formatDocumentNumber, validateNumberFormat, wibYearMonth } from '../src/numbering/number-format.ts';
import { canonicalForm, documentDigest, type SignableDocument } from '../src/signing/canonical-form.ts';

describe('document numbers', () => {
  const parts = { seq: 12, unitCode: 'SETDA.UMUM', classificationCode: '000.1.2', agencyCode: 'KAB-BANYUWANGI', signedAt: new Date('2026-03-05T03:00:00Z') };

  it.each([
    [DEFAULT_NUMBER_FORMAT, parts, '12/SETDA.UMUM/000.1.2/03/2026'],
    ['{agencyCode}-{seq}/{YYYY}', parts, 'KAB-BANYUWANGI-12/2026'],
    [DEFAULT_NUMBER_FORMAT, { ...parts, unitCode: null }, '12/KAB-BANYUWANGI/000.1.2/03/2026'],
    // 23:30 UTC on 31 December is 06:30 WIB on 1 January: the new year's number.
    [DEFAULT_NUMBER_FORMAT, { ...parts, signedAt: new Date('2026-12-31T23:30:00Z') }, '12/SETDA.UMUM/000.1.2/01/2027'],
  ])('%s → %s', (format, p, expected) => {
    expect(formatDocumentNumber(format, p)).toBe(expected);
  });

  it('months and years are taken in WIB', () => {
    expect(wibYearMonth(new Date('2026-01-31T17:00:00Z'))).toEqual({ year: 2026, month: 2 });
  });

  it.each([
    ['{seq}/{nope}', 'unknown placeholder {nope}'],
    ['{unitCode}/{YYYY}', 'must contain {seq} exactly once'],
    ['{seq}-{seq}', 'must contain {seq} exactly once'],
    ['', '1-120 characters'],
  ])('refuses the format %j', (format, message) => {
    expect(() => validateNumberFormat(format)).toThrow(message);
  });
});

describe('audit hash chain', () => {
  const id = '00000000-0000-4000-8000-000000000001';
  function chain(n: number): ChainEntry[] {
    const entries: ChainEntry[] = [];
    let previousHash = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const base = { seq, action: `a${seq}`, actor: 'x', detail: { seq }, at: new Date(1_700_000_000_000 + seq), previousHash };
      const hash = entryHash(id, base);
      entries.push({ ...base, hash });
      previousHash = hash;
    }
    return entries;
  }
  const head = (entries: ChainEntry[]) => ({ hash: entries.at(-1)?.hash ?? '', count: entries.length });

  it('an untouched chain is intact', () => {
    const entries = chain(5);
    expect(checkChain(id, entries, head(entries))).toEqual({ intact: true });
  });

  it('an altered entry is found', () => {
    const entries = chain(5);
    const altered = entries.map((e) => (e.seq === 3 ? { ...e, actor: 'mallory' } : e));
    expect(checkChain(id, altered, head(entries))).toMatchObject({ intact: false, brokenAtSeq: 3 });
  });

  it('a deleted entry in the middle is found', () => {
    const entries = chain(5);
    expect(
      checkChain(
        id,
        entries.filter((e) => e.seq !== 2),
        head(entries),
      ),
    ).toMatchObject({ intact: false, brokenAtSeq: 2 });
  });

  it('a deleted last entry is found through the head kept on the document', () => {
    const entries = chain(5);
    expect(checkChain(id, entries.slice(0, 4), head(entries))).toMatchObject({ intact: false, brokenAtSeq: 5 });
  });

  it('a rewritten chain (every hash recomputed) still differs from the head', () => {
    const entries = chain(3);
    let previousHash = GENESIS_HASH;
    const forged = entries.map((e) => {
      const base = { ...e, actor: e.seq === 2 ? 'mallory' : e.actor, previousHash };
      const hash = entryHash(id, base);
      previousHash = hash;
      return { ...base, hash };
    });
    expect(checkChain(id, forged, head(entries))).toMatchObject({ intact: false });
  });
});

describe('canonical form', () => {
  const doc: SignableDocument = {
    id: '00000000-0000-4000-8000-000000000002',
    type: 'NOTA_DINAS',
    subject: 'S',
    body: 'B',
    classificationCode: '000.1.2',
    securityClass: 'BIASA',
    urgency: 'BIASA',
    agencyCode: 'KOMINFO',
    unitCode: 'DIT.LAIP',
    authorUsername: 'a',
    reviewers: ['r1', 'r2'],
    signerUsername: 's',
    number: '1/DIT.LAIP/000.1.2/01/2026',
    signedAt: new Date('2026-01-02T00:00:00Z'),
    recipients: [
      { kind: 'AGENCY', agencyCode: 'BKN', unitCode: null, nip: null },
      { kind: 'EMPLOYEE', agencyCode: 'KOMINFO', unitCode: null, nip: '1' },
    ],
    attachments: [
      { filename: 'a.pdf', contentType: 'application/pdf', size: 3, sha256: 'aa' },
      { filename: 'b.pdf', contentType: 'application/pdf', size: 4, sha256: 'bb' },
    ],
  };

  it('does not depend on the order rows come back in', () => {
    const shuffled = { ...doc, recipients: [...doc.recipients].reverse(), attachments: [...doc.attachments].reverse() };
    expect(canonicalForm(shuffled)).toBe(canonicalForm(doc));
  });

  it.each([
    ['subject', { subject: 'S2' }],
    ['body', { body: 'B ' }],
    ['number', { number: '2/DIT.LAIP/000.1.2/01/2026' }],
    ['signer', { signerUsername: 't' }],
    ['time', { signedAt: new Date('2026-01-02T00:00:01Z') }],
    ['an attachment hash', { attachments: [{ ...doc.attachments[0]!, sha256: 'ab' }, doc.attachments[1]!] }],
    ['the reviewers order', { reviewers: ['r2', 'r1'] }],
  ])('changes when the %s changes', (_what, change) => {
    expect(documentDigest({ ...doc, ...change })).not.toBe(documentDigest(doc));
  });
});

describe('retention', () => {
  const rule = { activeYears: 2, inactiveYears: 3, finalDisposition: 'PERMANENT' as const };
  const dates = { ...retentionDates(new Date('2020-06-01T00:00:00Z'), rule), finalDisposition: rule.finalDisposition };

  it.each([
    ['2021-06-01', 'ACTIVE'],
    ['2022-06-01', 'INACTIVE'],
    ['2025-05-31', 'INACTIVE'],
    ['2025-06-01', 'DUE_FOR_TRANSFER'],
  ])('on %s the record is %s', (day, phase) => {
    expect(retentionPhase(dates, new Date(`${day}T00:00:00Z`))).toBe(phase);
  });

  it('a record to destroy becomes due for destruction', () => {
    expect(retentionPhase({ ...dates, finalDisposition: 'DESTROY' }, new Date('2030-01-01T00:00:00Z'))).toBe('DUE_FOR_DESTRUCTION');
  });
});
