// The console's theme: the desktop window's module (ui/src/lib/theme.ts: the
// choice kept in local storage, here the portal origin's, and the only thing
// the console stores there; resolved to light or dark and set on
// <html data-theme>, with "System" following the OS), and the header's toggle.
import { browserEnv, chooseTheme, type Env, type Theme } from '../../../ui/src/lib/theme';

export { THEME_KEY, applyTheme, storedTheme, type Theme } from '../../../ui/src/lib/theme';

/** The header's toggle: the other theme than the one shown, stored. */
export function toggleTheme(env: Env = browserEnv()): Theme {
  const shown: Theme = env.root.dataset.theme === 'dark' ? 'dark' : 'light';
  return chooseTheme(shown === 'dark' ? 'light' : 'dark', env);
}
