// How an import plan, its problems and its progress read in the window. The
// plan itself is the core's (ImportPlan); nothing here decides what an import
// does, it only words it.
import type { FileProblem } from '../bindings/FileProblem';
import type { ImportPlan } from '../bindings/ImportPlan';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { PlannedApp } from '../bindings/PlannedApp';

/** `2 to create, 1 to update, 3 unchanged`, leaving out what is zero. */
export function summarizePlan(plan: ImportPlan): string {
  const parts = [
    plan.create ? `${plan.create} to create` : '',
    plan.update ? `${plan.update} to update` : '',
    plan.unchanged ? `${plan.unchanged} unchanged` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'No apps in the files';
}

/** `1 app needs a look before you import: see its warning.`, or '' when none. */
export function warningsText(plan: ImportPlan): string {
  const warned = plan.apps.filter((a) => a.warnings.length > 0).length;
  if (warned === 0) return '';
  return warned === 1
    ? '1 app needs a look before you import: see its warning.'
    : `${warned} apps need a look before you import: see their warnings.`;
}

/**
 * The apps a plan lists: those it creates or updates, the ones with warnings
 * first, so that a warning is seen even when a long plan is cut short.
 */
export function listedApps(plan: ImportPlan): PlannedApp[] {
  const changing = plan.apps.filter((a) => a.action !== 'unchanged');
  return [
    ...changing.filter((a) => a.warnings.length > 0),
    ...changing.filter((a) => a.warnings.length === 0),
  ];
}

/** Shown with the new plan when a confirmed plan no longer held. */
export const PLAN_CHANGED_TEXT =
  'The files or the apps changed after the plan was shown, so nothing was imported. ' +
  'This is the plan as it is now: check it and import again.';

/** Whether confirming would write anything. */
export function changesAnything(plan: ImportPlan): boolean {
  return plan.create + plan.update > 0;
}

/** `apps/a.json:3:14`, or just the file when the problem has no position. */
export function problemLocation(p: FileProblem): string {
  return p.line != null && p.column != null ? `${p.file}:${p.line}:${p.column}` : p.file;
}

/** The last part of a path, for a compact list. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** `Wrote dispatch-board-0000abcd.json`, or `Wrote 3 files to /tmp/out/`. */
export function writtenText(paths: readonly string[]): string {
  const [first] = paths;
  if (first === undefined) return 'Nothing was written';
  if (paths.length === 1) return `Wrote ${first}`;
  const dir = first.slice(0, first.length - baseName(first).length);
  return `Wrote ${paths.length} files to ${dir}`;
}

/** One line per change of a planned app, in the order a reviewer reads them. */
export function changeLines(app: PlannedApp): string[] {
  const lines = app.changes.map((c) => `${c.field}: ${c.from || '(empty)'} → ${c.to || '(empty)'}`);
  const scopes = [
    ...app.scopesAdded.map((s) => `+${s}`),
    ...app.scopesRemoved.map((s) => `−${s}`),
  ];
  if (scopes.length) {
    const version = app.newVersion != null ? ` (makes version ${app.newVersion})` : '';
    lines.push(`Scopes${version}: ${scopes.join(', ')}`);
  }
  const tenants = [
    ...app.tenantsAdded.map((t) => `+${t}`),
    ...app.tenantsRemoved.map((t) => `−${t}`),
  ];
  if (tenants.length) lines.push(`Tenants: ${tenants.join(', ')}`);
  if (app.tenantNotesChanged.length) {
    lines.push(`Tenant notes changed: ${app.tenantNotesChanged.join(', ')}`);
  }
  return lines;
}

/** `Applying 200 of 10,000 apps`. */
export function progressText(p: ImportProgress): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const [verb, one] = p.stage === 'reading' ? ['Reading', 'file'] : ['Applying', 'app'];
  return `${verb} ${n(p.done)} of ${n(p.total)} ${p.total === 1 ? one : `${one}s`}`;
}

/** What an import did, once applied. */
export function appliedText(plan: ImportPlan): string {
  const done = [
    plan.create ? `created ${plan.create}` : '',
    plan.update ? `updated ${plan.update}` : '',
  ].filter(Boolean);
  const what = done.length ? done.join(' and ') : 'changed nothing';
  return `Imported: ${what} (${plan.unchanged} unchanged).`;
}
