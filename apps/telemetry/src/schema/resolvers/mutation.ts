import type { TelemetryContext } from '../context.ts';

/** Root mutation fields; index.ts checks OPERATOR or NATIONAL_ADMIN first. */
export const mutationResolvers = {
  replayDeadLetter: (_: unknown, { seq }: { seq: number }, ctx: TelemetryContext) => ctx.deadLetters.replay(ctx.principal!, seq),
  discardDeadLetter: (_: unknown, { seq }: { seq: number }, ctx: TelemetryContext) => ctx.deadLetters.discard(ctx.principal!, seq),
};
