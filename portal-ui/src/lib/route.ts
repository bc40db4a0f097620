// The console's two screens as hash routes (no router library): `#/` is the
// list, `#/apps/<id>` an app's page. A hash keeps every path the portal
// serves at `/`, and nothing secret ever goes into it.

export type Route = { screen: 'list' } | { screen: 'app'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/apps\/([^/?#]+)$/.exec(hash);
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
  return `#/apps/${encodeURIComponent(id)}`;
}
