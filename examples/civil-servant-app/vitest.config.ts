import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The browser test starts the platform's processes: one file at a time, generous hooks.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false, testTimeout: 120_000, hookTimeout: 300_000 } }));
