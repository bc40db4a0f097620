import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The built UI is embedded into the desktop binary (src-tauri: frontendDist
// ../ui/dist). No remote content: everything is bundled.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  base: './',
  server: { port: 5173, strictPort: true },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
