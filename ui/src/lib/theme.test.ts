import { describe, expect, it } from 'vitest';
import { THEME_KEY, applyTheme, chooseTheme, parseChoice, resolve, storedTheme } from './theme';

function fakeEnv(osDark: boolean, stored: string | null = null) {
  const items = new Map<string, string>();
  if (stored !== null) items.set(THEME_KEY, stored);
  const listeners = new Set<() => void>();
  const dark = {
    matches: osDark,
    addEventListener: (_: string, f: () => void) => listeners.add(f),
    removeEventListener: (_: string, f: () => void) => listeners.delete(f),
  };
  const env = {
    storage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) },
    root: { dataset: {} as Record<string, string> },
    dark,
  };
  const osChanges = (toDark: boolean) => {
    dark.matches = toDark;
    for (const f of [...listeners]) f();
  };
  return { env: env as unknown as Parameters<typeof applyTheme>[1] & object, root: env.root, items, listeners, osChanges };
}

describe('theme', () => {
  it('reads only the three choices; anything else is system', () => {
    expect(parseChoice('light')).toBe('light');
    expect(parseChoice('dark')).toBe('dark');
    expect(parseChoice('system')).toBe('system');
    expect(parseChoice('Dark')).toBe('system');
    expect(parseChoice(null)).toBe('system');
    expect(parseChoice('')).toBe('system');
  });

  it('system follows the OS; light and dark ignore it', () => {
    expect(resolve('system', true)).toBe('dark');
    expect(resolve('system', false)).toBe('light');
    expect(resolve('light', true)).toBe('light');
    expect(resolve('dark', false)).toBe('dark');
  });

  it('a choice is stored, shown, and read back', () => {
    const f = fakeEnv(false);
    expect(storedTheme(f.env)).toBe('system');
    chooseTheme('dark', f.env);
    expect(f.root.dataset.theme).toBe('dark');
    expect(f.items.get(THEME_KEY)).toBe('dark');
    expect(storedTheme(f.env)).toBe('dark');
  });

  it('system follows an OS change; a fixed choice stops following it', () => {
    const f = fakeEnv(false);
    applyTheme('system', f.env);
    expect(f.root.dataset.theme).toBe('light');
    f.osChanges(true);
    expect(f.root.dataset.theme).toBe('dark');
    applyTheme('light', f.env);
    expect(f.listeners.size).toBe(0);
    f.osChanges(false);
    f.osChanges(true);
    expect(f.root.dataset.theme).toBe('light');
  });
});
