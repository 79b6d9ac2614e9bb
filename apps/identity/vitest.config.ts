import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`) builds. Node (and tsx) load the CJS
    // one for everybody, but Vite would give our own TypeScript the ESM one, and two
    // copies of graphql refuse each other's schemas ("from another module or realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every file gets its own database and NATS namespace, so files run in parallel.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
