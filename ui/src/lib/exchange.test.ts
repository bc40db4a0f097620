import { describe, expect, it } from 'vitest';
import type { ImportPlan } from '../bindings/ImportPlan';
import type { PlannedApp } from '../bindings/PlannedApp';
import {
  appliedText,
  baseName,
  changeLines,
  changesAnything,
  listedApps,
  problemLocation,
  progressText,
  summarizePlan,
  warningsText,
  writtenText,
} from './exchange';

function planned(over: Partial<PlannedApp> = {}): PlannedApp {
  return {
    file: '/tmp/out/dispatch-board-0000abcd.json',
    path: '$',
    id: 'x',
    name: 'Dispatch Board',
    status: 'created',
    action: 'update',
    changes: [],
    scopesAdded: [],
    scopesRemoved: [],
    newVersion: null,
    tenantsAdded: [],
    tenantsRemoved: [],
    tenantNotesChanged: [],
    warnings: [],
    ...over,
  };
}

function plan(create: number, update: number, unchanged: number): ImportPlan {
  return { apps: [], create, update, unchanged, fingerprint: 'f'.repeat(64) };
}

describe('import plan wording', () => {
  it('summarizes the counts, leaving out zeros', () => {
    expect(summarizePlan(plan(2, 1, 3))).toBe('2 to create, 1 to update, 3 unchanged');
    expect(summarizePlan(plan(0, 1, 0))).toBe('1 to update');
    expect(summarizePlan(plan(0, 0, 0))).toBe('No apps in the files');
    expect(changesAnything(plan(0, 0, 5))).toBe(false);
    expect(changesAnything(plan(1, 0, 0))).toBe(true);
  });

  it('lists field, scope and tenant changes with the version a scope change makes', () => {
    const lines = changeLines(
      planned({
        changes: [{ field: 'homepageUrl', from: 'https://a.example', to: 'https://b.example' }],
        scopesAdded: ['tn.crm.leads:r'],
        scopesRemoved: ['tn.jpm.jobs:r'],
        newVersion: 3,
        tenantsAdded: ['5555'],
        tenantsRemoved: ['1234'],
        tenantNotesChanged: ['777'],
      }),
    );
    expect(lines).toEqual([
      'homepageUrl: https://a.example → https://b.example',
      'Scopes (makes version 3): +tn.crm.leads:r, −tn.jpm.jobs:r',
      'Tenants: +5555, −1234',
      'Tenant notes changed: 777',
    ]);
    expect(changeLines(planned({ changes: [{ field: 'organization', from: '', to: 'Acme' }] }))).toEqual([
      'organization: (empty) → Acme',
    ]);
    expect(changeLines(planned({ action: 'unchanged' }))).toEqual([]);
  });

  it('locates a problem as file:line:column when it has a position', () => {
    const p = { file: 'a.json', path: '$.scopes[0]', line: 3, column: 14, message: 'm' };
    expect(problemLocation(p)).toBe('a.json:3:14');
    expect(problemLocation({ ...p, line: null, column: null })).toBe('a.json');
    expect(baseName('/tmp/out/x.json')).toBe('x.json');
    expect(baseName('C:\\out\\y.json')).toBe('y.json');
    expect(baseName('/tmp/out/')).toBe('out');
    expect(writtenText(['/tmp/a.json'])).toBe('Wrote /tmp/a.json');
    expect(writtenText(['/tmp/out/a.json', '/tmp/out/b.json'])).toBe('Wrote 2 files to /tmp/out/');
    expect(writtenText([])).toBe('Nothing was written');
  });

  it('words progress and the result', () => {
    expect(progressText({ stage: 'reading', done: 1, total: 1 })).toBe('Reading 1 of 1 file');
    expect(progressText({ stage: 'applying', done: 200, total: 10000 })).toBe(
      'Applying 200 of 10,000 apps',
    );
    expect(appliedText(plan(1, 2, 3))).toBe('Imported: created 1 and updated 2 (3 unchanged).');
    expect(appliedText(plan(0, 0, 4))).toBe('Imported: changed nothing (4 unchanged).');
  });
});

describe('import errors from the shell', () => {
  it('keeps every file problem of an invalid_file error', async () => {
    const { toErrorBody } = await import('./api');
    const fileProblems = [
      { file: 'a.json', path: '$', line: 1, column: 2, message: 'not valid JSON' },
    ];
    const body = toErrorBody({ code: 'invalid_file', message: 'a.json:1:2', field: '$', fileProblems });
    expect(body.fileProblems).toEqual(fileProblems);
    expect(toErrorBody({ code: 'x', message: 'y' }).fileProblems).toBeUndefined();
  });
});

describe('import plan warnings', () => {
  it('says nothing when no app has a warning', () => {
    expect(warningsText({ ...plan(1, 0, 0), apps: [planned()] })).toBe('');
  });
  it('counts the apps that have warnings', () => {
    const warned = planned({ warnings: ['another app named "Crew" exists (x)'] });
    expect(warningsText({ ...plan(2, 0, 0), apps: [warned, planned()] })).toBe(
      '1 app needs a look before you import: see its warning.',
    );
    expect(warningsText({ ...plan(2, 0, 0), apps: [warned, warned] })).toBe(
      '2 apps need a look before you import: see their warnings.',
    );
  });
});

describe('listed apps', () => {
  it('leaves out unchanged apps and puts the ones with warnings first', () => {
    const a = planned({ name: 'A' });
    const b = planned({ name: 'B', action: 'create', warnings: ['another app named "B" exists (x)'] });
    const c = planned({ name: 'C', action: 'unchanged' });
    const listed = listedApps({ ...plan(1, 1, 1), apps: [a, b, c] });
    expect(listed.map((x) => x.name)).toEqual(['B', 'A']);
  });
});
