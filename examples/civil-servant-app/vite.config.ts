import { defineConfig } from 'vite';

// The app calls the gateway at its own origin (/graphql): in development Vite passes
// /graphql on to a gateway on port 4000 (`npm start`); in production the same host
// serves both, or a reverse proxy does. No inline script, so a strict CSP holds.
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false } },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
