// The console's two screens as paths, by the history API (no router
// library): `/` is the list, `/apps/<id>` an app's page. The portal answers
// index.html for any path outside /v1, /auth and /openapi.json, so a reload
// or a link opened in a new tab lands on the same screen. Nothing secret
// ever goes into a path.

export type Route = { screen: 'list' } | { screen: 'app'; id: string };

export function parseRoute(pathname: string): Route {
  const m = /^\/apps\/([^/]+)\/?$/.exec(pathname);
  if (m?.[1]) {
    try {
      return { screen: 'app', id: decodeURIComponent(m[1]) };
    } catch {
      return { screen: 'list' };
    }
  }
  return { screen: 'list' };
}

export function appHref(id: string): string {
  return `/apps/${encodeURIComponent(id)}`;
}

/** The console's own path a click on `target` follows, or null when the
 *  browser should handle the click (another origin, a new tab, a download). */
export function inAppPath(
  click: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'defaultPrevented'>,
  anchor: Pick<HTMLAnchorElement, 'href' | 'target' | 'hasAttribute'> | null,
  origin: string,
): string | null {
  if (!anchor || click.defaultPrevented || click.button !== 0) return null;
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return null;
  if (anchor.target !== '' || anchor.hasAttribute('download')) return null;
  let url: URL;
  try {
    url = new URL(anchor.href);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  return url.pathname + url.search;
}

/** An app's homepage as a link target: only an http or https address (a
 *  vendor's `javascript:` or `data:` URL is shown as text, never followed). */
export function safeHomepage(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
}
