import { describe, expect, it } from 'vitest';
import { appHref, parseRoute } from './route';

describe('routes', () => {
  it('reads an app page and the list', () => {
    expect(parseRoute(appHref('a b/c'))).toEqual({ screen: 'app', id: 'a b/c' });
    expect(parseRoute('')).toEqual({ screen: 'list' });
    expect(parseRoute('#/')).toEqual({ screen: 'list' });
    expect(parseRoute('#/apps/%E0%A4%A')).toEqual({ screen: 'list' });
  });
});
