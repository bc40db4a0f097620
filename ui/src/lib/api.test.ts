import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '../bindings/ErrorBody';
import { ApiError, isErrorCode, toErrorBody } from './api';
import { envLabel, when } from './format';

describe('errors from commands', () => {
  it('keeps the core error body as it came', () => {
    const body: ErrorBody = {
      code: 'invalid',
      message: 'name: Name is required',
      field: 'name',
      problems: [{ field: 'name', message: 'Name is required' }],
    };
    expect(toErrorBody(body)).toEqual(body);
    expect(toErrorBody(new ApiError(body))).toBe(body);
  });

  it('keeps any code the core defines', () => {
    expect(toErrorBody({ code: 'not_found', message: 'gone' })).toEqual({
      code: 'not_found',
      message: 'gone',
      field: null,
      problems: undefined,
      fileProblems: undefined,
    });
    expect(isErrorCode('schema_too_new')).toBe(true);
  });

  it("keeps the codes merged in last (plan_changed, read_only …), so the import's plan_changed branch is taken", () => {
    for (const code of ['no_database', 'read_only', 'busy', 'corrupt', 'plan_changed']) {
      expect(isErrorCode(code)).toBe(true);
    }
    expect(toErrorBody({ code: 'plan_changed', message: 'the files changed' }).code).toBe('plan_changed');
  });

  it('turns anything else into an internal error', () => {
    expect(toErrorBody('boom')).toEqual({ code: 'internal', message: 'boom', field: null });
    expect(toErrorBody(new Error('died'))).toEqual({
      code: 'internal',
      message: 'died',
      field: null,
    });
    expect(toErrorBody({ code: 'teapot', message: 'short and stout' })).toEqual({
      code: 'internal',
      message: 'short and stout',
      field: null,
    });
    expect(toErrorBody(null)).toEqual({ code: 'internal', message: 'null', field: null });
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('format', () => {
  it('shows a UTC time as local minutes', () => {
    expect(when('2026-11-28T17:40:27.123Z')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(when('not a time')).toBe('not a time');
  });

  it('labels environments', () => {
    expect(envLabel('integration')).toBe('Integration');
    expect(envLabel('production')).toBe('Production');
  });
});
