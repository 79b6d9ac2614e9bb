import { stitchingDirectives } from '@graphql-tools/stitching-directives';

/**
 * SDL for `@key`, `@merge`, `@computed` and `@canonical`. A service includes it in its
 * schema and marks its merge points, so the gateway learns how to join types across
 * services from the SDL alone, with no per-service configuration of its own.
 */
export const { stitchingDirectivesTypeDefs } = stitchingDirectives();
