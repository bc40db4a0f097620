import { describe, expect, it } from 'vitest';
import type { StoredConflict } from '../bindings/StoredConflict';
import type { SyncStatus } from '../bindings/SyncStatus';
import { when } from './format';
import {
  byApp,
  doneLine,
  isOffline,
  itemLine,
  keepMineNotice,
  planSummary,
  progressLine,
  quarantineLine,
  recreatedMessage,
  sideText,
  statusParts,
  unlinkMessage,
} from './sync';

const linked: SyncStatus = {
  remote: 'origin',
  url: 'http://127.0.0.1:9/',
  lastSyncedAt: '2026-11-30T02:00:00Z',
  pending: 3,
  pendingApps: 2,
  conflicts: 1,
};

describe('the sync status line', () => {
  it('says not linked for a database that never was', () => {
    const none = { ...linked, remote: null, url: null, lastSyncedAt: null, pending: 0, conflicts: 0 };
    expect(statusParts(none, false)).toEqual(['Not linked']);
  });

  it('shows remote, last sync, pending, conflicts and offline', () => {
    expect(statusParts(linked, true)).toEqual([
      'origin',
      `synced ${when('2026-11-30T02:00:00Z')}`,
      '3 pending',
      '1 conflict',
      'offline',
    ]);
  });

  it('leaves out zero counts and says never synced', () => {
    const fresh = { ...linked, lastSyncedAt: null, pending: 0, conflicts: 2 };
    expect(statusParts(fresh, false)).toEqual(['origin', 'never synced', '2 conflicts']);
  });

  it('reads only unreachable and timeout as offline, not a refusal', () => {
    expect(isOffline({ code: 'unauthorized', message: 'revoked', field: null })).toBe(false);
    expect(isOffline(null)).toBe(false);
    const unreachable = { code: 'unreachable', message: 'x', field: null } as never;
    expect(isOffline(unreachable)).toBe(true);
  });
});

describe('the plan and the progress', () => {
  it('counts what would be pulled, pushed and flagged', () => {
    const c = { app: 'a', appName: null, field: 'name', mine: 'A', theirs: 'B', base: 'C' };
    const report = { remote: 'origin', plan: true, pending: 0, refused: [], quarantined: [], pulls: [], pushes: [], cursor: null };
    expect(planSummary({ ...report, pulled: 2, pushed: 1, conflicts: [c] })).toBe(
      '2 to pull, 1 to push, 1 conflict.',
    );
    expect(planSummary({ ...report, pulled: 0, pushed: 0, conflicts: [] })).toBe(
      'Nothing to pull or push.',
    );
    expect(itemLine({ app: 'id1', appName: 'Board', what: 'updated' })).toBe('Board (updated)');
    expect(itemLine({ app: 'id1', appName: null, what: 'create' })).toBe('id1 (create)');
  });

  it('says how many apps from the portal are kept aside, and why each', () => {
    const q = { app: 'id9', appName: 'Jobs', reason: 'scopes[1]: tn.jpm.jobs is not in the catalog' };
    const report = {
      remote: 'origin', plan: false, pending: 0, refused: [], pulls: [], pushes: [], cursor: null,
      pulled: 2, pushed: 1, conflicts: [], quarantined: [q],
    };
    expect(doneLine(report)).toBe('Synced: 2 pulled, 1 pushed, 1 kept aside.');
    expect(doneLine({ ...report, quarantined: [] })).toBe('Synced: 2 pulled, 1 pushed.');
    expect(planSummary({ ...report, plan: true })).toBe(
      '2 to pull, 1 to push, 0 conflicts. 1 app would be kept aside.',
    );
    expect(quarantineLine(q)).toBe('Jobs: scopes[1]: tn.jpm.jobs is not in the catalog');
    expect(quarantineLine({ ...q, appName: null })).toBe('id9: scopes[1]: tn.jpm.jobs is not in the catalog');
  });

  it('shows a step with or without its total', () => {
    expect(progressLine({ phase: 'Pushing', done: 2, total: 5 })).toBe('Pushing: 2 of 5');
    expect(progressLine({ phase: 'Pulling', done: 40, total: null })).toBe('Pulling: 40');
  });

  it('says what unlinking drops, and that apps stay', () => {
    expect(unlinkMessage('origin', 2)).toContain('2 local changes not yet pushed');
    expect(unlinkMessage('origin', 0)).toContain('Nothing is waiting');
    expect(unlinkMessage('origin', 1)).toContain('Every local app stays');
  });
});

describe('the conflict resolver', () => {
  const c = (app: string, field: string, appName: string | null = null): StoredConflict => ({
    app,
    appName,
    field,
    mine: 'm',
    theirs: null,
    base: '',
    detectedAt: '2026-11-30T02:00:00Z',
    takesAValue: field === 'name',
    appKey: 'ak1.abcdefghijklmnopqrstuvwxy',
    keepMineRecreates: field === 'app',
  });

  it('says before a choice that keeping mine re-creates an app the portal deleted', () => {
    const notice = keepMineNotice(c('1', 'app', 'Board'));
    expect(notice).toContain('new id and app key');
    expect(notice).toContain('ak1.abcdefghijklmnopqrstuvwxy');
    expect(keepMineNotice(c('1', 'name', 'Board'))).toBeNull();
  });

  it('names the new id and key after, and says nothing for other resolutions', () => {
    const done = {
      app: 'new-id',
      resolved: [{ field: 'app', took: 'mine', value: 'Board' }],
      remaining: 0,
      recreatedFrom: 'old-id',
      retiredAppKey: 'ak1.old',
      newAppKey: 'ak1.new',
    };
    const said = recreatedMessage(done);
    expect(said).toContain('new id new-id');
    expect(said).toContain('new app key ak1.new');
    expect(said).toContain('ak1.old stays retired');
    expect(recreatedMessage({ ...done, recreatedFrom: null, retiredAppKey: null, newAppKey: null })).toBeNull();
  });

  it('groups fields by app in the order listed, naming each app', () => {
    const groups = byApp([c('1', 'name', 'Board'), c('1', 'scopes[x:r]', 'Board'), c('2', 'name')]);
    expect(groups.map((g) => [g.name, g.fields.map((f) => f.field)])).toEqual([
      ['Board', ['name', 'scopes[x:r]']],
      ['2', ['name']],
    ]);
  });

  it('shows absent and empty sides as words, not blanks', () => {
    expect(sideText(null)).toBe('(absent)');
    expect(sideText('')).toBe('(empty)');
    expect(sideText('Dispatch')).toBe('Dispatch');
  });
});
