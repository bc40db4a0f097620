// What a confirmation asks (ConfirmDialog): the actions that end something say
// what ends before they run.

import type { ConnectionView } from '../bindings/ConnectionView';
import { envLabel } from './format';

export interface Confirmation {
  title: string;
  /** What ends, in plain words. */
  message: string;
  /** What the action touches, one line each, listed under the message. */
  items?: string[];
  /** The confirm button's text: the action itself ("Disable"). */
  action: string;
  run: () => void | Promise<void>;
}

type Run = Confirmation['run'];
type Conn = Pick<ConnectionView, 'tenantId' | 'environment'>;
const where = (c: Conn) => `tenant ${c.tenantId} in ${envLabel(c.environment)}`;

export function confirmDisable(c: Conn, run: Run): Confirmation {
  return {
    title: 'Disable the connection?',
    message: `The connection of ${where(c)} stops working: its client ID and secret are refused until it is enabled again.`,
    action: 'Disable',
    run,
  };
}

export function confirmRegenerate(c: Conn, run: Run): Confirmation {
  return {
    title: 'Regenerate the client secret?',
    message: `A new client secret is made for ${where(c)}, and the old secret stops working at once.`,
    action: 'Regenerate',
    run,
  };
}

/** Removing a tenant ends its connections (R7): the message names them. */
export function confirmRemoveTenant(tenantId: string, connections: Conn[], run: Run): Confirmation {
  const ends = connections.filter((c) => c.tenantId === tenantId).map((c) => envLabel(c.environment));
  const message =
    ends.length === 0
      ? `Tenant ${tenantId} no longer sees the app. It has no connection.`
      : `Tenant ${tenantId} no longer sees the app, and its ${ends.length === 1 ? 'connection' : `${ends.length} connections`} (${ends.join(', ')}) ${ends.length === 1 ? 'ends' : 'end'}: ${ends.length === 1 ? 'its client secret stops' : 'their client secrets stop'} working.`;
  return { title: `Remove tenant ${tenantId}?`, message, action: 'Remove tenant', run };
}

/** Retiring the previous secret of a rotation ends it. */
export function confirmRetirePrevious(c: Conn, run: Run): Confirmation {
  return {
    title: 'Retire the previous secret?',
    message: `The previous client secret of ${where(c)} stops working at once; the current one stays.`,
    action: 'Retire previous',
    run,
  };
}

/** "Upgrade all behind" lists every connection it moves, each with its versions. */
export function confirmUpgradeAll(
  connections: Pick<ConnectionView, 'tenantId' | 'environment' | 'version' | 'latestVersion'>[],
  run: Run,
): Confirmation {
  const n = connections.length;
  return {
    title: `Upgrade ${n === 1 ? 'the connection' : `${n} connections`} behind?`,
    message: `As each tenant's admin would on the portal, ${n === 1 ? 'this connection moves' : `these ${n} connections move`} to the latest version and ${n === 1 ? 'its' : 'their'} scopes in play change:`,
    items: connections.map(
      (c) => `${where(c)}: version ${c.version} to ${c.latestVersion}`,
    ),
    action: 'Upgrade all',
    run,
  };
}
