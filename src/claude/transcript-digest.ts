import { parseValues } from './jsonl-lines.ts';
import { usageOf, type UsageEntry } from '../usage/usage-record.ts';
import { contextTokens, totalTokens } from '../usage/tokens.ts';

/**
 * Everything this pack needs from one transcript file, folded line by line so that a later read only
 * adds what was appended. JSON-serializable: it is the per-file cache (see transcript-cache.ts).
 */
export interface FileDigest {
  /**
   * Usage entries with a key, deduplicated within the file (largest token total wins, the first copy on
   * a tie), in first-seen order, as tuples `[key, sessionId, timeMs, model, input, output, cacheCreation,
   * cacheRead]` to keep the cache small.
   */
  entries: EntryTuple[];
  /** Usage entries without `message.id`: all of them count. Same tuple shape, key null. */
  loose: EntryTuple[];
  /** Tool calls seen in this file, by tool name: calls and the characters of their inputs and results. */
  tools: Record<string, ToolTally>;
  /** Tool calls whose result has not been seen yet: tool_use id -> tool name. */
  pendingTools: Record<string, string>;
  /** The main chain's current context size, from the last usage or compaction record seen. */
  context: ContextReading | null;
  /**
   * A `sessionId` of the file: the first one seen, then the one of each parsed record (usage, tool
   * call or result); the first `cwd`; the last main-chain model.
   */
  sessionId: string | null;
  cwd: string | null;
  model: string | null;
  /** Epoch ms of the first and last usage entries (null until one is seen). */
  firstMs: number | null;
  lastMs: number | null;
  /** Non-blank lines read, and lines that were not (wholly) JSON: parsed lines that failed, and unparsed lines that cannot be one JSON object. */
  lines: number;
  malformedLines: number;
}

export type EntryTuple = [string | null, string | null, number | null, string, number, number, number, number];

/** One tool's tally: calls, and characters of tool_use inputs and tool_result contents. */
export interface ToolTally {
  calls: number;
  inputChars: number;
  resultChars: number;
}

/** Context-window fill of the main chain (tokens) at a point in time (epoch ms). */
export interface ContextReading {
  tokens: number;
  timeMs: number | null;
  /** `usage`: input + cache creation + cache read of the last main-chain response; `compaction`: `postTokens` of a compact boundary. */
  source: 'usage' | 'compaction';
}

/** An empty digest, for a file read from its first byte. */
export function emptyDigest(): FileDigest {
  return {
    entries: [], loose: [], tools: {}, pendingTools: {}, context: null,
    sessionId: null, cwd: null, model: null, firstMs: null, lastMs: null, lines: 0, malformedLines: 0,
  };
}

export function toTuple(e: UsageEntry): EntryTuple {
  const t = e.tokens;
  return [e.key, e.sessionId, e.timeMs, e.model, t.input_tokens, t.output_tokens, t.cache_creation_input_tokens, t.cache_read_input_tokens];
}

export function fromTuple(t: EntryTuple): UsageEntry {
  return {
    key: t[0], sessionId: t[1], timeMs: t[2], model: t[3],
    tokens: { input_tokens: t[4], output_tokens: t[5], cache_creation_input_tokens: t[6], cache_read_input_tokens: t[7] },
  };
}

export function tupleTotal(t: EntryTuple): number {
  return t[4] + t[5] + t[6] + t[7];
}

// Only lines holding one of these can change a digest; the rest (most of a transcript's bytes) are
// counted but never parsed.
const INTERESTING = ['"usage"', '"tool_use"', '"tool_result"', 'compact_boundary'];

/**
 * Folds complete transcript lines into `d` (mutated in place; also returned). `index` maps an entry
 * key to its position in `d.entries`; pass the same map across calls (see `indexEntries`). Each usage
 * entry that was added, or replaced a smaller copy, is pushed onto `changes` when given.
 */
export function digestLines(
  d: FileDigest,
  lines: readonly string[],
  index: Map<string, number>,
  changes?: UsageEntry[],
): FileDigest {
  for (const line of lines) {
    if (line.length === 0 || line.trim().length === 0) continue;
    d.lines++;
    if (!INTERESTING.some((s) => line.includes(s))) {
      // Not parsed (most of a transcript's bytes); a line that cannot even be one JSON object is still counted.
      if (!looksLikeObject(line)) d.malformedLines++;
      else if (d.sessionId === null || d.cwd === null) noteIds(d, line);
      continue;
    }
    const parsed = parseValues(line);
    if (!parsed.complete) d.malformedLines++;
    for (const v of parsed.values) digestRecord(d, v, index, changes);
  }
  return d;
}

/** Builds the key -> position map for a digest loaded from the cache. */
export function indexEntries(d: FileDigest): Map<string, number> {
  const m = new Map<string, number>();
  d.entries.forEach((t, i) => m.set(t[0]!, i));
  return m;
}

function looksLikeObject(line: string): boolean {
  const t = line.trim();
  return t.startsWith('{') && t.endsWith('}');
}

function noteIds(d: FileDigest, line: string): void {
  const { values } = parseValues(line);
  for (const v of values) noteRecordIds(d, v);
}

function noteRecordIds(d: FileDigest, v: unknown): void {
  if (!isObj(v)) return;
  if (typeof v.sessionId === 'string') d.sessionId = v.sessionId;
  if (d.cwd === null && typeof v.cwd === 'string') d.cwd = v.cwd;
}

function digestRecord(d: FileDigest, rec: unknown, index: Map<string, number>, changes: UsageEntry[] | undefined): void {
  if (!isObj(rec)) return;
  noteRecordIds(d, rec);
  const u = usageOf(rec);
  if (u !== null && addEntry(d, u, index)) changes?.push(u);
  if (rec.type === 'assistant' && isObj(rec.message)) {
    tallyToolUses(d, rec.message.content);
    if (rec.isSidechain !== true && u !== null) {
      d.context = { tokens: contextTokens(u.tokens), timeMs: u.timeMs, source: 'usage' };
      if (u.model.length > 0 && u.model !== '<synthetic>') d.model = u.model;
    }
  } else if (rec.type === 'user' && isObj(rec.message)) {
    tallyToolResults(d, rec.message.content);
  } else if (rec.type === 'system' && rec.subtype === 'compact_boundary' && isObj(rec.compactMetadata)) {
    const post = rec.compactMetadata.postTokens;
    if (typeof post === 'number' && post >= 0) {
      const t = typeof rec.timestamp === 'string' ? Date.parse(rec.timestamp) : NaN;
      d.context = { tokens: post, timeMs: Number.isNaN(t) ? null : t, source: 'compaction' };
    }
  }
}

/** Adds or grows an entry; true when the digest's usage changed. */
function addEntry(d: FileDigest, u: UsageEntry, index: Map<string, number>): boolean {
  if (u.timeMs !== null) {
    d.firstMs = d.firstMs === null ? u.timeMs : Math.min(d.firstMs, u.timeMs);
    d.lastMs = d.lastMs === null ? u.timeMs : Math.max(d.lastMs, u.timeMs);
  }
  if (u.key === null) {
    d.loose.push(toTuple(u));
    return true;
  }
  const at = index.get(u.key);
  if (at === undefined) {
    index.set(u.key, d.entries.length);
    d.entries.push(toTuple(u));
    return true;
  }
  if (totalTokens(u.tokens) > tupleTotal(d.entries[at]!)) {
    d.entries[at] = toTuple(u);
    return true;
  }
  return false;
}

function tallyToolUses(d: FileDigest, content: unknown): void {
  if (!Array.isArray(content)) return;
  for (const b of content) {
    if (!isObj(b) || b.type !== 'tool_use' || typeof b.name !== 'string' || typeof b.id !== 'string') continue;
    if (d.pendingTools[b.id] !== undefined) continue;
    const t = (d.tools[b.name] ??= { calls: 0, inputChars: 0, resultChars: 0 });
    t.calls++;
    t.inputChars += JSON.stringify(b.input ?? {}).length;
    d.pendingTools[b.id] = b.name;
  }
}

function tallyToolResults(d: FileDigest, content: unknown): void {
  if (!Array.isArray(content)) return;
  for (const b of content) {
    if (!isObj(b) || b.type !== 'tool_result' || typeof b.tool_use_id !== 'string') continue;
    const name = d.pendingTools[b.tool_use_id];
    if (name === undefined) continue;
    delete d.pendingTools[b.tool_use_id];
    const t = d.tools[name];
    if (t !== undefined) t.resultChars += contentChars(b.content);
  }
}

/** Characters of a tool_result's content: a string, or an array of text/image blocks. */
function contentChars(c: unknown): number {
  if (typeof c === 'string') return c.length;
  if (!Array.isArray(c)) return 0;
  let n = 0;
  for (const b of c) {
    if (isObj(b) && typeof b.text === 'string') n += b.text.length;
    else if (isObj(b) && b.type === 'image') n += 6_000; // an image costs roughly 1.5k tokens of context
  }
  return n;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
