import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the gateway at /console (apps/gateway/src/http/console-route.ts). Everything
// is bundled into dist/: no CDN, no inline script, so a strict Content-Security-Policy holds.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Vite would inline small assets as data: URLs; files keep the CSP to 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1_000,
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000', '/telemetry': 'http://127.0.0.1:4000' } },
});
