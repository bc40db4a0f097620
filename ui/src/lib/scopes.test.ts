import { describe, expect, it } from 'vitest';
import type { Catalog } from '../bindings/Catalog';
import {
  allowed,
  countSelected,
  filterCatalog,
  compareSets,
  label,
  previewHeadline,
  retiredScopes,
  sameScopes,
  setAll,
  toggle,
} from './scopes';

// The labels stand for the core's (Catalog::labels, tested in Rust); here they
// only need to differ from the scope strings.
const catalog: Catalog = {
  catalogVersion: 't',
  source: '',
  retired: { 'tn.old.thing': { module: 'Old', displayName: 'Thing', retiredIn: '2026-12-01' } },
  labels: {
    'tn.crm.leads:r': 'CRM › Leads (View)',
    'tn.dis.capacity:w': 'Dispatch › Capacity (Modify)',
  },
  modules: [
    {
      id: 'crm',
      displayName: 'CRM',
      apiId: '',
      basePath: '',
      scopes: [
        { name: 'tn.crm.customers', displayName: 'Customers', view: true, modify: true, description: 'About customers.' },
        { name: 'tn.crm.leads', displayName: 'Leads', view: true, modify: false, description: 'About leads.' },
        { name: 'tn.crm.tags', displayName: 'Tags', view: false, modify: true, description: 'About tags.' },
      ],
    },
    {
      id: 'dis',
      displayName: 'Dispatch',
      apiId: '',
      basePath: '',
      scopes: [{ name: 'tn.dis.capacity', displayName: 'Capacity', view: false, modify: true, description: 'About capacity.' }],
    },
  ],
};
const crm = catalog.modules[0]!;

describe('scopes', () => {
  it('offers only the accesses the catalog allows', () => {
    expect(crm.scopes.map(allowed)).toEqual([['r', 'w'], ['r'], ['w']]);
  });

  it("labels a scope with the core catalog's label, else its own string", () => {
    expect(label(catalog, 'tn.crm.leads:r')).toBe('CRM › Leads (View)');
    expect(label(catalog, 'tn.dis.capacity:w')).toBe('Dispatch › Capacity (Modify)');
    expect(label(catalog, 'tn.gone.thing:r')).toBe('tn.gone.thing:r');
    expect(label(null, 'tn.crm.leads:r')).toBe('tn.crm.leads:r');
  });

  it('compares selections as sets', () => {
    expect(sameScopes(['tn.b:r', 'tn.a:r'], ['tn.a:r', 'tn.b:r'])).toBe(true);
    expect(sameScopes(['tn.a:r', 'tn.a:r'], ['tn.a:r'])).toBe(true);
    expect(sameScopes(['tn.a:r'], ['tn.a:r', 'tn.a:w'])).toBe(false);
    expect(sameScopes(['tn.a:r', 'tn.b:r'], ['tn.a:r', 'tn.c:r'])).toBe(false);
  });

  it('filters by module, resource display name or scope name', () => {
    expect(filterCatalog(catalog, '').length).toBe(2);
    expect(filterCatalog(catalog, 'dispatch').map((m) => m.module.id)).toEqual(['dis']);
    const leads = filterCatalog(catalog, 'LEAD');
    expect(leads.length).toBe(1);
    expect(leads[0]!.resources.map((r) => r.name)).toEqual(['tn.crm.leads']);
    expect(filterCatalog(catalog, 'crm.tags')[0]!.resources.length).toBe(1);
    expect(filterCatalog(catalog, 'nothing-like-this')).toEqual([]);
  });

  it('All selects View only; All + Modify every allowed access; None clears', () => {
    const view = setAll(new Set(['tn.dis.capacity:w']), crm.scopes, 'view');
    expect([...view].sort()).toEqual(['tn.crm.customers:r', 'tn.crm.leads:r', 'tn.dis.capacity:w']);
    expect(countSelected(view, crm.scopes)).toEqual({ selected: 2, of: 4 });
    // All keeps a Modify chosen before.
    const kept = setAll(new Set(['tn.crm.tags:w']), crm.scopes, 'view');
    expect(kept.has('tn.crm.tags:w')).toBe(true);
    const all = setAll(new Set(['tn.dis.capacity:w']), crm.scopes, 'all');
    expect([...all].sort()).toEqual([
      'tn.crm.customers:r',
      'tn.crm.customers:w',
      'tn.crm.leads:r',
      'tn.crm.tags:w',
      'tn.dis.capacity:w',
    ]);
    expect(countSelected(all, crm.scopes)).toEqual({ selected: 4, of: 4 });
    const none = setAll(all, crm.scopes, 'none');
    expect([...none]).toEqual(['tn.dis.capacity:w']);
    expect(countSelected(none, crm.scopes)).toEqual({ selected: 0, of: 4 });
  });

  it('filters by description, and "selected only" keeps resources with a chosen access', () => {
    expect(filterCatalog(catalog, 'about tags')[0]!.resources.map((r) => r.name)).toEqual(['tn.crm.tags']);
    const only = filterCatalog(catalog, '', new Set(['tn.crm.tags:w', 'tn.dis.capacity:w']));
    expect(only.map((m) => m.resources.map((r) => r.name))).toEqual([['tn.crm.tags'], ['tn.dis.capacity']]);
    expect(filterCatalog(catalog, '', new Set())).toEqual([]);
  });

  it('names the scopes whose resource the catalog retired', () => {
    expect(retiredScopes(catalog, ['tn.crm.leads:r', 'tn.old.thing:w', 'tn.old.thingy:r'])).toEqual([
      { scope: 'tn.old.thing:w', retiredIn: '2026-12-01' },
    ]);
    expect(retiredScopes(null, ['tn.old.thing:w'])).toEqual([]);
  });

  it('compares two versions both ways', () => {
    expect(compareSets(['tn.b:r', 'tn.a:r', 'tn.c:w'], ['tn.c:w', 'tn.d:r', 'tn.a:w'])).toEqual({
      added: ['tn.a:w', 'tn.d:r'],
      removed: ['tn.a:r', 'tn.b:r'],
    });
    expect(compareSets(['tn.a:r'], ['tn.a:r'])).toEqual({ added: [], removed: [] });
  });

  it('toggles one scope without touching the input set', () => {
    const before = new Set(['tn.crm.leads:r']);
    const after = toggle(before, 'tn.crm.customers:w', true);
    expect(before.size).toBe(1);
    expect(toggle(after, 'tn.crm.leads:r', false)).toEqual(new Set(['tn.crm.customers:w']));
  });

  it('words a preview as the issue asks', () => {
    const s = previewHeadline({
      scopes: [],
      nextVersion: 4,
      added: ['tn.dis.capacity:w'],
      removed: ['tn.crm.leads:r'],
      connectionsBehind: 12,
    });
    expect(s).toBe('Saving creates version 4: 1 added, 1 removed; 12 connections will show upgrade available.');
    expect(
      previewHeadline({ scopes: [], nextVersion: 2, added: [], removed: ['tn.crm.leads:r'], connectionsBehind: 1 }),
    ).toContain('1 connection will show');
    expect(
      previewHeadline({ scopes: [], nextVersion: null, added: [], removed: [], connectionsBehind: 3 }),
    ).toMatch(/^No change/);
  });
});
