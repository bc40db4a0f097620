import { describe, expect, it } from 'vitest';
import { appHref, inAppPath, parseRoute, safeHomepage } from './route';

describe('routes', () => {
  it('reads an app page and the list from the path', () => {
    expect(parseRoute(appHref('a b/c'))).toEqual({ screen: 'app', id: 'a b/c' });
    expect(parseRoute('/apps/01a2')).toEqual({ screen: 'app', id: '01a2' });
    expect(parseRoute('/')).toEqual({ screen: 'list' });
    expect(parseRoute('/elsewhere')).toEqual({ screen: 'list' });
    expect(parseRoute('/apps/%E0%A4%A')).toEqual({ screen: 'list' });
  });
});

describe('links the console follows itself', () => {
  const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
  const a = (href: string, target = '') => ({ href, target, hasAttribute: () => false });
  const origin = 'http://127.0.0.1:8477';
  it('follows its own paths', () => {
    expect(inAppPath(click, a('http://127.0.0.1:8477/apps/x'), origin)).toBe('/apps/x');
  });
  it('leaves other origins, new tabs and modified clicks to the browser', () => {
    expect(inAppPath(click, a('https://vendor.example/app'), origin)).toBeNull();
    expect(inAppPath(click, a('http://127.0.0.1:8477/apps/x', '_blank'), origin)).toBeNull();
    expect(inAppPath({ ...click, ctrlKey: true }, a('http://127.0.0.1:8477/apps/x'), origin)).toBeNull();
    expect(inAppPath({ ...click, button: 1 }, a('http://127.0.0.1:8477/apps/x'), origin)).toBeNull();
    expect(inAppPath(click, null, origin)).toBeNull();
  });
});

describe('homepage links', () => {
  it('links only http and https addresses', () => {
    expect(safeHomepage('https://vendor.example/app')).toBe('https://vendor.example/app');
    expect(safeHomepage('http://vendor.example')).toBe('http://vendor.example/');
    expect(safeHomepage('javascript:alert(1)')).toBeNull();
    expect(safeHomepage(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(safeHomepage('data:text/html,hi')).toBeNull();
    expect(safeHomepage('not a url')).toBeNull();
    expect(safeHomepage('')).toBeNull();
  });
});
