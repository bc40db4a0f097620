import { describe, expect, it } from 'vitest';
import { Api, ApiError } from './api';

interface Seen { path: string; init: RequestInit | undefined }

function fake(answer: () => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const api = new Api(async (path, init) => {
    seen.push({ path, init });
    return answer();
  }, () => 'key-1');
  return { api, seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('the API client', () => {
  it("reads the portal's error body into the message and code", async () => {
    const { api } = fake(() => json(401, { code: 'unauthorized', message: 'the token is revoked', field: null }));
    const e = await failure(api.me());
    expect([e.status, e.code, e.message, e.unauthorized]).toEqual([401, 'unauthorized', 'the token is revoked', true]);
  });
  it('gives words for an answer that is not the error body', async () => {
    const { api } = fake(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const e = await failure(api.apps());
    expect(e.code).toBe('http_502');
    expect(e.message).toBe('The portal failed (HTTP 502); nothing was changed.');
  });
  it('says so when the portal cannot be reached', async () => {
    const { api } = fake(() => Promise.reject(new TypeError('Failed to fetch')));
    const e = await failure(api.apps());
    expect([e.status, e.code]).toEqual([0, 'network']);
  });
  it('reads a 412 as stale, with the current revision', async () => {
    const { api } = fake(() => json(412, { code: 'precondition_failed', message: 'the app is at revision 7', currentRevision: 7 }));
    const e = await failure(api.act('app1', 6, '2222222', 'production', 'disable'));
    expect([e.stale, e.currentRevision]).toEqual([true, 7]);
  });
  it('refuses a 200 that is not JSON', async () => {
    const { api } = fake(() => new Response('not json', { status: 200 }));
    expect((await failure(api.apps())).code).toBe('malformed_answer');
  });
  it('sends writes with an Idempotency-Key and the revision as If-Match', async () => {
    const { api, seen } = fake(() => json(201, { clientId: 'c', clientSecret: 's' }));
    await api.connect('app 1', 5, '2222222', 'integration');
    const headers = seen[0]?.init?.headers as Record<string, string>;
    expect(seen[0]?.path).toBe('/v1/apps/app%201/connections');
    expect(seen[0]?.init?.method).toBe('POST');
    expect(headers['Idempotency-Key']).toBe('key-1');
    expect(headers['If-Match']).toBe('"5"');
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ tenantId: '2222222', environment: 'integration' });
  });
  it('sends reads without write headers, and sign-in with the token in the body only', async () => {
    const { api, seen } = fake(() => new Response(null, { status: 204 }));
    await api.signIn('adp_secret');
    await api.request('GET', '/v1/apps');
    expect(seen[0]?.path).toBe('/auth/session');
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ token: 'adp_secret' });
    const read = seen[1]?.init?.headers as Record<string, string>;
    expect(read['Idempotency-Key']).toBeUndefined();
    expect(read['If-Match']).toBeUndefined();
  });
  it("lists the connection actions of the portal's OpenAPI document", async () => {
    const { api } = fake(() => json(200, { components: { schemas: { Action: { enum: ['upgrade', 'rotate'] } } } }));
    expect(await api.actionNames()).toEqual(['upgrade', 'rotate']);
  });

  it("lists every app by following nextCursor in pages of 1000, keeping the first page's feed cursor", async () => {
    const pages: Record<string, unknown> = {
      '/v1/apps?limit=1000': { items: [{ id: 'a' }, { id: 'b' }], cursor: 'feed-1', nextCursor: 'p1.x y' },
      '/v1/apps?limit=1000&cursor=p1.x%20y': { items: [{ id: 'c' }], cursor: 'feed-2', nextCursor: 'p1.z' },
      '/v1/apps?limit=1000&cursor=p1.z': { items: [{ id: 'd' }], cursor: 'feed-3' },
    };
    const seen: string[] = [];
    const api = new Api(async (path) => {
      seen.push(path);
      const page = pages[path];
      return page ? json(200, page) : json(400, { code: 'malformed', message: `unexpected ${path}` });
    }, () => 'key-1');
    const list = await api.apps();
    expect(list.items.map((a) => a.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(list.cursor).toBe('feed-1');
    expect(seen).toEqual(Object.keys(pages));
  });

  it('reads every page of versions, connections and upgrade requests through Next-Cursor', async () => {
    const seen: string[] = [];
    const api = new Api(async (path) => {
      seen.push(path);
      if (path.endsWith('?limit=1000')) {
        return new Response(JSON.stringify([{ n: 1 }, { n: 2 }]), { status: 200, headers: { 'Next-Cursor': 'p1.ab' } });
      }
      return json(200, [{ n: 3 }]);
    }, () => 'key-1');
    const lists = [await api.versions('a 1'), await api.connections('a 1'), await api.upgradeRequests()];
    for (const list of lists) expect(list).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(seen.slice(0, 2)).toEqual(['/v1/apps/a%201/versions?limit=1000', '/v1/apps/a%201/versions?limit=1000&cursor=p1.ab']);
    expect(seen[5]).toBe('/v1/upgrade-requests?limit=1000&cursor=p1.ab');
  });

  it('reports a 401 on any call but sign-in as the session ending', async () => {
    const { api } = fake(() => json(401, { code: 'unauthorized', message: 'no session' }));
    let ended = 0;
    api.onSessionEnded = () => ended++;
    await failure(api.apps());
    expect(ended).toBe(1);
    await failure(api.signIn('adp_wrong'));
    expect(ended).toBe(1);
  });
});
