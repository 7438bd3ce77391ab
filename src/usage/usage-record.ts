import { isEpochMs } from '../claude/figure-bounds.ts';
import type { TokenCounts } from './tokens.ts';
import { isObj } from '../util/is-obj.ts';

/** One API response's usage as found in a transcript (before dedupe). */
export interface UsageEntry {
  /** Dedupe key: `message.id + ':' + requestId`, or `message.id` alone; null when there is no message.id. */
  key: string | null;
  /** The outer record's `sessionId` (else the embedded message's), or null. */
  sessionId: string | null;
  /** Epoch milliseconds of the record's `timestamp` (in [2000, 2200] UTC), or null when the record has none. */
  timeMs: number | null;
  /** `message.model`, or '' when absent. */
  model: string;
  tokens: TokenCounts;
}

/**
 * What one transcript record is for the accounting rule: a usage entry; `malformed` (a usage record
 * whose figures cannot be trusted: see `readUsageRecord`), with why; or null (not a usage record).
 */
export type UsageRecordRead = UsageEntry | { malformed: string } | null;

type Obj = Record<string, unknown>;

/**
 * Whether `v` is a token count cco accepts from a transcript: a JSON number that is a non-negative safe
 * integer (Number.isSafeInteger, so <= 2^53 - 1). Claude Code writes the Messages API's counts as
 * integers; a float, a string, a negative or a count past 2^53 is not one, and guessing what it meant
 * (truncating, parsing, taking 0) would count tokens nobody used or drop ones that were. Pure.
 */
export function isTokenCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

const FIELDS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;

/**
 * The accounting rule of DESIGN.md, for one JSON value from a transcript line, validated at the edge:
 * this is the one place usage figures are read from a transcript (the hooks' per-file digests, the
 * report's scan and the context commands all come through it). A usage record is an `assistant` record
 * with `message.usage`, or a `progress` record whose `data.message` is such an assistant record (a
 * subagent's turn embedded in the parent transcript).
 *
 * Returns null for anything else, and `{ malformed }` for a usage record that cannot be counted as
 * written, so that callers count it as malformed and leave its tokens out of every figure:
 * - a count of `message.usage` present but not a token count (`isTokenCount`: 1e20, -5, "100", 10.5,
 *   null, {}, [], true, 2^53); an absent count is 0 (older records omit the cache fields);
 * - a `timestamp` present but not an ISO time Date.parse reads within 2000-01-01..2200-01-01 UTC
 *   (figure-bounds.ts `isEpochMs`): it would name a day no calendar shows and fall in no 5-hour
 *   block while counting in the totals. A record with no timestamp at all keeps `timeMs: null` (DESIGN.md:
 *   counted, in no block and no day).
 * Pure; never throws.
 */
export function readUsageRecord(rec: unknown): UsageRecordRead {
  if (!isObj(rec)) return null;
  let inner: Obj;
  if (rec.type === 'assistant') inner = rec;
  else if (rec.type === 'progress' && isObj(rec.data) && isObj(rec.data.message) && rec.data.message.type === 'assistant') inner = rec.data.message;
  else return null;
  const m = inner.message;
  if (!isObj(m) || !isObj(m.usage)) return null;
  const u = m.usage;
  const tokens = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  for (const f of FIELDS) {
    const v = u[f];
    if (v === undefined) continue;
    if (!isTokenCount(v)) return { malformed: `usage.${f} ${describe(v)} is not a token count` };
    tokens[f] = v;
  }
  const rawTs = inner.timestamp !== undefined ? inner.timestamp : rec.timestamp;
  let timeMs: number | null = null;
  if (rawTs !== undefined && rawTs !== null) {
    const t = typeof rawTs === 'string' ? Date.parse(rawTs) : NaN;
    if (!isEpochMs(t)) return { malformed: `timestamp ${describe(rawTs)} is not a time in 2000-2200` };
    timeMs = t;
  }
  const mid = typeof m.id === 'string' && m.id.length > 0 ? m.id : null;
  const rid = typeof inner.requestId === 'string' && inner.requestId.length > 0 ? inner.requestId : null;
  const sid = typeof rec.sessionId === 'string' ? rec.sessionId : typeof inner.sessionId === 'string' ? inner.sessionId : null;
  return {
    key: mid === null ? null : rid === null ? mid : `${mid}:${rid}`,
    sessionId: sid,
    timeMs,
    model: typeof m.model === 'string' ? m.model : '',
    tokens,
  };
}

/** `readUsageRecord` for callers that only want countable entries: a malformed usage record is null too. Pure. */
export function usageOf(rec: unknown): UsageEntry | null {
  const r = readUsageRecord(rec);
  return r === null || 'malformed' in r ? null : r;
}

/** A short JSON rendering of a hostile value for a log line or a reason. */
function describe(v: unknown): string {
  const s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
