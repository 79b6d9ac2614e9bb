import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// Each file starts its own processes; running them one at a time keeps a 2-core
// machine from timing out start-ups.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 } }));
