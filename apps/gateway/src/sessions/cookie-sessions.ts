import { randomBytes, timingSafeEqual } from 'node:crypto';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '@simpul/contracts';
import type { TokenVerifier } from '@simpul/kit';
import type { GatewayContext } from '../auth.ts';
import { readCookies, setCookie } from './cookies.ts';
import { HIDDEN, rewriteSessionOperation } from './session-operations.ts';

/** A request asks for cookie mode with this header set to `cookie` (on login, refreshSession, logout). */
export const SESSION_MODE_HEADER = 'x-simpul-session';
/** Cookie-authenticated requests repeat the CSRF cookie's value in this header. */
export const CSRF_HEADER = 'x-simpul-csrf';
export const COOKIES = {
  /** The access token (httpOnly), sent on every GraphQL request. */
  access: 'simpul_access',
  /** The refresh token (httpOnly), used by refreshSession and logout. */
  refresh: 'simpul_refresh',
  /** Readable by the page, which echoes it in X-Simpul-CSRF (double submit). */
  csrf: 'simpul_csrf',
} as const;
const GRAPHQL_PATH = '/graphql';

interface RequestState {
  cookies: Map<string, string>;
  cookieMode: boolean;
  setCookies: string[];
}

/**
 * Browser sessions in cookies instead of the response body. A page that sends
 * `X-Simpul-Session: cookie` with `login` or `refreshSession` gets the access token and
 * refresh token as httpOnly, Secure, SameSite=Strict cookies, which its scripts (and so
 * an injected script) cannot read; the tokens in the body come back empty. Later
 * requests without an Authorization header are authenticated with the access cookie,
 * and `refreshSession`/`logout` in cookie mode take the refresh token from its cookie
 * whatever the argument says.
 *
 * Cross-site request forgery: SameSite=Strict keeps the cookies off requests other
 * sites start, and every request the gateway authenticates with a cookie must also
 * carry X-Simpul-CSRF equal to the `simpul_csrf` cookie, which only a page of an
 * allowed origin can read and send (a custom header needs a CORS preflight). yoga
 * refuses mutations over GET. A bearer token in the Authorization header always wins
 * and is not subject to these checks: it is never sent by the browser on its own.
 */
export function useCookieSessions(options: { verifier: TokenVerifier }): Plugin {
  const states = new WeakMap<Request, RequestState>();

  function stateOf(request: Request): RequestState {
    let state = states.get(request);
    if (!state) {
      state = {
        cookies: readCookies(request.headers.get('cookie')),
        cookieMode: request.headers.get(SESSION_MODE_HEADER)?.toLowerCase() === 'cookie',
        setCookies: [],
      };
      states.set(request, state);
    }
    return state;
  }

  return {
    async onContextBuilding({ context, extendContext }) {
      const { request, principal } = context as unknown as GatewayContext & { request: Request };
      if (principal || request.headers.get('authorization')) return;
      const state = stateOf(request);
      const access = state.cookies.get(COOKIES.access);
      if (!access) return;
      requireCsrfToken(request, state);
      try {
        extendContext({ token: access, principal: await options.verifier.verify(access) } as Partial<GatewayContext> as never);
      } catch {
        // An expired or revoked session cookie counts as none: the page can still log
        // in or refresh, and whatever needs a login answers UNAUTHENTICATED.
        state.setCookies.push(setCookie(COOKIES.access, '', { path: GRAPHQL_PATH, maxAgeSeconds: 0, httpOnly: true }));
      }
    },

    onExecute({ args, executeFn, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const state = stateOf(request);
      if (!state.cookieMode) return;
      const refreshCookie = state.cookies.get(COOKIES.refresh);
      const operation = rewriteSessionOperation(args.document, args.operationName, refreshCookie);
      if (!operation) return;
      if (Object.keys(operation.variables).length > 0) requireCsrfToken(request, state);
      setExecuteFn(async (execution: ExecutionArgs) => {
        const result = (await executeFn({
          ...execution,
          document: operation.document,
          variableValues: { ...execution.variableValues, ...operation.variables },
        })) as ExecutionResult;
        const data = result.data as Record<string, Record<string, unknown> | null> | null | undefined;
        for (const key of operation.issuing) {
          const payload = data?.[key];
          if (payload) state.setCookies.push(...moveTokensToCookies(payload));
        }
        if (operation.ending) state.setCookies.push(...clearedCookies());
        return result;
      });
    },

    onResponse({ request, response }) {
      const state = states.get(request);
      for (const cookie of state?.setCookies ?? []) response.headers.append('set-cookie', cookie);
    },
  };
}

/** Sets the session cookies from a login or refresh answer and empties its tokens. */
function moveTokensToCookies(payload: Record<string, unknown>): string[] {
  const token = String(payload[HIDDEN.token] ?? '');
  const refreshToken = String(payload[HIDDEN.refreshToken] ?? '');
  const accessSeconds = (Date.parse(String(payload[HIDDEN.expiresAt])) - Date.now()) / 1000;
  const sessionSeconds = (Date.parse(String(payload[HIDDEN.sessionExpiresAt])) - Date.now()) / 1000;
  for (const key of Object.values(HIDDEN)) delete payload[key];
  if ('token' in payload) payload.token = '';
  if ('refreshToken' in payload) payload.refreshToken = '';
  return [
    setCookie(COOKIES.access, token, { path: GRAPHQL_PATH, maxAgeSeconds: accessSeconds, httpOnly: true }),
    setCookie(COOKIES.refresh, refreshToken, { path: GRAPHQL_PATH, maxAgeSeconds: sessionSeconds, httpOnly: true }),
    setCookie(COOKIES.csrf, randomBytes(32).toString('base64url'), { path: '/', maxAgeSeconds: sessionSeconds, httpOnly: false }),
  ];
}

function clearedCookies(): string[] {
  return [
    setCookie(COOKIES.access, '', { path: GRAPHQL_PATH, maxAgeSeconds: 0, httpOnly: true }),
    setCookie(COOKIES.refresh, '', { path: GRAPHQL_PATH, maxAgeSeconds: 0, httpOnly: true }),
    setCookie(COOKIES.csrf, '', { path: '/', maxAgeSeconds: 0, httpOnly: false }),
  ];
}

/** Refuses a cookie-authenticated request without the matching X-Simpul-CSRF header. */
function requireCsrfToken(request: Request, state: RequestState): void {
  const expected = Buffer.from(state.cookies.get(COOKIES.csrf) ?? '');
  const given = Buffer.from(request.headers.get(CSRF_HEADER) ?? '');
  if (expected.length > 0 && expected.length === given.length && timingSafeEqual(expected, given)) return;
  throw new GraphQLError(`A request authenticated by the session cookie must send the ${COOKIES.csrf} cookie's value in the X-Simpul-CSRF header`, {
    extensions: { code: ErrorCode.Forbidden, http: { status: 403 } },
  });
}
