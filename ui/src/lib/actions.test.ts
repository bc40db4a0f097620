import { describe, expect, it } from 'vitest';
import { ACTIONS, fuzzyScore, isActionId, matchActions } from './actions';

describe('fuzzyScore', () => {
  it('matches a subsequence in any case, and nothing else', () => {
    expect(fuzzyScore('nwa', 'New app')).not.toBeNull();
    expect(fuzzyScore('NEW', 'New app')).toBe(0);
    expect(fuzzyScore('xyz', 'New app')).toBeNull();
    expect(fuzzyScore('ppa', 'New app')).toBeNull();
  });

  it('ranks a prefix before a word start before a scattered match', () => {
    const prefix = fuzzyScore('the', 'Theme: Dark') as number;
    const word = fuzzyScore('dark', 'Theme: Dark') as number;
    const scattered = fuzzyScore('tdk', 'Theme: Dark') as number;
    expect(prefix).toBeLessThan(word);
    expect(word).toBeLessThan(scattered);
  });
});

describe('matchActions', () => {
  it('an empty query lists every action in order', () => {
    expect(matchActions('').map((a) => a.id)).toEqual(ACTIONS.map((a) => a.id));
  });

  it('finds an action by its label or by another word for it', () => {
    expect(matchActions('dark')[0]?.id).toBe('theme-dark');
    expect(matchActions('preferences').map((a) => a.id)).toEqual(['settings']);
    expect(matchActions('qqq')).toEqual([]);
  });
});

describe('isActionId', () => {
  it('accepts the ids the menu emits and refuses others', () => {
    expect(isActionId('new-draft')).toBe(true);
    expect(isActionId('palette')).toBe(true);
    expect(isActionId('rm -rf')).toBe(false);
    expect(isActionId(3)).toBe(false);
  });
});
