import { GraphQLError, type ExecutionResult, type FieldNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '@simpul/contracts';
import type { GatewayContext } from '../auth.ts';
import { rootFields } from '../root-fields.ts';
import { TokenBuckets } from './token-buckets.ts';

export interface SignInLimitOptions {
  /** Failed `login` fields per address in a burst, and per window on average. */
  loginFailures: number;
  /** `refreshSession` fields per address in a burst, and per window on average. */
  refreshes: number;
  windowMs: number;
  now?: () => number;
}

/**
 * Stricter limits, per address, on the two root fields that take secrets: `login` and
 * `refreshSession`. They are read from the operation itself (its root fields, aliases
 * included), so one request that asks `login` fifteen times under aliases counts fifteen.
 *
 * - `login`: only failures count. Each login field takes a token before it runs (so
 *   that a thousand attempts sent at once cannot all start before the first one fails)
 *   and gets it back when its answer carries no error. An office behind one address
 *   whose staff all log in at eight is not held up by its successes; an address that
 *   guesses passwords across accounts (which identity's lock per account does not see)
 *   is slowed to the refill rate.
 * - `refreshSession`: every call counts. A refresh token cannot be guessed, but each
 *   call mints tokens in identity; a session refreshes a few times an hour.
 *
 * While an address is out of tokens the operation is refused whole with 429,
 * `RATE_LIMITED` and Retry-After, before anything is sent to identity.
 */
export function useSignInLimits(options: SignInLimitOptions): Plugin<GatewayContext> {
  const limits: Record<string, { buckets: TokenBuckets; failuresOnly: boolean }> = {
    login: { buckets: new TokenBuckets(options.loginFailures, options.windowMs, options.now), failuresOnly: true },
    refreshSession: { buckets: new TokenBuckets(options.refreshes, options.windowMs, options.now), failuresOnly: false },
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const fields = rootFields(args.document, args.operationName ?? undefined).filter((f) => f.name.value in limits);
      if (fields.length === 0) return;
      const address = `address:${(args.contextValue as GatewayContext).clientAddress ?? 'unknown'}`;
      const taken: { field: string; count: number }[] = [];
      for (const [field, count] of counts(fields)) {
        const result = limits[field]!.buckets.take(address, count);
        if (!result.ok) {
          for (const t of taken) limits[t.field]!.buckets.giveBack(address, t.count);
          setResultAndStopExecution({ errors: [rateLimited(field, result.retryAfterSeconds)] });
          return;
        }
        taken.push({ field, count });
      }
      return {
        onExecuteDone({ result }) {
          // Hand back the tokens of logins that succeeded (and of any that never reached
          // identity): only failed attempts are to count.
          const answer = result as ExecutionResult;
          for (const field of fields) {
            if (!limits[field.name.value]!.failuresOnly) continue;
            const key = field.alias?.value ?? field.name.value;
            const errors = (answer.errors ?? []).filter((e) => e.path?.[0] === key);
            const failed = answer.data?.[key] == null && errors.some((e) => e.extensions?.code !== ErrorCode.ServiceUnavailable);
            if (!failed) limits[field.name.value]!.buckets.giveBack(address, 1);
          }
        },
      };
    },
  };
}

function counts(fields: FieldNode[]): Map<string, number> {
  const byName = new Map<string, number>();
  for (const f of fields) byName.set(f.name.value, (byName.get(f.name.value) ?? 0) + 1);
  return byName;
}

function rateLimited(field: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many ${field === 'login' ? 'failed logins' : `${field} calls`} from this address: try again in ${retryAfterSeconds} s`, {
    extensions: { code: ErrorCode.RateLimited, http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
}
