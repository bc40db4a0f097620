// The scope picker's logic: the catalog grouped by module, what can be chosen
// (only the accesses the catalog allows, R2), filtering, All/None per module,
// and the sentence of a scope change's preview. Scope strings and labels are
// the core's (canonical in what it returns, labels in its catalog).
import type { Catalog } from '../bindings/Catalog';
import type { Module } from '../bindings/Module';
import type { Resource } from '../bindings/Resource';
import type { ScopePreview } from '../bindings/ScopePreview';

export type Access = 'r' | 'w';
export const ACCESS_LABEL: Record<Access, string> = { r: 'View', w: 'Modify' };

/** The accesses a resource allows, View first. */
export function allowed(resource: Resource): Access[] {
  const out: Access[] = [];
  if (resource.view) out.push('r');
  if (resource.modify) out.push('w');
  return out;
}

export function scopeOf(resource: string, access: Access): string {
  return `${resource}:${access}`;
}

/** The portal's label of a scope, `CRM › Customers (View)`, from the core's
 *  catalog; a scope the catalog no longer has shows as its own string. */
export function label(catalog: Catalog | null, scope: string): string {
  return catalog?.labels[scope] ?? scope;
}

/** Whether two selections hold the same scopes, in any order. */
export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  const other = new Set(b);
  return set.size === other.size && [...set].every((s) => other.has(s));
}

export interface ModuleView {
  module: Module;
  resources: Resource[];
}

/** Modules and resources matching `filter` (module or resource name, the
 *  scope's own name or the resource's description), modules with no match left
 *  out; with `only`, just the resources with a scope in it. */
export function filterCatalog(
  catalog: Catalog,
  filter: string,
  only: ReadonlySet<string> | null = null,
): ModuleView[] {
  const q = filter.trim().toLowerCase();
  const out: ModuleView[] = [];
  for (const module of catalog.modules) {
    const moduleHit = q === '' || module.displayName.toLowerCase().includes(q);
    const resources = module.scopes.filter(
      (r) =>
        (moduleHit ||
          r.displayName.toLowerCase().includes(q) ||
          r.name.toLowerCase().includes(q) ||
          r.description.toLowerCase().includes(q)) &&
        (only === null || allowed(r).some((a) => only.has(scopeOf(r.name, a)))),
    );
    if (resources.length > 0) out.push({ module, resources });
  }
  return out;
}

/** Every scope the given resources allow. */
export function choosable(resources: readonly Resource[]): string[] {
  return resources.flatMap((r) => allowed(r).map((a) => scopeOf(r.name, a)));
}

export function toggle(selected: ReadonlySet<string>, scope: string, on: boolean): Set<string> {
  const next = new Set(selected);
  if (on) next.add(scope);
  else next.delete(scope);
  return next;
}

/** What a module's buttons select: View only ("All"), every allowed access
 *  ("All + Modify"), or nothing ("None"). */
export type Bulk = 'view' | 'all' | 'none';

/** `bulk` applied to a module's shown resources. "All" adds only View, so
 *  that write access is always a deliberate choice; it leaves any Modify
 *  already chosen as it is. */
export function setAll(
  selected: ReadonlySet<string>,
  resources: readonly Resource[],
  bulk: Bulk,
): Set<string> {
  const next = new Set(selected);
  for (const r of resources) {
    for (const a of allowed(r)) {
      const s = scopeOf(r.name, a);
      if (bulk === 'none') next.delete(s);
      else if (bulk === 'all' || a === 'r') next.add(s);
    }
  }
  return next;
}

/** How many of `resources`' choosable scopes are selected. */
export function countSelected(selected: ReadonlySet<string>, resources: readonly Resource[]) {
  const all = choosable(resources);
  return { selected: all.filter((s) => selected.has(s)).length, of: all.length };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The headline of a scope change's preview: "Saving creates version 4;
 *  12 connections will show upgrade available". The scopes it adds and
 *  removes are listed under it, each with its label and string. */
export function previewHeadline(p: ScopePreview): string {
  if (p.nextVersion === null) return 'No change: saving would leave the scopes as they are.';
  const behind =
    p.connectionsBehind === 0
      ? 'no connection will show upgrade available'
      : `${plural(p.connectionsBehind, 'connection')} will show upgrade available`;
  return `Saving creates version ${p.nextVersion}: ${p.added.length} added, ${p.removed.length} removed; ${behind}.`;
}

/** The resource of a scope string (`tn.crm.customers:r` → `tn.crm.customers`). */
export function resourceOf(scope: string): string {
  const i = scope.lastIndexOf(':');
  return i < 0 ? scope : scope.slice(0, i);
}

/** Scopes of `scopes` whose resource the catalog in use retired (issue 12),
 *  with the catalog version that retired it. */
export function retiredScopes(
  catalog: Catalog | null,
  scopes: readonly string[],
): { scope: string; retiredIn: string }[] {
  const retired = catalog?.retired ?? {};
  return scopes.flatMap((scope) => {
    const r = retired[resourceOf(scope)];
    return r ? [{ scope, retiredIn: r.retiredIn }] : [];
  });
}

/** What `to` has that `from` has not (added) and the reverse (removed): two
 *  versions compared, each sorted. */
export function compareSets(
  from: readonly string[],
  to: readonly string[],
): { added: string[]; removed: string[] } {
  const a = new Set(from);
  const b = new Set(to);
  return {
    added: [...b].filter((s) => !a.has(s)).sort(),
    removed: [...a].filter((s) => !b.has(s)).sort(),
  };
}
