/**
 * A per-request loader: keys asked for while a GraphQL list is being resolved are
 * fetched in one query, and each key at most once per request. (The idea of
 * DataLoader, in the few lines a service needs.)
 */
export type Loader<K, V> = (key: K) => Promise<V>;

export function batchLoader<K, V>(load: (keys: K[]) => Promise<Map<K, V>>, missing: V): Loader<K, V> {
  const cache = new Map<K, Promise<V>>();
  let batch: { keys: K[]; result: Promise<Map<K, V>> } | undefined;

  return (key) => {
    const hit = cache.get(key);
    if (hit) return hit;
    if (!batch) {
      const keys: K[] = [];
      // setImmediate runs after every resolver of the current list has asked for its key.
      const result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        batch = undefined;
        return load(keys);
      });
      batch = { keys, result };
    }
    batch.keys.push(key);
    const value = batch.result.then((found) => (found.has(key) ? (found.get(key) as V) : missing));
    cache.set(key, value);
    return value;
  };
}

/** Groups rows by a key, for loaders that return a list per key. */
export function groupBy<K, T>(rows: T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
