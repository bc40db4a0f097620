// What only the app page needs: the portal's scope catalog (to put scopes in
// words) and the connection actions its OpenAPI document lists. Read once per
// sign-in, when an app page first opens, so that the list right after sign-in
// waits for neither.
import { DEFAULT_PORTAL_ACTIONS } from './actions';
import { api } from './api';
import type { Catalog } from './types';

export const extras = $state<{ catalog: Catalog | null; actions: readonly string[] }>({
  catalog: null,
  actions: DEFAULT_PORTAL_ACTIONS,
});

let pending: Promise<void> | null = null;

/** Reads both once (again after a failure); resolves when both have answered. */
export function loadExtras(admin: boolean): Promise<void> {
  pending ??= Promise.all([
    api.catalog().then((c) => {
      extras.catalog = c;
    }),
    admin
      ? api.actionNames().then((names) => {
          extras.actions = names;
        })
      : Promise.resolve(),
  ]).then(
    () => undefined,
    () => {
      // Scopes show as their own strings and the older four actions are
      // offered meanwhile; the next app page asks again.
      pending = null;
    },
  );
  return pending;
}

/** Sign-out: the next sign-in may be someone else on another portal build. */
export function forgetExtras(): void {
  pending = null;
  extras.catalog = null;
  extras.actions = DEFAULT_PORTAL_ACTIONS;
}
