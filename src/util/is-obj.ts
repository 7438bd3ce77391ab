/** True for a plain JSON-like object: not null, not an array (a parsed record, a hook payload's field). Pure. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
