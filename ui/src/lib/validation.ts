// When a form shows the core's problems: a field's problem appears once the
// field has been left (blur) or the form was submitted (Create), never while
// it is first typed into; and each problem appears once. The messages are the
// core's own plain words; the window decides only when to show them.
import type { Problem } from '../bindings/Problem';
import { formField, type FormField } from './checklist';

/** The problems to show: those of fields left or, after a submit, all; each
 *  (field and message) once. */
export function shownProblems(
  problems: readonly Problem[],
  left: ReadonlySet<FormField>,
  submitted: boolean,
): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const f = formField(p.field);
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key) || !(submitted || (f !== null && left.has(f)))) return false;
    seen.add(key);
    return true;
  });
}

/** `edit` without the fields the core refused: what can still be saved of it. */
export function withoutRefused<T extends object>(edit: T, problems: readonly Problem[]): Partial<T> {
  const refused = new Set(problems.map((p) => formField(p.field) ?? p.field));
  return Object.fromEntries(
    Object.entries(edit).filter(([k]) => !refused.has(k as FormField)),
  ) as Partial<T>;
}
