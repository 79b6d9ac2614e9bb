import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Settings every workspace's vitest config starts from. graphql ships both ESM
 * (`.mjs`) and CommonJS builds; vite would load the ESM one for our code while the
 * graphql-tools packages load CommonJS, and graphql refuses to mix two instances.
 * Pinning the import to the CommonJS entry gives every module the same instance, as
 * in production under Node.
 */
export default defineConfig({
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report lets infra/scripts/test.sh print one total for all workspaces.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
