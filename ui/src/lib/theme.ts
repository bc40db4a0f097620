// The theme choice (Settings: System, Light or Dark), kept in this window's
// local storage. The choice is resolved here to light or dark and set on
// <html data-theme>, which is all the stylesheet reads; "System" follows the
// OS setting as it changes. Reading it is one storage read at start-up. The
// portal's console (portal-ui/src/lib/theme.ts) uses this module too, on its
// own origin's storage.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'appdesk.theme';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** A stored value as a choice: anything unknown (or nothing) is "system". */
export function parseChoice(value: string | null | undefined): ThemeChoice {
  return CHOICES.find((c) => c === value) ?? 'system';
}

/** The theme shown for a choice, given whether the OS prefers dark. */
export function resolve(choice: ThemeChoice, osPrefersDark: boolean): Theme {
  if (choice === 'system') return osPrefersDark ? 'dark' : 'light';
  return choice;
}

export interface Env {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  root: HTMLElement;
  dark: MediaQueryList;
}

export function browserEnv(): Env {
  return {
    storage: localStorage,
    root: document.documentElement,
    dark: matchMedia('(prefers-color-scheme: dark)'),
  };
}

let unfollow: (() => void) | null = null;

/** Shows `choice`, and with "system" follows the OS setting from now on. */
export function applyTheme(choice: ThemeChoice, env: Env = browserEnv()): Theme {
  unfollow?.();
  unfollow = null;
  const show = () => (env.root.dataset.theme = resolve(choice, env.dark.matches));
  if (choice === 'system') {
    env.dark.addEventListener('change', show);
    unfollow = () => env.dark.removeEventListener('change', show);
  }
  show();
  return resolve(choice, env.dark.matches);
}

/** The stored choice. */
export function storedTheme(env: Pick<Env, 'storage'> = browserEnv()): ThemeChoice {
  try {
    return parseChoice(env.storage.getItem(THEME_KEY));
  } catch {
    return 'system';
  }
}

/** Stores `choice` and shows it. */
export function chooseTheme(choice: ThemeChoice, env: Env = browserEnv()): Theme {
  try {
    env.storage.setItem(THEME_KEY, choice);
  } catch {
    // Storage refused (private mode): the choice lasts for this run.
  }
  return applyTheme(choice, env);
}
