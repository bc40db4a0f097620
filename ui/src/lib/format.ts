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

/**
 * `2026-11-28 17:40:05 UTC+01:00`: local time to the second, with the offset
 * from UTC it was shown in, so a time read off the screen is unambiguous.
 */
export function whenExact(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const p = (n: number) => String(n).padStart(2, '0');
  const east = -d.getTimezoneOffset();
  const zone = east === 0 ? 'UTC' : `UTC${east > 0 ? '+' : '-'}${p(Math.floor(Math.abs(east) / 60))}:${p(Math.abs(east) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`;
}
