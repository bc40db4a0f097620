import { describe, expect, it } from 'vitest';
import { lazy, loadFailure } from './lazy';

describe('lazy', () => {
  it('loads nothing until asked, then once for every caller', async () => {
    let loads = 0;
    const get = lazy(async () => {
      loads++;
      return { default: 'the view' };
    });
    expect(loads).toBe(0);
    const first = get();
    const second = get();
    expect(second).toBe(first);
    expect(await first).toBe('the view');
    expect(await get()).toBe('the view');
    expect(loads).toBe(1);
  });

  it('asks again after a failed load instead of keeping the failure', async () => {
    let loads = 0;
    const get = lazy(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk missing');
      return { default: 42 };
    });
    await expect(get()).rejects.toThrow('chunk missing');
    expect(await get()).toBe(42);
    expect(loads).toBe(2);
  });
});

describe('loadFailure', () => {
  it('names the reason and what to do', () => {
    const text = loadFailure(new TypeError('Importing a module script failed.'));
    expect(text).toContain('Importing a module script failed.');
    expect(text).toContain('restart Appdesk');
    expect(loadFailure('offline')).toContain('(offline)');
  });
});
