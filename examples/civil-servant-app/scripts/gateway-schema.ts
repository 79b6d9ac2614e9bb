/**
 * Writes schema.graphql, the gateway's schema that the typed client is generated from,
 * by introspecting a running gateway (`npm start` at the repository root first):
 *
 *   GATEWAY_URL=http://127.0.0.1:4000 npm run schema -w examples/civil-servant-app
 *
 * The file is committed so that `npm run build` needs no running platform; the browser
 * test checks the app's operations against the live gateway, so a stale copy that no
 * longer fits is caught there.
 */
import { writeFileSync } from 'node:fs';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';

export async function gatewaySchema(url: string): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const result = (await response.json()) as { data?: IntrospectionQuery; errors?: unknown[] };
  if (!result.data) throw new Error(`introspection failed: ${JSON.stringify(result.errors)}`);
  return `${printSchema(lexicographicSortSchema(buildClientSchema(result.data)))}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
  writeFileSync(new URL('../schema.graphql', import.meta.url), await gatewaySchema(url));
  console.log(`schema.graphql written from ${url}`);
}
