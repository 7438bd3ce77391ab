/**
 * A session's estimate as a person writes it, in a markdown plan (`- tokens: 120k`, `- share: 50%`) or on
 * the command line (`cco plan add --tokens 120k`). Pure.
 */

/**
 * Parses `80000`, `80,000`, `80k`, `1.2M` as a whole number of tokens; null when it is none (or past
 * Number.MAX_SAFE_INTEGER, where it is no exact count).
 */
export function parseTokenCount(text: string): number | null {
  const m = /^\s*(\d+(?:[.,_]\d+)*)\s*([kKmM])?\s*(?:tokens?)?\s*$/.exec(text);
  if (!m) return null;
  const suffix = m[2]?.toLowerCase();
  const raw = m[1]!.replace(/[,_]/g, '');
  if (suffix === undefined && raw.includes('.')) return null;
  const n = Math.round(Number(raw) * (suffix === 'k' ? 1_000 : suffix === 'm' ? 1_000_000 : 1));
  // A safe integer, as the queue's schema holds `tokens` to (z.int()): 1e20 would be written and then refused.
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Parses `0.5` or `50%` as a share of one window, above 0; null otherwise. A share above 1 (`150%`) is
 * returned: the import refuses it as larger than one window, naming the budget.
 */
export function parseShare(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return n > 0 ? n : null;
}
