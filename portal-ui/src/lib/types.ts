// The wire shapes the console reads, as CONTRACT.md (issue 19 §2) and the
// portal's OpenAPI document give them. Only the fields the console uses are
// declared; the portal may send more.

export type Environment = 'integration' | 'production';
export const ENVIRONMENTS: readonly Environment[] = ['integration', 'production'];

export type Me =
  | { kind: 'member'; user: string; workspace: string; role?: 'owner' | 'editor' | 'viewer' }
  | { kind: 'tenantAdmin'; user: string; tenants: string[] };

/** One of the admin's own connections, as the admin's app list carries it. */
export interface ConnectionSummary {
  tenantId: string;
  environment: Environment;
  status: 'active' | 'disabled';
  version: number;
  latestVersion: number;
  /** Versions behind the latest, as the portal decided it. */
  behindBy: number;
  /** Whether a rotation's previous secret still works (portals that rotate
   *  say so in the connections list; absent elsewhere). */
  hasPreviousSecret?: boolean;
}

/** An item of `GET /v1/apps`: a whole app for a member, a TenantAdminApp for an admin. */
export interface AppItem {
  id: string;
  name: string;
  organization: string;
  homepageUrl: string;
  revision: number;
  scopes: string[];
  tenants: { id: string; note?: string }[];
  /** The latest version (TenantAdminApp only). */
  version?: number;
  /** The admin's own tenants' connections (TenantAdminApp only). */
  connections?: ConnectionSummary[];
}

/** A page of `GET /v1/apps`; `Api.apps` answers all of them as one. */
export interface AppList {
  items: AppItem[];
  /** The feed cursor of the listing (of its first page). */
  cursor?: string;
  /** The `cursor` of the next page; absent on the last. */
  nextCursor?: string;
}

/** `GET /v1/apps/{id}/connections` and the answer of an action. */
export interface Connection extends ConnectionSummary {
  clientId: string;
  connectedAt: string;
  upgradeAvailable?: boolean;
  previousSecretCreatedAt?: string;
  clientSecret?: string;
}

export interface HistoryEntry {
  version: number;
  scopes: string[];
  added: string[];
  removed: string[];
  createdAt: string;
  createdBy: string;
}

export interface Notes {
  from: number;
  to: number;
  text: string;
}

export interface UpgradeRequest {
  id: string;
  appId: string;
  appName: string;
  tenantId: string;
  environment: Environment;
  fromVersion: number;
  toVersion: number;
  notes: string;
  requestedBy: string;
  requestedAt: string;
  state: 'waiting' | 'stale' | 'done';
}

export interface CatalogResource {
  name: string;
  displayName: string;
  view: boolean;
  modify: boolean;
  description?: string;
}

export interface CatalogModule {
  id: string;
  displayName: string;
  scopes: CatalogResource[];
}

export interface Catalog {
  modules: CatalogModule[];
  retired?: Record<string, { module: string; displayName: string }>;
}
