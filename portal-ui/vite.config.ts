import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The built console is embedded into appdesk-portal and served at `/` under a
// CSP of script-src 'self' and style-src 'self': no inline script or style may
// reach dist/index.html, so components' CSS is emitted into the CSS file
// (svelte.config.js: css 'external') and no module-preload polyfill is inlined.
// `npm run dev` proxies the API to a running portal (APPDESK_PORTAL, default
// http://127.0.0.1:8080) keeping the Host header, so the cookie and the
// portal's Origin check see one origin.
// (No @types/node here: the one variable is read through globalThis.)
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const portal = env.APPDESK_PORTAL ?? 'http://127.0.0.1:8080';
const proxied = { target: portal, changeOrigin: false };

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  base: '/',
  server: {
    port: 5174,
    strictPort: true,
    proxy: { '/v1': proxied, '/auth': proxied, '/openapi.json': proxied },
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
