import { describe, expect, it } from 'vitest';
import { changeWords, groupScopes, scopeLabel } from './scopes';
import type { Catalog } from './types';

const catalog: Catalog = {
  modules: [
    {
      id: 'crm',
      displayName: 'CRM',
      scopes: [
        { name: 'tn.crm.customers', displayName: 'Customers', view: true, modify: true, description: 'People who buy' },
        { name: 'tn.crm.leads', displayName: 'Leads', view: true, modify: true },
      ],
    },
    { id: 'acc', displayName: 'Accounting', scopes: [{ name: 'tn.acc.invoices', displayName: 'Invoices', view: true, modify: true }] },
  ],
  retired: { 'tn.old.fax': { module: 'Office', displayName: 'Fax' } },
};

describe('grouping scopes by module', () => {
  it('groups by module in catalog order, with View or View and modify', () => {
    const groups = groupScopes(['tn.acc.invoices:r', 'tn.crm.leads:r', 'tn.crm.customers:r', 'tn.crm.customers:w'], catalog);
    expect(groups.map((g) => g.module)).toEqual(['CRM', 'Accounting']);
    expect(groups[0]?.resources.map((r) => [r.displayName, r.words, r.modify, r.description])).toEqual([
      ['Customers', 'View and modify', true, 'People who buy'],
      ['Leads', 'View', false, ''],
    ]);
    expect(groups[1]?.resources.map((r) => r.words)).toEqual(['View']);
  });
  it('calls a lone write scope View and modify', () => {
    expect(groupScopes(['tn.crm.leads:w'], catalog)[0]?.resources[0]?.words).toBe('View and modify');
  });
  it('keeps retired and unknown scopes, after the catalog modules', () => {
    const groups = groupScopes(['tn.zzz.thing:r', 'tn.old.fax:w', 'tn.crm.leads:r'], catalog);
    expect(groups.map((g) => g.module)).toEqual(['CRM', 'Office', 'Other']);
    expect(groups[2]?.resources[0]?.displayName).toBe('tn.zzz.thing');
  });
  it('works with no catalog yet', () => {
    expect(groupScopes(['tn.crm.leads:r'], null)).toEqual([
      { module: 'Other', resources: [{ name: 'tn.crm.leads', displayName: 'tn.crm.leads', description: '', modify: false, words: 'View' }] },
    ]);
  });
});

describe('scope labels and version changes', () => {
  it('labels a scope with module, resource and access', () => {
    expect(scopeLabel('tn.crm.customers:w', catalog)).toBe('CRM › Customers (Modify)');
    expect(scopeLabel('tn.unknown:r', catalog)).toBe('tn.unknown:r');
  });
  it('says what a version added and removed', () => {
    expect(changeWords({ added: ['tn.crm.leads:w'], removed: ['tn.acc.invoices:r'] }, false, catalog)).toBe(
      'Added CRM › Leads (Modify); Removed Accounting › Invoices (View)',
    );
    expect(changeWords({ added: [], removed: [] }, false, catalog)).toBe('No scope change');
    expect(changeWords({ added: ['tn.crm.leads:r'], removed: [] }, true, catalog)).toBe('First version: Added CRM › Leads (View)');
  });
});
