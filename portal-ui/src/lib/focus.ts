// Where focus goes when a screen replaces another: its heading, unless the
// user already put focus somewhere (a keyboard user is never moved twice).

/** Focuses `el` when focus was lost with the screen that went (it sits on
 *  <body>, or nowhere). */
export function focusIfLost(el: HTMLElement | null | undefined): void {
  const active = document.activeElement;
  if (el && (active === null || active === document.body)) el.focus();
}
