import { describe, expect, it } from 'vitest';
import { ApiError, toErrorBody } from './api';
import { envLabel, looksLikeTenantId, when } from './format';

describe('errors from commands', () => {
  it('keeps the core error body as it came', () => {
    const body = {
      code: 'invalid',
      message: 'name: Name is required',
      field: 'name',
      problems: [{ field: 'name', message: 'Name is required' }],
    };
    expect(toErrorBody(body)).toEqual(body);
    expect(toErrorBody(new ApiError(body))).toBe(body);
  });

  it('turns anything else into an internal error', () => {
    expect(toErrorBody('boom')).toEqual({ code: 'internal', message: 'boom', field: null });
    expect(toErrorBody({ code: 'not_found', message: 'gone' })).toEqual({
      code: 'not_found',
      message: 'gone',
      field: null,
      problems: undefined,
    });
  });
});

describe('format', () => {
  it('shows a UTC time as local minutes', () => {
    expect(when('2026-11-28T17:40:27.123Z')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(when('not a time')).toBe('not a time');
  });

  it('labels environments and recognises tenant ids', () => {
    expect(envLabel('integration')).toBe('Integration');
    expect(envLabel('production')).toBe('Production');
    expect(looksLikeTenantId(' 12345678901 ')).toBe(true);
    expect(looksLikeTenantId('12a')).toBe(false);
  });
});
