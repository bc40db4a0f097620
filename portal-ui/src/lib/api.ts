// The console's one way to the portal: same-origin fetches that carry the
// session cookie, JSON in and out, and every failure turned into an ApiError
// whose message can be shown as it is. Writes get a fresh Idempotency-Key and
// the app's revision as If-Match. No token is ever kept here: sign-in hands it
// to POST /auth/session once, and the cookie (HttpOnly) does the rest.
import type { AppItem, AppList, Catalog, Connection, Environment, HistoryEntry, Me, Notes, UpgradeRequest } from './types';

/** Items asked for per page of a listing: the portal's most. */
export const APPS_PAGE = 1000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly currentRevision?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }

  /** The app changed since it was read (412): read it again. */
  get stale(): boolean {
    return this.status === 412;
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The words for an answer that is not the portal's error body. */
function fallbackMessage(status: number): string {
  if (status === 401) return 'You are not signed in, or your session ended.';
  if (status === 403) return 'You may not do this.';
  if (status === 404) return 'Not found.';
  if (status >= 500) return `The portal failed (HTTP ${status}); nothing was changed.`;
  return `The portal answered HTTP ${status}.`;
}

/** An error answer as an ApiError: the portal's `{code, message}` body when
 *  there is one, else words for the status. */
export async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): the status speaks.
  }
  const b = body as { code?: unknown; message?: unknown; currentRevision?: unknown } | null;
  const code = typeof b?.code === 'string' ? b.code : `http_${response.status}`;
  const message = typeof b?.message === 'string' && b.message !== '' ? b.message : fallbackMessage(response.status);
  const revision = typeof b?.currentRevision === 'number' ? b.currentRevision : undefined;
  return new ApiError(response.status, code, message, revision);
}

export interface Write {
  /** The app's revision as last read (If-Match). */
  revision?: number;
  body?: unknown;
}

export class Api {
  /** Called when a request other than sign-in answers 401: the session ended
   *  (signed out elsewhere, 12 h idle, the token revoked). */
  onSessionEnded: (() => void) | null = null;

  constructor(
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    private readonly newKey: () => string = () => crypto.randomUUID(),
  ) {}

  /** One request; the parsed JSON answer (undefined for 204), or an ApiError. */
  async request<T>(method: string, path: string, write?: Write): Promise<T> {
    return (await this.exchange<T>(method, path, write)).value;
  }

  /** Every page of a listing answered as a JSON array, following its
   *  Next-Cursor header in pages of APPS_PAGE. */
  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | null = null;
    do {
      const cursor: string = next ? `&cursor=${encodeURIComponent(next)}` : '';
      const page: { value: T[]; next: string | null } = await this.exchange<T[]>('GET', `${path}?limit=${APPS_PAGE}${cursor}`);
      items.push(...page.value);
      next = page.next;
    } while (next);
    return items;
  }

  /** One request: its parsed JSON and the Next-Cursor header, or an ApiError. */
  private async exchange<T>(method: string, path: string, write?: Write): Promise<{ value: T; next: string | null }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET') {
      if (path.startsWith('/v1/')) headers['Idempotency-Key'] = this.newKey();
      if (write?.revision !== undefined) headers['If-Match'] = `"${write.revision}"`;
    }
    let body: string | undefined;
    if (write?.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(write.body);
    }
    let response: Response;
    try {
      response = await this.fetcher(path, { method, headers, body, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', 'The portal could not be reached; check your connection and retry.');
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.unauthorized && path !== '/auth/session') this.onSessionEnded?.();
      throw error;
    }
    const next = response.headers.get('Next-Cursor');
    if (response.status === 204) return { value: undefined as T, next };
    try {
      return { value: (await response.json()) as T, next };
    } catch {
      throw new ApiError(response.status, 'malformed_answer', 'The portal sent an answer the console cannot read.');
    }
  }

  signIn(token: string): Promise<void> {
    return this.request('POST', '/auth/session', { body: { token } });
  }
  signOut(): Promise<void> {
    return this.request('DELETE', '/auth/session');
  }
  me(): Promise<Me> {
    return this.request('GET', '/v1/me');
  }
  catalog(): Promise<Catalog> {
    return this.request('GET', '/v1/catalog');
  }
  /** Every app: the pages of GET /v1/apps (1000 each, the most the portal
   *  gives) followed through nextCursor, with the first page's feed cursor. */
  async apps(): Promise<AppList> {
    const first: AppList = await this.request('GET', `/v1/apps?limit=${APPS_PAGE}`);
    const items = [...first.items];
    let next = first.nextCursor;
    while (next) {
      const page: AppList = await this.request('GET', `/v1/apps?limit=${APPS_PAGE}&cursor=${encodeURIComponent(next)}`);
      items.push(...page.items);
      next = page.nextCursor;
    }
    return { items, cursor: first.cursor };
  }
  upgradeRequests(): Promise<UpgradeRequest[]> {
    return this.all('/v1/upgrade-requests');
  }
  versions(app: string): Promise<HistoryEntry[]> {
    return this.all(`/v1/apps/${encodeURIComponent(app)}/versions`);
  }
  app(id: string): Promise<AppItem> {
    return this.request('GET', `/v1/apps/${encodeURIComponent(id)}`);
  }
  connections(app: string): Promise<Connection[]> {
    return this.all(`/v1/apps/${encodeURIComponent(app)}/connections`);
  }
  notes(app: string, from: number, to: number): Promise<Notes> {
    return this.request('GET', `/v1/apps/${encodeURIComponent(app)}/notes?from=${from}&to=${to}`);
  }
  connect(app: string, revision: number, tenantId: string, environment: Environment): Promise<Connection> {
    return this.request('POST', `/v1/apps/${encodeURIComponent(app)}/connections`, {
      revision,
      body: { tenantId, environment },
    });
  }
  act(app: string, revision: number, tenantId: string, environment: Environment, action: string): Promise<Connection | undefined> {
    const path = [app, 'connections', tenantId, environment, action].map(encodeURIComponent).join('/');
    return this.request('POST', `/v1/apps/${path}`, { revision });
  }
  /** The connection actions the portal's OpenAPI document lists (its Action
   *  enum), so the console offers only what this portal does. */
  async actionNames(): Promise<string[]> {
    const doc = await this.request<{ components?: { schemas?: { Action?: { enum?: unknown } } } }>('GET', '/openapi.json');
    const names = doc.components?.schemas?.Action?.enum;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  }
}

export const api = new Api();
