import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Every test file gets its own database and NATS namespace, so files run in parallel.
export default mergeConfig(shared, defineConfig({ test: { include: ['test/**/*.test.ts'] } }));
