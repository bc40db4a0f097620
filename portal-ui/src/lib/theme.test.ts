import { describe, expect, it } from 'vitest';
import { THEME_KEY, applyTheme, storedTheme, toggleTheme } from './theme';

function fakeEnv(osDark: boolean, stored: string | null = null) {
  const items = new Map<string, string>();
  if (stored !== null) items.set(THEME_KEY, stored);
  const env = {
    storage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) },
    root: { dataset: {} as Record<string, string> },
    dark: { matches: osDark, addEventListener: () => {}, removeEventListener: () => {} },
  };
  return { env: env as unknown as Parameters<typeof applyTheme>[1] & object, root: env.root, items };
}

describe('the header theme toggle', () => {
  it('starts from the OS preference when nothing is stored', () => {
    const { env, root } = fakeEnv(true);
    expect(applyTheme(storedTheme(env), env)).toBe('dark');
    expect(root.dataset.theme).toBe('dark');
  });
  it('switches to the other theme than the one shown, and stores it', () => {
    const { env, root, items } = fakeEnv(true);
    applyTheme(storedTheme(env), env);
    expect(toggleTheme(env)).toBe('light');
    expect(root.dataset.theme).toBe('light');
    expect(items.get(THEME_KEY)).toBe('light');
    expect(toggleTheme(env)).toBe('dark');
    expect(storedTheme(env)).toBe('dark');
  });
  it('stores nothing but the theme', () => {
    const { env, items } = fakeEnv(false);
    toggleTheme(env);
    expect([...items.keys()]).toEqual([THEME_KEY]);
  });
});
