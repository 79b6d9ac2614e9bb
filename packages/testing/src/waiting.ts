import type { GraphQLResponse } from './graphql.ts';

/** The codes of a response's errors, for compact assertions. */
export function errorCodes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code as string | undefined);
}

/**
 * Polls `read` until it gives a value (anything but undefined), for what happens
 * asynchronously (an event consumed, an account opened). A wait, not a timed assertion:
 * the limit only turns a hang into a failure that says what was awaited.
 */
export async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, what = 'a value', timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
