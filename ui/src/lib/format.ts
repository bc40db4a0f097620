// How times and counts read in the window.

/** `2026-11-28 17:40` in local time, from an RFC 3339 UTC string. */
export function when(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function envLabel(env: string): string {
  return env === 'production' ? 'Production' : env === 'integration' ? 'Integration' : env;
}
