// What a confirmation asks (ConfirmDialog): the actions that end something say
// what ends before they run.

import type { ConnectionView } from '../bindings/ConnectionView';
import { envLabel } from './format';

export interface Confirmation {
  title: string;
  /** What ends, in plain words. */
  message: string;
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
