// Typed calls to the shell's commands. Every type here is generated from the
// Rust types (../bindings, checked for drift by `cargo test -p appdesk-desktop`).
import { Channel, invoke } from '@tauri-apps/api/core';
import type { ActivityEntry } from '../bindings/ActivityEntry';
import type { BehindRow } from '../bindings/BehindRow';
import type { LedgerFilter } from '../bindings/LedgerFilter';
import type { NotesText } from '../bindings/NotesText';
import type { ReportFormat } from '../bindings/ReportFormat';
import type { UpgradeRequest } from '../bindings/UpgradeRequest';
import type { UpgradeTarget } from '../bindings/UpgradeTarget';
import type { ActivityFacets } from '../bindings/ActivityFacets';
import type { ActivityQuery } from '../bindings/ActivityQuery';
import type { App } from '../bindings/App';
import type { AppEdit } from '../bindings/AppEdit';
import type { AppInput } from '../bindings/AppInput';
import type { AppSummary } from '../bindings/AppSummary';
import type { Catalog } from '../bindings/Catalog';
import type { ConnectionOutcome } from '../bindings/ConnectionOutcome';
import type { ConnectionView } from '../bindings/ConnectionView';
import type { DeletedApp } from '../bindings/DeletedApp';
import type { Environment } from '../bindings/Environment';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { ImportPlan } from '../bindings/ImportPlan';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { PathKind } from '../bindings/PathKind';
import type { PathRequest } from '../bindings/PathRequest';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { ErrorCode } from '../bindings/ErrorCode';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { ListQuery } from '../bindings/ListQuery';
import type { Page } from '../bindings/Page';
import type { ScopeChange } from '../bindings/ScopeChange';
import type { ScopePreview } from '../bindings/ScopePreview';
import type { Settings } from '../bindings/Settings';
import type { TenantAdd } from '../bindings/TenantAdd';

/** A command's failure, with the core's `{code, message, field, problems}`. */
export class ApiError extends Error {
  readonly body: ErrorBody;
  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.body = body;
  }
}

/** Every code the core defines (the Record makes the compiler check the list
 *  against the generated ErrorCode type, both ways). */
const CODES: Record<ErrorCode, true> = {
  invalid: true,
  invalid_file: true,
  not_found: true,
  ambiguous: true,
  conflict: true,
  not_allowed: true,
  schema_too_new: true,
  open_failed: true,
  no_database: true,
  read_only: true,
  busy: true,
  corrupt: true,
  plan_changed: true,
  secrets: true,
  catalog: true,
  database: true,
  io: true,
  internal: true,
  usage: true,
  output: true,
  unauthorized: true,
  malformed: true,
  precondition_failed: true,
  precondition_required: true,
  method_not_allowed: true,
  too_large: true,
  gone: true,
  idempotency_key_reused: true,
  in_progress: true,
  unreachable: true,
  timeout: true,
  remote_failed: true,
  cross_origin: true,
};

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(CODES, code);
}

/** Whatever a command rejected with, as an ErrorBody: the core's body as it
 *  came, anything else (a thrown string, a body with a code the core does not
 *  define) as an `internal` error. */
export function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ApiError) return e.body;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const o = e as {
      code: unknown;
      message: unknown;
      field?: unknown;
      problems?: unknown;
      fileProblems?: unknown;
    };
    if (isErrorCode(o.code)) {
      return {
        code: o.code,
        message: String(o.message),
        field: typeof o.field === 'string' ? o.field : null,
        problems: Array.isArray(o.problems) ? (o.problems as ErrorBody['problems']) : undefined,
        fileProblems: Array.isArray(o.fileProblems)
          ? (o.fileProblems as ErrorBody['fileProblems'])
          : undefined,
      };
    }
  }
  const message =
    e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  return { code: 'internal', message, field: null };
}

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw new ApiError(toErrorBody(e));
  }
}

type Conn = { app: string; tenant: string; env: Environment };

export const api = {
  listApps: (query: ListQuery) => call<Page<AppSummary>>('list_apps', { query }),
  getApp: (app: string) => call<App>('get_app', { app }),
  editApp: (app: string, edit: AppEdit) => call<App>('edit_app', { app, edit }),
  deleteApp: (app: string) => call<DeletedApp>('delete_app', { app }),
  saveDraft: (input: AppInput) => call<App>('save_draft', { input }),
  updateDraft: (app: string, input: AppInput) => call<App>('update_draft', { app, input }),
  createDraft: (app: string) => call<App>('create_draft', { app }),
  catalog: () => call<Catalog>('catalog'),
  previewScopes: (app: string, scopes: string[]) =>
    call<ScopePreview>('preview_scopes', { app, scopes }),
  setScopes: (app: string, scopes: string[]) => call<ScopeChange>('set_scopes', { app, scopes }),
  history: (app: string) => call<HistoryEntry[]>('history', { app }),
  changeTenants: (app: string, add: TenantAdd[], remove: string[]) =>
    call<App>('change_tenants', { app, add, remove }),
  connections: (app: string) => call<ConnectionView[]>('connections', { app }),
  connect: (c: Conn) => call<ConnectionView>('connect', c),
  upgrade: (c: Conn) => call<ConnectionOutcome>('upgrade', c),
  disable: (c: Conn) => call<ConnectionOutcome>('disable', c),
  enable: (c: Conn) => call<ConnectionOutcome>('enable', c),
  regenerateSecret: (c: Conn) => call<ConnectionOutcome>('regenerate_secret', c),
  /** A new secret; the current one stays valid until retired. */
  rotateSecret: (c: Conn) => call<ConnectionOutcome>('rotate_secret', c),
  retirePreviousSecret: (c: Conn) => call<ConnectionOutcome>('retire_previous_secret', c),
  /** The ledger of connections behind, oldest first. */
  behind: (filter: LedgerFilter) => call<BehindRow[]>('behind', { filter }),
  requestUpgrades: (targets: UpgradeTarget[]) =>
    call<UpgradeRequest[]>('request_upgrades', { targets }),
  upgradeNotes: (app: string, from: number | null, to: number | null) =>
    call<NotesText>('upgrade_notes', { app, from, to }),
  /** The save dialog for the ledger's report; null when cancelled. */
  chooseReportPath: (format: ReportFormat) => call<string | null>('choose_report_path', { format }),
  exportBehind: (filter: LedgerFilter, path: string, format: ReportFormat) =>
    call<string>('export_behind', { filter, path, format }),
  activity: (app: string | null, limit: number) => call<ActivityEntry[]>('activity', { app, limit }),
  activityWhere: (query: ActivityQuery) => call<ActivityEntry[]>('activity_where', { query }),
  activityFacets: () => call<ActivityFacets>('activity_facets'),
  /** Writes the entries `query` selects to `path` as CSV; how many. */
  exportActivity: (path: string, query: ActivityQuery) =>
    call<number>('export_activity', { path, query }),
  /** Opens the folder of a Settings path in the system's file manager. */
  showInFolder: (which: PathKind) => call<null>('show_in_folder', { which }),
  settings: () => call<Settings>('settings'),
  setUser: (name: string) => call<Settings>('set_user', { name }),
  changeToken: () => call<number>('change_token'),
  /** The window's title names the open app ("NAME — Appdesk"); null: none. */
  setWindowTitle: (app: string | null) => call<null>('set_window_title', { app }),
  /** Opens a native file dialog; the chosen paths, none when cancelled. */
  choosePaths: (request: PathRequest) => call<string[]>('choose_paths', { request }),
  exportApp: (app: string, path: string, history: boolean, format: ExportFormat) =>
    call<string[]>('export_app', { app, path, history, format }),
  exportAll: (dir: string, history: boolean, format: ExportFormat) =>
    call<string[]>('export_all', { dir, history, format }),
  /** What importing would do; writes nothing. Problems come as `fileProblems`. */
  planImport: (paths: string[]) => call<ImportPlan>('plan_import', { paths }),
  /**
   * Applies the plan the user confirmed, named by its fingerprint; fails with
   * `plan_changed` (nothing written) when the files or the apps changed since.
   */
  applyImport: (paths: string[], fingerprint: string, onprogress: (p: ImportProgress) => void) => {
    const progress = new Channel<ImportProgress>();
    progress.onmessage = onprogress;
    return call<ImportPlan>('apply_import', { paths, fingerprint, progress });
  },
};
