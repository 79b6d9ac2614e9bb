import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../src/auth/password.ts';

describe('password hashing', () => {
  it('stores scrypt parameters, salt and a 64-byte key in the hash string', async () => {
    const hash = await hashPassword('kata sandi rahasia');
    const match = /^\$scrypt\$ln=15,r=8,p=1\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(hash);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(match![2]!, 'base64url')).toHaveLength(64);
    expect(hash).not.toContain('kata sandi');
  });

  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('kata sandi rahasia');
    expect(await verifyPassword('kata sandi rahasia', hash)).toBe(true);
    expect(await verifyPassword('kata sandi rahasiA', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
  });

  it('verifies with the parameters in the hash, and flags weaker ones for re-hashing', async () => {
    const weak = await hashPassword('old cheap hash', { ln: 10, r: 8, p: 1 });
    expect(weak.startsWith('$scrypt$ln=10,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('old cheap hash', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(await hashPassword('current'))).toBe(false);
  });

  it('normalises Unicode, so the same password typed differently still matches', async () => {
    const composed = 'caf\u00e9 password';
    const decomposed = 'cafe\u0301 password';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('refuses hashes it cannot read instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$ln=40,r=8,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$ln=15,r=8,p=1$c2FsdA')).toBe(false);
  });

  it('the dummy check for unknown names costs about as much as a real one', async () => {
    const hash = await hashPassword('warm up');
    await verifyAgainstDummy('warm up');
    const t0 = performance.now();
    await verifyPassword('guess', hash);
    const real = performance.now() - t0;
    const t1 = performance.now();
    expect(await verifyAgainstDummy('guess')).toBe(false);
    const dummy = performance.now() - t1;
    // A dummy that skipped the hash would take well under a millisecond.
    expect(dummy).toBeGreaterThan(Math.min(real * 0.2, 20));
  });
});
