/// <reference types="node" />
// The built console under the portal's CSP (script-src 'self'; style-src
// 'self'): builds it into a temporary folder, as `npm run build` does, and
// checks that index.html holds no inline script or style and that the
// components' scoped CSS went to the CSS file, not into the JavaScript (which
// would insert a <style> at run time, refused by the CSP).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'portal-ui-dist-'));

beforeAll(async () => {
  await build({ root, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const assets = () => readdirSync(join(out, 'assets'));
const read = (ext: string) => assets().filter((f) => f.endsWith(ext)).map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');

describe('the built console', () => {
  it('is index.html and hashed assets only', () => {
    expect(readdirSync(out).sort()).toEqual(['assets', 'index.html']);
    for (const f of assets()) expect(f).toMatch(/^[\w-]+-[\w-]{8}\.(js|css)$/);
  });
  it('has no inline script, style element or style attribute in index.html', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
  it("puts the components' scoped CSS in the CSS file, not in the JavaScript", () => {
    const css = read('.css');
    const js = read('.js');
    expect(css).toMatch(/\.secret-panel\.svelte-[a-z0-9]+/);
    expect(js).not.toContain('.secret-panel');
  });
});
