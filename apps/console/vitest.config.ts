import { defineConfig, mergeConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ plugins: [react()], test: { environment: 'happy-dom' } }));
