// The theme choice (System, Light or Dark; the header's toggle picks Light or
// Dark), kept in local storage (the only thing the console stores there). The
// choice is resolved here to light or dark and set on <html data-theme>,
// which is all the stylesheet reads; "System" follows the OS setting as it
// changes. Reading it is one storage read at start-up.

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'appdesk.console.theme';
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

interface Env {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  root: HTMLElement;
  dark: MediaQueryList;
}

function browserEnv(): Env {
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

/** The header's toggle: the other theme than the one shown, stored. */
export function toggleTheme(env: Env = browserEnv()): Theme {
  const shown: Theme = env.root.dataset.theme === 'dark' ? 'dark' : 'light';
  return chooseTheme(shown === 'dark' ? 'light' : 'dark', env);
}
