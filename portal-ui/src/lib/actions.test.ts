import { describe, expect, it } from 'vitest';
import { actionText, DEFAULT_PORTAL_ACTIONS, offeredActions, portalSpelling } from './actions';
import { connectionState } from './state';
import type { ConnectionSummary } from './types';

const c = (over: Partial<ConnectionSummary>): ConnectionSummary => ({
  tenantId: '2222222', environment: 'integration', status: 'active', version: 1, latestVersion: 1, behindBy: 0, ...over,
});
const all = [...DEFAULT_PORTAL_ACTIONS, 'rotate', 'retire-previous'];

describe('offered actions', () => {
  it('offers Connect only where there is no connection', () => {
    expect(offeredActions(connectionState(undefined), all)).toEqual(['connect']);
  });
  it('offers Upgrade when behind, Enable when disabled', () => {
    expect(offeredActions(connectionState(c({ latestVersion: 2, behindBy: 1 })), all)).toEqual(['upgrade', 'disable', 'regenerate', 'rotate', 'retire-previous']);
    expect(offeredActions(connectionState(c({ status: 'disabled' })), all)).toEqual(['enable', 'regenerate', 'rotate', 'retire-previous']);
  });
  it('offers Retire previous only while a previous secret is valid, and Rotate only when none is', () => {
    expect(offeredActions(connectionState(c({ hasPreviousSecret: false })), all)).toEqual(['disable', 'regenerate', 'rotate']);
    expect(offeredActions(connectionState(c({ hasPreviousSecret: true })), all)).toEqual(['disable', 'regenerate', 'retire-previous']);
  });
  it("offers only the actions the portal's OpenAPI document lists", () => {
    expect(offeredActions(connectionState(c({})), DEFAULT_PORTAL_ACTIONS)).toEqual(['disable', 'regenerate']);
  });
  it('offers nothing for a tenant the app does not list', () => {
    expect(offeredActions({ kind: 'unlisted', words: 'Not offered' }, all)).toEqual([]);
  });
});

describe("the portal's spelling of an action", () => {
  it('follows the name the OpenAPI document gives', () => {
    expect(portalSpelling('retire-previous', ['upgrade', 'retirePrevious'])).toBe('retirePrevious');
    expect(portalSpelling('retire-previous', ['retire-previous'])).toBe('retire-previous');
    expect(portalSpelling('rotate', DEFAULT_PORTAL_ACTIONS)).toBeUndefined();
  });
});

describe('confirmation words', () => {
  it('name the tenant, the environment and the consequence', () => {
    const t = actionText('disable', 'Payroll', '2222222', 'production');
    expect(t.title).toBe('Disable Payroll in tenant 2222222 (production)');
    expect(t.consequence).toContain('can no longer reach tenant 2222222 (production)');
    expect(actionText('regenerate', 'Payroll', '2222222', 'production').showsSecret).toBe(true);
    expect(actionText('retire-previous', 'Payroll', '2222222', 'production').showsSecret).toBe(false);
  });
});
