import { describe, expect, it } from 'vitest';
import { cellState, connectionState, matches } from './state';
import type { ConnectionSummary } from './types';

const conn = (over: Partial<ConnectionSummary>): ConnectionSummary => ({
  tenantId: '2222222',
  environment: 'production',
  status: 'active',
  version: 2,
  latestVersion: 2,
  behindBy: 0,
  ...over,
});

describe('connection state words', () => {
  it('says Not connected without a connection', () => {
    expect(connectionState(undefined).words).toBe('Not connected');
  });
  it('says Connected on version N at the latest version', () => {
    expect(connectionState(conn({ version: 3, latestVersion: 3, behindBy: 0 })).words).toBe('Connected on version 3');
  });
  it("says Behind by K (on N of M) with the portal's behindBy", () => {
    expect(connectionState(conn({ version: 1, latestVersion: 4, behindBy: 2 })).words).toBe('Behind by 2 (on 1 of 4)');
  });
  it('says Disabled for a disabled connection, behind or not', () => {
    expect(connectionState(conn({ status: 'disabled', version: 1, latestVersion: 3, behindBy: 2 })).words).toBe('Disabled');
  });
});

describe('cell state', () => {
  const app = { tenants: [{ id: '2222222' }] };
  it('finds the connection of the tenant and environment asked for', () => {
    const list = [conn({ environment: 'integration', version: 1, latestVersion: 2, behindBy: 1 }), conn({ environment: 'production' })];
    expect(cellState(app, list, '2222222', 'integration').words).toBe('Behind by 1 (on 1 of 2)');
    expect(cellState(app, list, '2222222', 'production').words).toBe('Connected on version 2');
  });
  it("does not take another tenant's connection", () => {
    expect(cellState({ tenants: [{ id: '2222222' }, { id: '3333333' }] }, [conn({})], '3333333', 'production').words).toBe('Not connected');
  });
  it('says Not offered for a tenant the app does not list', () => {
    expect(cellState(app, [], '9999999', 'production')).toEqual({ kind: 'unlisted', words: 'Not offered' });
  });
});

describe('search', () => {
  const app = { name: 'Payroll Sync', organization: 'Acme Ltd' };
  it('matches name or organization, any case, every word', () => {
    expect(matches(app, 'payroll')).toBe(true);
    expect(matches(app, 'ACME')).toBe(true);
    expect(matches(app, 'sync acme')).toBe(true);
    expect(matches(app, 'sync globex')).toBe(false);
    expect(matches(app, '   ')).toBe(true);
  });
});
