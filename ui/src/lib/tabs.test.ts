import { describe, expect, it } from 'vitest';
import { rememberTab, tabAfterKey, tabOf, tabShortcut } from './tabs';
import { key } from './fakeKey';

describe('tabs', () => {
  it('Ctrl+1 to Ctrl+5 pick the five tabs in order, other digits and plain digits nothing', () => {
    expect(['1', '2', '3', '4', '5'].map((k) => tabShortcut(key(k, { ctrlKey: true }), false))).toEqual([
      'overview',
      'scopes',
      'tenants',
      'connections',
      'history',
    ]);
    expect(tabShortcut(key('6', { ctrlKey: true }), false)).toBeNull();
    expect(tabShortcut(key('0', { ctrlKey: true }), false)).toBeNull();
    expect(tabShortcut(key('2'), false)).toBeNull();
    expect(tabShortcut(key('2', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('on a Mac the shortcut is Cmd, not Ctrl', () => {
    expect(tabShortcut(key('3', { metaKey: true }), true)).toBe('tenants');
    expect(tabShortcut(key('3', { ctrlKey: true }), true)).toBeNull();
  });

  it('arrow keys wrap around the tab list; Home and End go to its ends', () => {
    expect(tabAfterKey('overview', 'ArrowLeft')).toBe('history');
    expect(tabAfterKey('history', 'ArrowRight')).toBe('overview');
    expect(tabAfterKey('scopes', 'ArrowRight')).toBe('tenants');
    expect(tabAfterKey('tenants', 'Home')).toBe('overview');
    expect(tabAfterKey('tenants', 'End')).toBe('history');
    expect(tabAfterKey('tenants', 'a')).toBeNull();
  });

  it('each app keeps its own tab; an app not seen starts on Overview', () => {
    rememberTab('app-a', 'history');
    rememberTab('app-b', 'scopes');
    expect(tabOf('app-a')).toBe('history');
    expect(tabOf('app-b')).toBe('scopes');
    expect(tabOf('app-c')).toBe('overview');
  });
});
