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
    // Generous: these are waits on real servers, and CI shares two cores with whatever
    // else the machine runs (a demo seed took over 60 s at a load average of 50).
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The JSON report lets infra/scripts/test.sh print one total for all workspaces.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
