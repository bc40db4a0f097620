// A client secret on screen: masked until Reveal, never stored anywhere but
// the component that shows it once.

/** The masked form: one bullet per character (at least 8, at most 40), so the
 *  value cannot be read off the screen or a screenshot. */
export function mask(secret: string): string {
  return '•'.repeat(Math.min(40, Math.max(8, secret.length)));
}
