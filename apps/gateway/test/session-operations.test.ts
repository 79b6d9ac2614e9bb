import { describe, expect, it } from 'vitest';
import { parse, print } from 'graphql';
import { rewriteSessionOperation } from '../src/sessions/session-operations.ts';

const rewrite = (query: string, cookie?: string, name?: string) => rewriteSessionOperation(parse(query), name, cookie);

describe(rewriteSessionOperation.name, () => {
  it('selects the tokens under hidden keys for login and refreshSession, by their aliases, whether the client asked for them or not', () => {
    const result = rewrite('mutation { signIn: login(username: "a", password: "b") { user { username } } }')!;
    expect(result.issuing).toEqual(['signIn']);
    expect(print(result.document)).toContain('simpulCookie_token: token');
    expect(print(result.document)).toContain('simpulCookie_refreshToken: refreshToken');
    expect(result.variables).toEqual({});
  });

  it('takes the refresh token from the cookie and drops the variable the client could not fill', () => {
    const result = rewrite('mutation ($r: String!) { refreshSession(refreshToken: $r) { expiresAt } }', 'from-cookie')!;
    const printed = print(result.document);
    expect(printed).not.toContain('$r');
    expect(printed).toContain('refreshSession(refreshToken: $simpulCookie_refreshToken)');
    expect(result.variables).toEqual({ simpulCookie_refreshToken: 'from-cookie' });
  });

  it('keeps the client’s other variables and fills logout’s optional argument', () => {
    const result = rewrite('mutation ($u: String!) { logout createUser(input: { username: $u }) { id } }', 'c')!;
    expect(result.ending).toBe(true);
    const printed = print(result.document);
    expect(printed).toContain('$u: String!');
    expect(printed).toContain('logout(refreshToken: $simpulCookie_refreshToken)');
  });

  it('leaves queries and other mutations alone, and the argument alone without a cookie', () => {
    expect(rewrite('{ me { username } }', 'c')).toBeUndefined();
    expect(rewrite('mutation { unlockUser(username: "x") { username } }', 'c')).toBeUndefined();
    const noCookie = rewrite('mutation { refreshSession(refreshToken: "given") { expiresAt } }')!;
    expect(print(noCookie.document)).toContain('refreshSession(refreshToken: "given")');
  });
});
