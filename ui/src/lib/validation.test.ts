import { describe, expect, it } from 'vitest';
import { invalidAppProblems } from '../bindings/samples';
import type { FormField } from './checklist';
import { shownProblems, withoutRefused } from './validation';

describe('validation display', () => {
  it('shows nothing before a field is left, then only the problems of fields left', () => {
    expect(shownProblems(invalidAppProblems, new Set(), false)).toEqual([]);
    const left = new Set<FormField>(['homepageUrl', 'tenants']);
    expect(shownProblems(invalidAppProblems, left, false).map((p) => p.field)).toEqual([
      'homepageUrl',
      'tenants[0].note',
      'tenants[1].id',
    ]);
  });

  it('shows every problem after a submit, each once', () => {
    const twice = [...invalidAppProblems, ...invalidAppProblems];
    expect(shownProblems(twice, new Set(), true)).toEqual(invalidAppProblems);
  });

  it('keeps the fields of an edit that the core did not refuse', () => {
    const edit = { name: 'New name', homepageUrl: 'acme', organization: 'Acme' };
    expect(withoutRefused(edit, [{ field: 'homepageUrl', message: 'x' }])).toEqual({
      name: 'New name',
      organization: 'Acme',
    });
    expect(withoutRefused(edit, [])).toEqual(edit);
  });
});
