import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autosave } from './autosave';
import { watchChanges } from './changes';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('saves the latest value once after a burst', async () => {
    const saved: string[] = [];
    let idle = 0;
    const a = autosave(async (v: string) => void saved.push(v), 300, undefined, () => idle++);
    a.push('a');
    a.push('ab');
    a.push('abc');
    expect(a.busy()).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(saved).toEqual(['abc']);
    expect(a.busy()).toBe(false);
    expect(idle).toBe(1);
  });

  it('never overlaps saves, and flush saves what is queued', async () => {
    let active = 0;
    let most = 0;
    const saved: number[] = [];
    const a = autosave(async (v: number) => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 50));
      saved.push(v);
      active--;
    }, 10);
    a.push(1);
    await vi.advanceTimersByTimeAsync(20); // save of 1 running
    a.push(2);
    const done = a.flush();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(saved).toEqual([1, 2]);
    expect(most).toBe(1);
  });

  it('reports a failed save and goes on', async () => {
    const errors: unknown[] = [];
    const a = autosave(async () => Promise.reject(new Error('busy')), 5, (e) => errors.push(e));
    a.push(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(errors.length).toBe(1);
    expect(a.busy()).toBe(false);
  });
});

describe('watchChanges', () => {
  it('calls back only when the token moves', async () => {
    let token = 1;
    let changes = 0;
    const stop = watchChanges(async () => token, () => changes++, 1000);
    await vi.advanceTimersByTimeAsync(2500);
    expect(changes).toBe(0);
    token = 2;
    await vi.advanceTimersByTimeAsync(1000);
    expect(changes).toBe(1);
    stop();
    token = 3;
    await vi.advanceTimersByTimeAsync(3000);
    expect(changes).toBe(1);
  });
});
