import { describe, expect, it } from 'vitest';
import type { ConnectionView } from '../bindings/ConnectionView';
import { NO_FILTER, behindOnes, days, filterConnections } from './connections';

function conn(tenantId: string, environment: 'integration' | 'production', status: 'active' | 'disabled', behind: boolean): ConnectionView {
  return {
    tenantId,
    environment,
    status,
    version: behind ? 1 : 2,
    latestVersion: 2,
    upgradeAvailable: behind,
    scopesInPlay: [],
    pendingAdded: [],
    pendingRemoved: [],
    clientId: `cid.${tenantId}`,
    connectedAt: '2026-01-01T00:00:00Z',
  };
}

const list = [
  conn('1', 'production', 'active', true),
  conn('2', 'integration', 'active', false),
  conn('3', 'production', 'disabled', false),
  conn('4', 'integration', 'disabled', true),
];
const ids = (l: ConnectionView[]) => l.map((c) => c.tenantId);

describe('the connections filters', () => {
  it('no filter keeps every line in order', () => {
    expect(ids(filterConnections(list, NO_FILTER))).toEqual(['1', '2', '3', '4']);
  });
  it('environment, status and behind each narrow, and combine', () => {
    expect(ids(filterConnections(list, { ...NO_FILTER, env: 'production' }))).toEqual(['1', '3']);
    expect(ids(filterConnections(list, { ...NO_FILTER, status: 'disabled' }))).toEqual(['3', '4']);
    expect(ids(filterConnections(list, { ...NO_FILTER, behind: 'behind' }))).toEqual(['1', '4']);
    expect(ids(filterConnections(list, { ...NO_FILTER, behind: 'current' }))).toEqual(['2', '3']);
    expect(ids(filterConnections(list, { env: 'integration', status: 'disabled', behind: 'behind' }))).toEqual(['4']);
  });
  it('"Upgrade all behind" lists exactly the lines with an upgrade available', () => {
    expect(ids(behindOnes(list))).toEqual(['1', '4']);
  });
});

describe('ages in words', () => {
  it('says today, one day, and N days', () => {
    expect(days(0)).toBe('today');
    expect(days(1)).toBe('1 day');
    expect(days(181)).toBe('181 days');
  });
});
