import { describe, expect, it } from 'vitest';
import { checklist, formField, problemsFor, tenantProblems, tenantRef } from './checklist';

const problems = [
  { field: 'scopes', message: 'Choose at least one API scope' },
  { field: 'tenants[1].id', message: 'Tenant ID "12a" must be digits only' },
  { field: 'homepageUrl', message: 'Homepage URL is required' },
  { field: 'name', message: 'Name is required' },
  { field: 'tenants[0].note', message: 'Tenant note is too long' },
];

describe('checklist', () => {
  it('maps field paths to form fields', () => {
    expect(formField('tenants[2].id')).toBe('tenants');
    expect(formField('scopes[0]')).toBe('scopes');
    expect(formField('homepageUrl')).toBe('homepageUrl');
    expect(formField('app')).toBeNull();
    expect(tenantRef('tenants[12].note')).toEqual({ index: 12, part: 'note' });
    expect(tenantRef('tenants')).toBeNull();
  });

  it('lists problems in the form order, labelled', () => {
    expect(checklist(problems).map((i) => i.label)).toEqual([
      'Name',
      'Homepage URL',
      'Tenant IDs',
      'Tenant IDs',
      'API scopes',
    ]);
  });

  it('puts each problem next to its field and tenant row', () => {
    expect(problemsFor(problems, 'tenants').length).toBe(2);
    expect(tenantProblems(problems, 1, 'id')[0]?.message).toContain('digits');
    expect(tenantProblems(problems, 1, 'note')).toEqual([]);
    expect(problemsFor(problems, 'organization')).toEqual([]);
  });
});
