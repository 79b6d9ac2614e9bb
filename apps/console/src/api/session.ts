/**
 * The operator's session: the token from `login`, kept in sessionStorage so that it
 * ends with the browser tab and is never written to disk by us.
 */
export interface Session {
  token: string;
  username: string;
  roles: string[];
}

const KEY = 'simpul.console.session';

/** Roles that may read the console (the graph checks them again on every field). */
export const CONSOLE_ROLES = ['OPERATOR', 'NATIONAL_ADMIN', 'AUDITOR'] as const;

export function mayUseConsole(session: Session): boolean {
  return session.roles.some((role) => (CONSOLE_ROLES as readonly string[]).includes(role));
}

export function loadSession(storage: Storage = sessionStorage): Session | null {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Session | null;
    return value && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage = sessionStorage): void {
  if (session) storage.setItem(KEY, JSON.stringify(session));
  else storage.removeItem(KEY);
}

export const LOGIN_MUTATION = /* GraphQL */ `
  mutation ConsoleLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) { token user { username roles } }
  }
`;
