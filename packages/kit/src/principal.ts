import type { Role } from '@simpul/contracts';
import { forbidden, unauthenticated } from './errors.ts';

/** Who is calling, as proven by a verified token. */
export interface Principal {
  /** User or API client id. */
  readonly id: string;
  readonly kind: 'user' | 'client';
  /** NIP for civil servants, a name for administrators and API clients. */
  readonly username: string;
  readonly agencyCode: string;
  readonly roles: readonly Role[];
  /** The raw bearer token, forwarded when a service calls another on the caller's behalf. */
  readonly token: string;
  /** The login session the token belongs to (`sid`): what `logout` ends. API clients have none. */
  readonly sessionId?: string;
}

export function hasRole(principal: Principal | null, ...roles: Role[]): boolean {
  return principal !== null && roles.some((r) => principal.roles.includes(r));
}

/** The caller, or an UNAUTHENTICATED error. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  return principal;
}

/** The caller if they hold one of `roles`, else UNAUTHENTICATED or FORBIDDEN. */
export function requireRole(principal: Principal | null, ...roles: Role[]): Principal {
  const p = requirePrincipal(principal);
  if (!hasRole(p, ...roles)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  return p;
}
