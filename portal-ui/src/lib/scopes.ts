// Scopes in plain words: a version's scope strings (`tn.crm.customers:r`,
// `…:w`) grouped by the catalog's API modules, each resource by its display
// name and description, with "View" or "View and modify". The catalog is the
// portal's (GET /v1/catalog); a scope it does not know is shown as its own
// string under "Other", never dropped.
import type { Catalog, CatalogResource } from './types';

export interface ResourceGrant {
  name: string;
  displayName: string;
  description: string;
  /** Whether the app may change this resource's data (a `:w` scope). */
  modify: boolean;
  /** "View" or "View and modify". */
  words: string;
}

export interface ModuleGrant {
  module: string;
  resources: ResourceGrant[];
}

export const OTHER_MODULE = 'Other';

function split(scope: string): { resource: string; access: string } {
  const at = scope.lastIndexOf(':');
  return at < 0 ? { resource: scope, access: '' } : { resource: scope.slice(0, at), access: scope.slice(at + 1) };
}

function accessWords(modify: boolean): string {
  return modify ? 'View and modify' : 'View';
}

/** The scopes grouped by module, modules and resources in the catalog's order
 *  (retired and unknown resources after them). */
export function groupScopes(scopes: readonly string[], catalog: Catalog | null): ModuleGrant[] {
  const modifyOf = new Map<string, boolean>();
  for (const scope of scopes) {
    const { resource, access } = split(scope);
    modifyOf.set(resource, (modifyOf.get(resource) ?? false) || access === 'w');
  }
  const out: ModuleGrant[] = [];
  const placed = new Set<string>();
  const grant = (r: Pick<CatalogResource, 'name' | 'displayName' | 'description'>): ResourceGrant => {
    const modify = modifyOf.get(r.name) ?? false;
    placed.add(r.name);
    return { name: r.name, displayName: r.displayName, description: r.description ?? '', modify, words: accessWords(modify) };
  };
  for (const module of catalog?.modules ?? []) {
    const resources = module.scopes.filter((r) => modifyOf.has(r.name)).map(grant);
    if (resources.length > 0) out.push({ module: module.displayName, resources });
  }
  const byModule = new Map<string, ResourceGrant[]>();
  for (const name of modifyOf.keys()) {
    if (placed.has(name)) continue;
    const retired = catalog?.retired?.[name];
    const module = retired?.module ?? OTHER_MODULE;
    const list = byModule.get(module) ?? [];
    list.push(grant({ name, displayName: retired?.displayName ?? name, description: retired ? 'No longer in the catalog' : '' }));
    byModule.set(module, list);
  }
  const unknown = byModule.get(OTHER_MODULE);
  byModule.delete(OTHER_MODULE);
  for (const [module, resources] of byModule) out.push({ module, resources });
  if (unknown) out.push({ module: OTHER_MODULE, resources: unknown });
  return out;
}

/** One scope as a line: `CRM › Customers (Modify)`. */
export function scopeLabel(scope: string, catalog: Catalog | null): string {
  const { resource, access } = split(scope);
  const verb = access === 'w' ? 'Modify' : access === 'r' ? 'View' : access;
  for (const module of catalog?.modules ?? []) {
    const r = module.scopes.find((s) => s.name === resource);
    if (r) return `${module.displayName} › ${r.displayName} (${verb})`;
  }
  const retired = catalog?.retired?.[resource];
  if (retired) return `${retired.module} › ${retired.displayName} (${verb})`;
  return scope;
}

/** What a version changed, in words ("Added …; removed …", or the first
 *  version's "First version"). */
export function changeWords(entry: { added: readonly string[]; removed: readonly string[] }, first: boolean, catalog: Catalog | null): string {
  const parts: string[] = [];
  if (entry.added.length > 0) parts.push(`Added ${entry.added.map((s) => scopeLabel(s, catalog)).join(', ')}`);
  if (entry.removed.length > 0) parts.push(`Removed ${entry.removed.map((s) => scopeLabel(s, catalog)).join(', ')}`);
  if (parts.length === 0) return first ? 'First version' : 'No scope change';
  return (first ? 'First version: ' : '') + parts.join('; ');
}
