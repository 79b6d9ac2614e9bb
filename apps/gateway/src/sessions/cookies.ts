/** The cookies of a request (`Cookie` header); the first value wins for a repeated name. */
export function readCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      /* a value that is not ours: ignored */
    }
  }
  return cookies;
}

export interface CookieOptions {
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAgeSeconds: number;
  /** Out of reach of the page's scripts. */
  httpOnly: boolean;
}

/**
 * A `Set-Cookie` value. Always `Secure` (browsers also keep such cookies for
 * http://localhost) and `SameSite=Strict`: a request started by another site carries
 * none of Simpul's cookies, which is the first line against cross-site request forgery.
 */
export function setCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`, `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`];
  if (options.httpOnly) parts.push('HttpOnly');
  parts.push('Secure', 'SameSite=Strict');
  return parts.join('; ');
}
