import pg from 'pg';

/** Runs one query on a service's database (tests check what a service left there). */
export async function queryDatabase<T extends Record<string, unknown> = Record<string, unknown>>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
