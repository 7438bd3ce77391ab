import type { TokenCounts } from './tokens.ts';

/** One API response's usage as found in a transcript (before dedupe). */
export interface UsageEntry {
  /** Dedupe key: `message.id + ':' + requestId`, or `message.id` alone; null when there is no message.id. */
  key: string | null;
  /** The outer record's `sessionId` (else the embedded message's), or null. */
  sessionId: string | null;
  /** Epoch milliseconds of the record's `timestamp`, or null when absent or unparseable. */
  timeMs: number | null;
  /** `message.model`, or '' when absent. */
  model: string;
  tokens: TokenCounts;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A usage count as an integer >= 0 (JSON numbers may be floats, strings or missing in odd files). */
function count(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0;
  return Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0;
}

/**
 * The accounting rule of DESIGN.md, for one JSON value from a transcript line. A usage record is an
 * `assistant` record with `message.usage`, or a `progress` record whose `data.message` is such an
 * assistant record (a subagent's turn embedded in the parent transcript). Returns null for anything
 * else. Pure; never throws.
 */
export function usageOf(rec: unknown): UsageEntry | null {
  if (!isObj(rec)) return null;
  let inner: Obj;
  if (rec.type === 'assistant') inner = rec;
  else if (rec.type === 'progress' && isObj(rec.data) && isObj(rec.data.message) && rec.data.message.type === 'assistant')
    inner = rec.data.message;
  else return null;
  const m = inner.message;
  if (!isObj(m) || !isObj(m.usage)) return null;
  const u = m.usage;
  const mid = typeof m.id === 'string' && m.id.length > 0 ? m.id : null;
  const rid = typeof inner.requestId === 'string' && inner.requestId.length > 0 ? inner.requestId : null;
  const ts = typeof inner.timestamp === 'string' ? inner.timestamp : typeof rec.timestamp === 'string' ? rec.timestamp : null;
  const timeMs = ts === null ? null : Date.parse(ts);
  const sid = typeof rec.sessionId === 'string' ? rec.sessionId : typeof inner.sessionId === 'string' ? inner.sessionId : null;
  return {
    key: mid === null ? null : rid === null ? mid : `${mid}:${rid}`,
    sessionId: sid,
    timeMs: timeMs === null || Number.isNaN(timeMs) ? null : timeMs,
    model: typeof m.model === 'string' ? m.model : '',
    tokens: {
      input_tokens: count(u.input_tokens),
      output_tokens: count(u.output_tokens),
      cache_creation_input_tokens: count(u.cache_creation_input_tokens),
      cache_read_input_tokens: count(u.cache_read_input_tokens),
    },
  };
}
