// The one confirmation of the window (ConfirmDialog, mounted once in Root):
// any component asks through `ask`, so that one dialog, with one set of ids,
// serves the tenants and the connections alike.
import type { Confirmation } from './confirm';

export const confirming = $state<{ current: Confirmation | null }>({ current: null });

export function ask(c: Confirmation): void {
  confirming.current = c;
}
