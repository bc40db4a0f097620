// A connection's state in words, for a tenant × environment cell: the words
// are what a user reads (and the browser tests check), so they live in one
// place. The numbers are the portal's (version, latestVersion, behindBy); the
// console only chooses the sentence.
import type { AppItem, ConnectionSummary, Environment } from './types';

export type StateKind = 'unlisted' | 'none' | 'current' | 'behind' | 'disabled';

export interface CellState {
  kind: StateKind;
  words: string;
  connection?: ConnectionSummary;
}

/** The words for one connection (or none). */
export function connectionState(c: ConnectionSummary | undefined): CellState {
  if (!c) return { kind: 'none', words: 'Not connected' };
  if (c.status === 'disabled') return { kind: 'disabled', words: 'Disabled', connection: c };
  const k = c.behindBy;
  if (k > 0) {
    return { kind: 'behind', words: `Behind by ${k} (on ${c.version} of ${c.latestVersion})`, connection: c };
  }
  return { kind: 'current', words: `Connected on version ${c.version}`, connection: c };
}

/** The state of `tenant` in `environment` for an app: "Not offered" when the
 *  app does not list the tenant (it cannot be connected there). */
export function cellState(
  app: Pick<AppItem, 'tenants'>,
  connections: readonly ConnectionSummary[],
  tenant: string,
  environment: Environment,
): CellState {
  if (!app.tenants.some((t) => t.id === tenant)) return { kind: 'unlisted', words: 'Not offered' };
  return connectionState(connections.find((c) => c.tenantId === tenant && c.environment === environment));
}

/** Whether `app` matches the search box: its name or organization holds
 *  every word typed, in any case. */
export function matches(app: Pick<AppItem, 'name' | 'organization'>, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return true;
  const hay = `${app.name}\n${app.organization}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}
