/** A deadline as people read it in mail: `2026-12-07 09:30 UTC` (the desk keeps ISO instants). */
export function whenHelper(iso: unknown): string {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return typeof iso === 'string' ? iso : '';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
