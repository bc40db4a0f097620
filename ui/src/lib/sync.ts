// Sync in the window (issue 10 §6): typed calls to the shell's sync commands,
// and the pure helpers the sync components render with (the status line, the
// plan's summary, conflicts grouped by app). No rule of sync lives here: the
// core merges, the portal numbers versions, the store resolves conflicts.
import { Channel } from '@tauri-apps/api/core';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { Report } from '../bindings/Report';
import type { ReportItem } from '../bindings/ReportItem';
import type { ReportQuarantined } from '../bindings/ReportQuarantined';
import type { RemoteAdded } from '../bindings/RemoteAdded';
import type { RemoteRemoved } from '../bindings/RemoteRemoved';
import type { Resolution } from '../bindings/Resolution';
import type { StoredConflict } from '../bindings/StoredConflict';
import type { SyncProgress } from '../bindings/SyncProgress';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { TakeRequest } from '../bindings/TakeRequest';
import { call } from './api';
import { when } from './format';

export type { SyncProgress };

/** What a sync did, or with `plan`, would do (appdesk_sync::Report). */
export type SyncReport = Report;

export const syncApi = {
  status: () => call<SyncStatus>('sync_status'),
  link: (name: string, url: string, token: string) =>
    call<RemoteAdded>('link_remote', { name, url, token }),
  unlink: (name: string) => call<RemoteRemoved>('unlink_remote', { name }),
  conflicts: () => call<StoredConflict[]>('conflicts'),
  /** `field` null: every conflict of the app. */
  resolve: (app: string, field: string | null, take: TakeRequest) =>
    call<Resolution>('resolve_conflicts', { app, field, take }),
  /** Reaches the portal with the sealed token: resolves with a line saying so. */
  test: () => call<string>('test_remote'),
  /** What a sync would pull, push and flag; writes nothing anywhere. */
  plan: () => call<SyncReport>('sync_plan'),
  run: (onprogress: (p: SyncProgress) => void) => {
    const progress = new Channel<SyncProgress>();
    progress.onmessage = onprogress;
    return call<SyncReport>('sync_now', { progress });
  },
};

/** Codes that mean the portal could not be reached (not that it refused). */
const OFFLINE: ReadonlySet<string> = new Set(['unreachable', 'timeout']);

export function isOffline(error: ErrorBody | null): boolean {
  return error !== null && OFFLINE.has(error.code);
}

/** The status line: `origin · synced 2026-11-30 02:10 · 3 pending · 1 conflict`. */
export function statusParts(s: SyncStatus, offline: boolean): string[] {
  if (!s.remote) return ['Not linked'];
  const parts = [s.remote];
  parts.push(s.lastSyncedAt ? `synced ${when(s.lastSyncedAt)}` : 'never synced');
  if (s.pending > 0) parts.push(`${s.pending} pending`);
  if (s.conflicts > 0) parts.push(`${s.conflicts} conflict${s.conflicts === 1 ? '' : 's'}`);
  if (offline) parts.push('offline');
  return parts;
}

/** `Board (updated)`: one line of a plan's list. */
export function itemLine(i: ReportItem): string {
  return `${i.appName ?? i.app} (${i.what})`;
}

/** `3 to pull, 2 to push, 1 conflict`, or that there is nothing to do;
 * and how many apps would be kept aside. */
export function planSummary(r: SyncReport): string {
  const n = r.conflicts.length;
  const q = r.quarantined.length;
  const aside = q ? ` ${q} app${q === 1 ? '' : 's'} would be kept aside.` : '';
  if (r.pulled === 0 && r.pushed === 0 && n === 0) return `Nothing to pull or push.${aside}`;
  return `${r.pulled} to pull, ${r.pushed} to push, ${n} conflict${n === 1 ? '' : 's'}.${aside}`;
}

/** What a finished sync did: `Synced: 3 pulled, 1 pushed, 1 conflict, 1 kept aside.` */
export function doneLine(r: SyncReport): string {
  const n = r.conflicts.length;
  const q = r.quarantined.length;
  return `Synced: ${r.pulled} pulled, ${r.pushed} pushed${n ? `, ${n} conflict${n === 1 ? '' : 's'}` : ''}${q ? `, ${q} kept aside` : ''}.`;
}

/** `Board: scopes[0]: …`: an app from the portal kept aside, and why. */
export function quarantineLine(q: ReportQuarantined): string {
  return `${q.appName ?? q.app}: ${q.reason}`;
}

export function progressLine(p: SyncProgress): string {
  return p.total === null ? `${p.phase}: ${p.done}` : `${p.phase}: ${p.done} of ${p.total}`;
}

/** A conflict's side as shown: absent (a scope not there, an app deleted). */
export function sideText(value: string | null): string {
  return value === null ? '(absent)' : value === '' ? '(empty)' : value;
}

/**
 * Said before a choice: keeping mine on an app the portal deleted brings it
 * back there as a new app (R10). Null for every other conflict.
 */
export function keepMineNotice(c: StoredConflict): string | null {
  if (!c.keepMineRecreates) return null;
  const key = c.appKey ?? 'its key';
  return `Take mine re-creates this app on the portal with a new id and app key: the portal deleted ${key}, which stays retired.`;
}

/** Said after: the new id and key a re-created app has now. Null otherwise. */
export function recreatedMessage(r: Resolution): string | null {
  if (r.recreatedFrom === null || r.newAppKey === null) return null;
  const retired = r.retiredAppKey ?? 'the old key';
  return `Re-created with the new id ${r.app} and the new app key ${r.newAppKey} (was ${r.recreatedFrom}; ${retired} stays retired on the portal). The next sync creates it there.`;
}

export interface AppConflicts {
  app: string;
  name: string;
  fields: StoredConflict[];
}

/** Conflicts grouped by app, in the order listed (by app name, then field). */
export function byApp(list: StoredConflict[]): AppConflicts[] {
  const groups = new Map<string, AppConflicts>();
  for (const c of list) {
    let g = groups.get(c.app);
    if (!g) {
      g = { app: c.app, name: c.appName ?? c.app, fields: [] };
      groups.set(c.app, g);
    }
    g.fields.push(c);
  }
  return [...groups.values()];
}

/** Unlinking says what ends: pending changes that will not be pushed. */
export function unlinkMessage(remote: string, pending: number): string {
  const queued =
    pending === 0
      ? 'Nothing is waiting to be pushed.'
      : `${pending} local change${pending === 1 ? '' : 's'} not yet pushed will not be pushed (the apps keep them).`;
  return `This database stops syncing with ${remote}. Every local app stays as it is. ${queued}`;
}
