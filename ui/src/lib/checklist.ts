// Maps the core's problems (each naming its field: `name`, `homepageUrl`,
// `tenants[2].id`, `scopes[0]`) to the form's fields, so that each message sits
// next to its field and the checklist lists them in the form's order.
import type { AppInput } from '../bindings/AppInput';
import type { Problem } from '../bindings/Problem';

/** The form's fields in order: the core's AppInput fields (checked by the compiler). */
export const FORM_FIELDS = [
  'name',
  'organization',
  'homepageUrl',
  'audience',
  'credentials',
  'tenants',
  'scopes',
] as const satisfies readonly (keyof AppInput)[];
export type FormField = (typeof FORM_FIELDS)[number];

export const FIELD_LABEL: Record<FormField, string> = {
  name: 'Name',
  organization: 'Organization',
  homepageUrl: 'Homepage URL',
  audience: 'Audience',
  credentials: 'Credentials management',
  tenants: 'Tenant IDs',
  scopes: 'API scopes',
};

/** The form field a problem's field path belongs to (`tenants[2].id` → `tenants`). */
export function formField(path: string): FormField | null {
  const head = path.split(/[.[]/, 1)[0] ?? '';
  return (FORM_FIELDS as readonly string[]).includes(head) ? (head as FormField) : null;
}

/** For `tenants[2].id`: the row (2) and the part (`id`); null otherwise. */
export function tenantRef(path: string): { index: number; part: 'id' | 'note' } | null {
  const m = /^tenants\[(\d+)\]\.(id|note)$/.exec(path);
  return m ? { index: Number(m[1]), part: m[2] as 'id' | 'note' } : null;
}

export function problemsFor(problems: readonly Problem[], field: FormField): Problem[] {
  return problems.filter((p) => formField(p.field) === field);
}

/** The problems of one tenant row's id or note. */
export function tenantProblems(
  problems: readonly Problem[],
  index: number,
  part: 'id' | 'note',
): Problem[] {
  return problems.filter((p) => {
    const r = tenantRef(p.field);
    return r !== null && r.index === index && r.part === part;
  });
}

export interface ChecklistItem {
  field: FormField | null;
  label: string;
  message: string;
}

/** The checklist: every problem, in the form's field order, labelled. */
export function checklist(problems: readonly Problem[]): ChecklistItem[] {
  const order = (p: Problem) => {
    const f = formField(p.field);
    return f === null ? FORM_FIELDS.length : FORM_FIELDS.indexOf(f);
  };
  return [...problems]
    .map((p, i) => ({ p, i }))
    .sort((a, b) => order(a.p) - order(b.p) || a.i - b.i)
    .map(({ p }) => {
      const field = formField(p.field);
      return { field, label: field ? FIELD_LABEL[field] : p.field, message: p.message };
    });
}
