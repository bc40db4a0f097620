import { describe, expect, it } from 'vitest';
import type { UpdateCheck } from '../bindings/UpdateCheck';
import { availableVersion, checkText, percent, progressText, releaseDay } from './updates';

describe('updates', () => {
  it('percent is whole, capped at 100, and unknown without a size', () => {
    expect(percent({ received: 1, total: 3 })).toBe(33);
    expect(percent({ received: 9, total: 3 })).toBe(100);
    expect(percent({ received: 5, total: null })).toBeNull();
    expect(percent({ received: 0, total: 0 })).toBeNull();
    expect(percent(null)).toBeNull();
  });

  it('progress text shows megabytes received of the total', () => {
    expect(progressText({ received: 1_200_000, total: 6_900_000 })).toBe('1.2 MB of 6.9 MB');
    expect(progressText({ received: 500_000, total: null })).toBe('0.5 MB received');
  });

  it('a check says the versions, or the message of a failure as it is', () => {
    expect(checkText({ status: 'upToDate', current: '0.1.0' })).toBe('Appdesk 0.1.0 is up to date.');
    expect(
      checkText({
        status: 'available',
        current: '0.1.0',
        version: '0.2.0',
        date: null,
        notes: null,
        install: { kind: 'selfUpdate' },
      }),
    ).toBe('Appdesk 0.2.0 is available (you have 0.1.0).');
    expect(checkText({ status: 'unreachable', message: 'offline' })).toBe('offline');
  });

  it('a release day comes from an RFC 3339 date and nothing else', () => {
    expect(releaseDay('2026-11-30T02:00:00Z')).toBe('2026-11-30');
    expect(releaseDay('soon')).toBe('');
    expect(releaseDay(null)).toBe('');
  });

  it('only an available check names a version to install', () => {
    expect(availableVersion(null)).toBeNull();
    expect(availableVersion({ status: 'upToDate', current: '0.1.0' })).toBeNull();
    expect(availableVersion({ status: 'unreachable', message: 'offline' })).toBeNull();
    expect(availableVersion({ status: 'refused', message: 'no' })).toBeNull();
    expect(
      availableVersion({
        status: 'available',
        current: '0.1.0',
        version: '0.2.0',
        date: null,
        notes: null,
        install: { kind: 'selfUpdate' },
      }),
    ).toBe('0.2.0');
  });
});
