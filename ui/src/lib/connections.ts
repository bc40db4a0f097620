// How the connections table narrows and words its lines. The facts (behind or
// not, a secret's age, stale or not) come from the core's ConnectionView; this
// only filters what is shown and says a number of days in words.
import type { ConnectionStatus } from '../bindings/ConnectionStatus';
import type { ConnectionView } from '../bindings/ConnectionView';
import type { Environment } from '../bindings/Environment';

export interface ConnectionFilter {
  env: Environment | 'all';
  status: ConnectionStatus | 'all';
  behind: 'all' | 'behind' | 'current';
}

export const NO_FILTER: ConnectionFilter = { env: 'all', status: 'all', behind: 'all' };

export function filterConnections(list: ConnectionView[], f: ConnectionFilter): ConnectionView[] {
  return list.filter(
    (c) =>
      (f.env === 'all' || c.environment === f.env) &&
      (f.status === 'all' || c.status === f.status) &&
      (f.behind === 'all' || c.upgradeAvailable === (f.behind === 'behind')),
  );
}

/** The connections an "Upgrade all behind" would move, as the confirmation lists them. */
export function behindOnes(list: ConnectionView[]): ConnectionView[] {
  return list.filter((c) => c.upgradeAvailable);
}

/** "today", "1 day", "12 days". */
export function days(n: number): string {
  if (n <= 0) return 'today';
  return n === 1 ? '1 day' : `${n} days`;
}

/** A client secret being shown once, after a connect, a regenerate or a rotation. */
export interface ShownSecret {
  tenant: string;
  env: Environment;
  clientId: string;
  secret: string;
  /** A rotation: the previous secret stays valid until it is retired. */
  rotation: boolean;
}
