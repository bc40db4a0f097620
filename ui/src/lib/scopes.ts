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

/** Modules and resources matching `filter` (module or resource name, or the
 *  scope's own name), modules with no match left out. */
export function filterCatalog(catalog: Catalog, filter: string): ModuleView[] {
  const q = filter.trim().toLowerCase();
  const out: ModuleView[] = [];
  for (const module of catalog.modules) {
    const moduleHit = q === '' || module.displayName.toLowerCase().includes(q);
    const resources = moduleHit
      ? module.scopes
      : module.scopes.filter(
          (r) => r.displayName.toLowerCase().includes(q) || r.name.toLowerCase().includes(q),
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

/** All (or None) of a module's shown resources, in every access they allow. */
export function setAll(
  selected: ReadonlySet<string>,
  resources: readonly Resource[],
  on: boolean,
): Set<string> {
  const next = new Set(selected);
  for (const s of choosable(resources)) {
    if (on) next.add(s);
    else next.delete(s);
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

/** "Saving creates version 4: +Dispatch › Capacity (Modify), −CRM › Leads (View);
 *  12 connections will show upgrade available". */
export function previewSentence(catalog: Catalog | null, p: ScopePreview): string {
  if (p.nextVersion === null) return 'No change: saving would leave the scopes as they are.';
  const parts = [
    ...p.added.map((s) => `+${label(catalog, s)}`),
    ...p.removed.map((s) => `−${label(catalog, s)}`),
  ];
  const behind =
    p.connectionsBehind === 0
      ? 'no connection will show upgrade available'
      : `${plural(p.connectionsBehind, 'connection')} will show upgrade available`;
  return `Saving creates version ${p.nextVersion}: ${parts.join(', ')}; ${behind}`;
}
