import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// css 'external': each component's scoped CSS goes to the built CSS file, never
// into a <style> at run time (the portal's CSP allows style-src 'self' only).
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true, css: 'external' },
};
