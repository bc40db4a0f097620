// The connection actions a tenant admin may take, each with the words of its
// button and of its confirmation (naming the tenant, the environment and the
// consequence), and when it is offered. The names are the portal's: `connect`
// has its own route, the others are the last segment of
// /v1/apps/{id}/connections/{tenant}/{environment}/{action} and are offered
// only when the portal's OpenAPI document lists them.
import type { CellState } from './state';
import type { Environment } from './types';

export type ActionName = 'connect' | 'upgrade' | 'disable' | 'enable' | 'regenerate' | 'rotate' | 'retire-previous';

export const ACTION_ORDER: readonly ActionName[] = ['connect', 'upgrade', 'disable', 'enable', 'regenerate', 'rotate', 'retire-previous'];

/** What the portal does when it does not say (an older portal's four). */
export const DEFAULT_PORTAL_ACTIONS: readonly string[] = ['upgrade', 'disable', 'enable', 'regenerate'];

export interface ActionText {
  button: string;
  title: string;
  consequence: string;
  /** Whether the answer carries a new client secret to show once. */
  showsSecret: boolean;
}

export function environmentWords(environment: Environment): string {
  return environment === 'production' ? 'production' : 'integration';
}

export function actionText(action: ActionName, app: string, tenant: string, environment: Environment, latest?: number): ActionText {
  const where = `tenant ${tenant} (${environmentWords(environment)})`;
  switch (action) {
    case 'connect':
      return {
        button: 'Connect',
        title: `Connect ${app} to ${where}`,
        consequence: `${app} gets the access listed above in ${where}. A client ID and secret are made; the secret is shown once.`,
        showsSecret: true,
      };
    case 'upgrade':
      return {
        button: 'Upgrade',
        title: `Upgrade ${app} in ${where}`,
        consequence: `The connection moves to version ${latest ?? 'latest'}: ${app} gets the access that version grants, as the notes above say.`,
        showsSecret: false,
      };
    case 'disable':
      return {
        button: 'Disable',
        title: `Disable ${app} in ${where}`,
        consequence: `${app} can no longer reach ${where} until you enable it again. Its client ID and secret are kept.`,
        showsSecret: false,
      };
    case 'enable':
      return {
        button: 'Enable',
        title: `Enable ${app} in ${where}`,
        consequence: `${app} can reach ${where} again with its current client ID and secret.`,
        showsSecret: false,
      };
    case 'regenerate':
      return {
        button: 'Regenerate secret',
        title: `Regenerate the secret of ${app} in ${where}`,
        consequence: `The current secret stops working at once; a new one is shown once. ${app} fails until it is given the new secret.`,
        showsSecret: true,
      };
    case 'rotate':
      return {
        button: 'Rotate secret',
        title: `Rotate the secret of ${app} in ${where}`,
        consequence: `A new secret is made and shown once; the current one keeps working until you retire it.`,
        showsSecret: true,
      };
    case 'retire-previous':
      return {
        button: 'Retire previous secret',
        title: `Retire the previous secret of ${app} in ${where}`,
        consequence: `The previous secret stops working at once; only the newest one works from now on.`,
        showsSecret: false,
      };
  }
}

const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** The portal's spelling of `action` (the path segment it routes), or
 *  undefined when its OpenAPI document does not list it. `retire-previous`
 *  matches `retirePrevious` or `retire_previous` too: the console follows
 *  whichever the portal names. */
export function portalSpelling(action: ActionName, portalActions: readonly string[]): string | undefined {
  return portalActions.find((name) => squash(name) === squash(action));
}

/** The actions offered for a cell, in order, among those the portal has. */
export function offeredActions(state: CellState, portalActions: readonly string[]): ActionName[] {
  const has = (a: ActionName) => a === 'connect' || portalSpelling(a, portalActions) !== undefined;
  const out: ActionName[] = [];
  switch (state.kind) {
    case 'unlisted':
      return [];
    case 'none':
      out.push('connect');
      break;
    case 'behind':
      out.push('upgrade', 'disable');
      break;
    case 'current':
      out.push('disable');
      break;
    case 'disabled':
      out.push('enable');
      break;
  }
  if (state.connection) {
    // A rotation keeps the previous secret working until it is retired, and
    // the portal allows no second rotation meanwhile. Where the portal does
    // not say (hasPreviousSecret undefined), both are offered and it answers.
    const previous = state.connection.hasPreviousSecret;
    out.push('regenerate');
    if (previous !== true) out.push('rotate');
    if (previous !== false) out.push('retire-previous');
  }
  return out.filter(has);
}
