import type { GraphQLFormattedError } from 'graphql';

/** An object (or list) of a service's JSON answer, as the plan executor assembles it. */
export type RawObject = Record<string, unknown>;

/**
 * Why a value is missing: the service's error, and the part of its path that lies
 * below the place where the value is null (a service nulls the nearest nullable
 * ancestor of a failed non-null field; the error keeps naming the field itself).
 */
export interface Failure {
  error: GraphQLFormattedError;
  tail: readonly (string | number)[];
}

/**
 * Failures are kept next to the values they explain, on the object or list that holds
 * them, under a symbol: nothing is allocated for answers without errors, and the
 * response shaper, which knows each value's path in the client's response, reports
 * them there (as stitching does).
 */
const FAILURES = Symbol('failures');

type WithFailures = { [FAILURES]?: Map<string | number, readonly Failure[]> };

export function markFailure(container: object, key: string | number, failures: readonly Failure[]): void {
  const holder = container as WithFailures;
  (holder[FAILURES] ??= new Map()).set(key, failures);
}

export function failuresAt(container: object, key: string | number): readonly Failure[] | undefined {
  return (container as WithFailures)[FAILURES]?.get(key);
}

/**
 * Follows an error's path from `start` (the position of the first segment that names
 * a field of `object`) down to the null it explains, and records it there. An error
 * whose path leads nowhere in the data is dropped from placement (it stays unreported,
 * as an unpathed error does in stitching when no null is left to carry it).
 */
export function placeError(object: RawObject, path: readonly (string | number)[], start: number, error: GraphQLFormattedError): void {
  let container: RawObject | unknown[] = object;
  for (let i = start; i < path.length; i++) {
    const segment = path[i] as string | number;
    const value: unknown = (container as Record<string | number, unknown>)[segment];
    if (value === undefined) return;
    if (value === null || i === path.length - 1) {
      if (value === null && !failuresAt(container, segment)) markFailure(container, segment, [{ error, tail: path.slice(i + 1) }]);
      return;
    }
    if (typeof value !== 'object') return;
    container = value as RawObject | unknown[];
  }
}
