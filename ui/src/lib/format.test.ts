import { afterAll, describe, expect, it } from 'vitest';
import { whenExact } from './format';

// Node reads TZ again whenever it changes.
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } })
  .process.env;
const saved = env.TZ;
afterAll(() => {
  env.TZ = saved;
});

describe('whenExact', () => {
  it('shows the local time to the second with its offset from UTC', () => {
    env.TZ = 'Asia/Kolkata';
    expect(whenExact('2026-11-28T17:40:05.123Z')).toBe('2026-11-28 23:10:05 UTC+05:30');
    env.TZ = 'America/New_York';
    expect(whenExact('2026-11-28T17:40:05.123Z')).toBe('2026-11-28 12:40:05 UTC-05:00');
    env.TZ = 'UTC';
    expect(whenExact('2026-11-28T17:40:05Z')).toBe('2026-11-28 17:40:05 UTC');
  });

  it('shows text that is not a time as it is', () => {
    expect(whenExact('yesterday')).toBe('yesterday');
  });
});
