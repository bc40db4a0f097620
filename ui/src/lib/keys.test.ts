import { describe, expect, it } from 'vitest';
import { isMac, shortcut } from './keys';
import { key } from './fakeKey';

describe('shortcuts', () => {
  it('uses Ctrl on Linux and Windows, Cmd on macOS', () => {
    expect(shortcut(key('n', { ctrlKey: true }), false)).toBe('new-draft');
    expect(shortcut(key('F', { ctrlKey: true }), false)).toBe('search');
    expect(shortcut(key('n', { metaKey: true }), false)).toBeNull();
    expect(shortcut(key('n', { metaKey: true }), true)).toBe('new-draft');
    expect(shortcut(key('f', { ctrlKey: true }), true)).toBeNull();
    expect(shortcut(key('n', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcut(key('n'), false)).toBeNull();
  });

  it('Ctrl+K opens the palette, Ctrl+O imports, Ctrl+, settings, Ctrl+Shift+A activity', () => {
    expect(shortcut(key('k', { ctrlKey: true }), false)).toBe('palette');
    expect(shortcut(key('o', { ctrlKey: true }), false)).toBe('import');
    expect(shortcut(key(',', { ctrlKey: true }), false)).toBe('settings');
    expect(shortcut(key('A', { ctrlKey: true, shiftKey: true }), false)).toBe('activity');
    expect(shortcut(key('a', { ctrlKey: true }), false)).toBeNull();
    expect(shortcut(key('k', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('Esc is always escape', () => {
    expect(shortcut(key('Escape'), false)).toBe('escape');
  });

  it('tells macOS from the platform string', () => {
    expect(isMac('MacIntel')).toBe(true);
    expect(isMac('Linux x86_64')).toBe(false);
  });
});
