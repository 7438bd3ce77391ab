import { isAscii } from 'node:buffer';
import { isEpochMs } from './figure-bounds.ts';
import { parseValues } from './jsonl-lines.ts';
import { windowModelOf } from './model-windows.ts';
import { isTokenCount, readUsageRecord, type UsageEntry } from '../usage/usage-record.ts';
import { contextTokens, totalTokens } from '../usage/tokens.ts';
import { isObj } from '../util/is-obj.ts';

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
  /**
   * Tool calls seen in this file, by tool name (see `ToolTally`). Calls are measured; tokens are the
   * attribution described at `digestLines`.
   */
  tools: Record<string, ToolTally>;
  /** The same tallies for the Task/Agent tool's calls, by `input.subagent_type` (`(unspecified)` when absent). */
  agentTypes: Record<string, ToolTally>;
  /** The same tallies for MCP tools (`mcp__<server>__<tool>`), by server. */
  mcpServers: Record<string, ToolTally>;
  /** Tool calls whose result has not been seen yet: tool_use id -> what its result is credited to. */
  pendingTools: Record<string, PendingCall>;
  /**
   * Attribution state per chain of requests in this file: `main` (records with `isSidechain !== true`)
   * and `agent:<agentId>` (sidechain records that name their agent, e.g. a subagent file). Sidechain
   * records without an `agentId` (older files interleave them with the main chain) belong to no chain.
   */
  chains: Record<string, ChainState>;
  /**
   * The tool_use tokens already credited for the response being read, `[key, tokens]`, so that the
   * blocks of one response (one line each) together stay within its `output_tokens`. Null at first.
   */
  lastUse: [string | null, number] | null;
  /** tool_results whose tool_use was not seen in this file (or that repeat an answered call): skipped. */
  unmatchedResults: number;
  /**
   * tool_results matched to a call whose result tokens cannot be measured: the call is on no chain,
   * a compaction came before the next request, or the chain had no earlier request to grow from.
   */
  unattributedResults: number;
  /** The main chain's current context size, from the last usage or compaction record seen. */
  context: ContextReading | null;
  /** Compaction boundaries seen in the file: the number of the context segment the main chain is in. */
  compactions: number;
  /**
   * The main chain's context size over time, since the last compaction: [epoch ms, tokens], at most one
   * point a minute after the segment's first (a later point in the same minute replaces it), the newest 60 kept.
   */
  contextSeries: [number, number][];
  /**
   * A `sessionId` of the file: the first one seen, then the one of each parsed record (usage, tool
   * call or result); the first `cwd`; the last main-chain model (its `requestedModel` when the record has
   * one: `claude-sonnet-4-6[1m]` where `message.model` says `claude-sonnet-4-6`; for an alias the model
   * table does not know, `message.model` with the alias's `[1m]`: `windowModelOf`).
   */
  sessionId: string | null;
  cwd: string | null;
  model: string | null;
  /** Epoch ms of the first and last usage entries (null until one is seen). */
  firstMs: number | null;
  lastMs: number | null;
  /**
   * Non-blank lines read, and malformed lines (see `digestLines`): lines that were not (wholly) JSON, and
   * lines with a usage record whose figures cannot be counted (left out of `entries` and `loose`).
   */
  lines: number;
  malformedLines: number;
}

export type EntryTuple = [string | null, string | null, number | null, string, number, number, number, number];

/**
 * One tool's (or group's) tally. `calls` is measured (tool_use blocks seen). `useTokens` (tokens) is the
 * estimate of the calls' own tool_use blocks: ceil(JSON input characters / 4), capped so that a
 * response's blocks together stay within its final `output_tokens`. `resultTokens` (tokens) is the
 * calls' tool_results' share of the next request's context growth, known for `samples` of the calls.
 */
export interface ToolTally {
  calls: number;
  useTokens: number;
  resultTokens: number;
  samples: number;
}

/** A call awaiting its result: `[tool name, subagent type or null, chain id or null]`. */
export type PendingCall = [string, string | null, string | null];

/** A result awaiting the next request of its chain: `[tool name, subagent type or null, result characters]`. */
export type AwaitingResult = [string, string | null, number];

/** What attribution remembers about one chain of requests. */
export interface ChainState {
  /** Dedupe key of the chain's last request (null when it had none, or none seen yet). */
  key: string | null;
  /** contextTokens (input + cache creation + cache read, tokens) of that request; null when none yet. */
  context: number | null;
  /** Results seen since that request, in order: the next request's context growth is split among them. */
  awaiting: AwaitingResult[];
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
    entries: [],
    loose: [],
    tools: {},
    agentTypes: {},
    mcpServers: {},
    pendingTools: {},
    chains: {},
    lastUse: null,
    unmatchedResults: 0,
    unattributedResults: 0,
    context: null,
    compactions: 0,
    contextSeries: [],
    sessionId: null,
    cwd: null,
    model: null,
    firstMs: null,
    lastMs: null,
    lines: 0,
    malformedLines: 0,
  };
}

export function toTuple(e: UsageEntry): EntryTuple {
  const t = e.tokens;
  return [e.key, e.sessionId, e.timeMs, e.model, t.input_tokens, t.output_tokens, t.cache_creation_input_tokens, t.cache_read_input_tokens];
}

export function fromTuple(t: EntryTuple): UsageEntry {
  return {
    key: t[0],
    sessionId: t[1],
    timeMs: t[2],
    model: t[3],
    tokens: { input_tokens: t[4], output_tokens: t[5], cache_creation_input_tokens: t[6], cache_read_input_tokens: t[7] },
  };
}

export function tupleTotal(t: EntryTuple): number {
  return t[4] + t[5] + t[6] + t[7];
}

/**
 * What a read folds: `all` (usage entries, tool calls, context: hooks, the tracker, `cco tools`) or
 * `usage` (usage entries and line counts only: `cco report`, which then parses only the lines that can
 * hold usage and never the tool results that make up most of a transcript's bytes). Both give the same
 * `entries`, `loose`, `lines`, `malformedLines`, `firstMs` and `lastMs` for the same bytes.
 */
export type DigestScope = 'all' | 'usage';

// Only lines holding one of these can change a digest; the rest are counted but never parsed.
const USAGE = '"usage"';
const OTHER_INTERESTING = ['"tool_use"', '"tool_result"', 'compact_boundary'];
const INTERESTING = [USAGE, ...OTHER_INTERESTING];
/** The same patterns as UTF-8 bytes (ASCII): a line's bytes hold one exactly when its decoded text does. */
const INTERESTING_BYTES = INTERESTING.map((s) => Buffer.from(s, 'latin1'));
const USAGE_BYTES = INTERESTING_BYTES[0]!;
/** The order the head of a long line is searched in: what sits near the start of a record first. */
const HEAD_BYTES = [INTERESTING_BYTES[2]!, INTERESTING_BYTES[1]!, INTERESTING_BYTES[0]!, INTERESTING_BYTES[3]!];
/** Lines longer than twice this are searched in their first and last `WINDOW` bytes before the whole line. */
const WINDOW = 1_024;

/**
 * Folds complete transcript lines into `d` (mutated in place; also returned). `index` maps an entry
 * key to its position in `d.entries`; pass the same map across calls (see `indexEntries`). Each usage
 * entry that was added, or replaced a smaller copy, is pushed onto `changes` when given. Folding lines
 * in several calls gives the same digest as one call (all state lives in `d`). `scope` says what is
 * folded (see `DigestScope`). Never throws.
 *
 * A line is malformed when it is not one JSON object by its shape (`{` ... `}` once trimmed), or when it
 * holds `"usage"` and is not wholly JSON, or when it holds a usage record whose figures cannot be
 * counted (`readUsageRecord`: a count that is not a non-negative safe integer, a timestamp outside
 * 2000-2200): the lines whose usage is lost, each counted once. Tool results that do not parse are not
 * counted (a `usage` read never parses them, and both scopes must agree).
 *
 * Tool attribution (tokens, estimates), per chain of requests (see `FileDigest.chains`):
 * - a tool_use block counts one call and its own tokens: ceil(JSON input chars / 4), capped by what is
 *   left of its response's `output_tokens` when that usage is final (`message.stop_reason` set; the
 *   copies Claude Code wrote while streaming, `stop_reason: null`, hold a partial output count);
 * - a tool_result (user record) waits, with its characters, for its chain's next request;
 * - that request (a usage entry with a new key; streamed copies of one response share a key and
 *   count once; entries with no context tokens, such as `<synthetic>` ones, are skipped) grows the
 *   context by max(0, contextTokens(it) - contextTokens(the chain's previous request)), counted at most
 *   as its new tokens (input + cache creation: its cache reads are not new), so that what calls are
 *   credited never exceeds what the quota counts; this growth is split among the waiting results in proportion to their characters (equally when all are empty),
 *   in whole tokens that add up to the growth, and each becomes one sample of its tool;
 * - a compaction boundary drops the main chain's waiting results (counted as unattributed) and
 *   forgets its previous request.
 */
export function digestLines(
  d: FileDigest,
  lines: readonly string[],
  index: Map<string, number>,
  changes?: UsageEntry[],
  scope: DigestScope = 'all',
): FileDigest {
  for (const line of lines) {
    if (line.length === 0 || line.trim().length === 0) continue;
    d.lines++;
    const shaped = looksLikeObject(line);
    if (!shaped) d.malformedLines++;
    const usage = line.includes(USAGE);
    if (!usage && (scope === 'usage' || !OTHER_INTERESTING.some((s) => line.includes(s)))) {
      // Not parsed (most of a transcript's bytes).
      if (shaped && (d.sessionId === null || d.cwd === null)) noteIds(d, line);
      continue;
    }
    const parsed = parseValues(line);
    let badUsage = false;
    for (const v of parsed.values) if (digestRecord(d, v, index, changes, scope)) badUsage = true;
    if (shaped && ((usage && !parsed.complete) || badUsage)) d.malformedLines++;
  }
  return d;
}

/**
 * The same fold as `digestLines`, over raw transcript bytes: the complete lines of `buf[start, end)`
 * (separated by `\n`; `end` is just past the last one's terminator or at the end of the last line).
 * Equivalent to `digestLines(d, buf.toString('utf8', start, end).split('\n'), ...)` (so equal digests),
 * but faster: a line is decoded only when it is parsed, and whether it holds an interesting pattern is
 * decided on its bytes (for a long line, first in its head and tail, where usage and tool blocks sit).
 * Never throws.
 */
export function digestBytes(
  d: FileDigest,
  buf: Buffer,
  start: number,
  end: number,
  index: Map<string, number>,
  changes?: UsageEntry[],
  scope: DigestScope = 'all',
): FileDigest {
  let p = start;
  while (p < end) {
    let nl = buf.indexOf(0x0a, p);
    if (nl < 0 || nl > end) nl = end;
    digestLineBytes(d, buf, p, nl, index, changes, scope);
    p = nl + 1;
  }
  return d;
}

/** ASCII characters `String.prototype.trim` removes (tab, LF, VT, FF, CR, space). */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function digestLineBytes(
  d: FileDigest,
  buf: Buffer,
  s: number,
  e: number,
  index: Map<string, number>,
  changes: UsageEntry[] | undefined,
  scope: DigestScope,
): void {
  let a = s;
  let b = e;
  while (a < b && isAsciiSpace(buf[a]!)) a++;
  while (b > a && isAsciiSpace(buf[b - 1]!)) b--;
  if (a === b) return; // blank
  // A non-ASCII first or last character may be Unicode white space (which trim() also removes, e.g. a
  // BOM or U+00A0): let the text path decide such (rare) lines exactly.
  if (buf[a]! >= 0x80 || buf[b - 1]! >= 0x80) {
    digestLines(d, [buf.toString('utf8', s, e)], index, changes, scope);
    return;
  }
  d.lines++;
  const line = buf.subarray(a, b);
  const shaped = buf[a] === 0x7b /* { */ && buf[b - 1] === 0x7d; /* } */
  if (!shaped) d.malformedLines++;
  if (!(scope === 'usage' ? hasUsage(line) : hasInteresting(line))) {
    if (shaped && (d.sessionId === null || d.cwd === null)) noteIds(d, decode(line));
    return;
  }
  const parsed = parseValues(decode(line));
  let badUsage = false;
  for (const v of parsed.values) if (digestRecord(d, v, index, changes, scope)) badUsage = true;
  // Rare (a line cut short): only then is it worth asking whether an `all` read parsed a line with usage.
  if (shaped && (badUsage || (!parsed.complete && (scope === 'usage' || hasUsage(line))))) d.malformedLines++;
}

/** Whether the line holds `"usage"`: searched first in its last WINDOW bytes (where an assistant record has it), then whole. */
function hasUsage(line: Buffer): boolean {
  if (line.length > 2 * WINDOW && line.subarray(line.length - WINDOW).indexOf(USAGE_BYTES) >= 0) return true;
  return line.indexOf(USAGE_BYTES) >= 0;
}

/**
 * Whether the line holds one of INTERESTING_BYTES. A long line is searched first where the patterns
 * sit in Claude Code's records (usage at the end of an assistant record, tool_use and tool_result near
 * the start of the message), then whole.
 */
function hasInteresting(line: Buffer): boolean {
  if (line.length > 2 * WINDOW) {
    if (line.subarray(line.length - WINDOW).indexOf(USAGE_BYTES) >= 0) return true;
    const head = line.subarray(0, WINDOW);
    for (const p of HEAD_BYTES) if (head.indexOf(p) >= 0) return true;
  }
  for (const p of INTERESTING_BYTES) if (line.indexOf(p) >= 0) return true;
  return false;
}

type SliceBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

/** The text of a line: an ASCII-only one (most lines) is copied byte for byte, faster than UTF-8 decoding and the same string. */
function decode(line: Buffer): string {
  const b = line as SliceBuffer;
  return isAscii(line) ? b.latin1Slice(0, line.length) : b.utf8Slice(0, line.length);
}

/** Builds the key -> position map for a digest loaded from the cache. */
export function indexEntries(d: FileDigest): Map<string, number> {
  const m = new Map<string, number>();
  d.entries.forEach((t, i) => {
    m.set(t[0]!, i);
  });
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

/** Folds one record; true when it is a usage record with figures that cannot be counted (`readUsageRecord`): its line is malformed. */
function digestRecord(d: FileDigest, rec: unknown, index: Map<string, number>, changes: UsageEntry[] | undefined, scope: DigestScope): boolean {
  if (!isObj(rec)) return false;
  noteRecordIds(d, rec);
  const read = readUsageRecord(rec);
  // A malformed usage record counts nowhere: not in usage, nor as a request of its chain, nor as context.
  const u = read === null || 'malformed' in read ? null : read;
  if (u !== null && addEntry(d, u, index)) changes?.push(u);
  if (scope === 'usage') return u !== read;
  if (rec.type === 'assistant' && isObj(rec.message)) {
    const chain = chainOf(rec);
    if (u !== null && chain !== null) nextRequest(d, chain, u);
    tallyToolUses(d, rec.message, u, chain);
    // A `<synthetic>` error response (a 429, an abort) carries zero usage: it says nothing of the context.
    if (rec.isSidechain !== true && u !== null && u.model !== '<synthetic>' && contextTokens(u.tokens) > 0) {
      d.context = { tokens: contextTokens(u.tokens), timeMs: u.timeMs, source: 'usage' };
      if (u.timeMs !== null && d.context.tokens > 0) addContextPoint(d, u.timeMs, d.context.tokens);
      // The model Claude Code sized the window for: `requestedModel` keeps a `[1m]` that `message.model` (the API's id)
      // drops, but may be an alias (`opus`, `sonnet[1m]`): then `message.model`, with the `[1m]` (windowModelOf).
      const model = windowModelOf(typeof rec.requestedModel === 'string' ? rec.requestedModel : null, u.model);
      if (model !== null) d.model = model;
    }
  } else if (rec.type === 'user' && isObj(rec.message)) {
    tallyToolResults(d, rec.message.content);
  } else if (rec.type === 'system' && rec.subtype === 'compact_boundary' && isObj(rec.compactMetadata)) {
    const chain = chainOf(rec);
    if (chain !== null) compacted(d, chain);
    if (rec.isSidechain !== true) {
      d.compactions++;
      d.contextSeries = [];
    }
    const post = rec.compactMetadata.postTokens;
    if (isTokenCount(post)) {
      const parsed = typeof rec.timestamp === 'string' ? Date.parse(rec.timestamp) : NaN;
      const t = isEpochMs(parsed) ? parsed : null;
      d.context = { tokens: post, timeMs: t, source: 'compaction' };
      if (t !== null && rec.isSidechain !== true) addContextPoint(d, t, post);
    }
  }
  return u !== read;
}

const SERIES_STEP_MS = 60_000;
const SERIES_MAX = 60;

function addContextPoint(d: FileDigest, timeMs: number, tokens: number): void {
  const last = d.contextSeries.at(-1);
  if (last !== undefined && timeMs < last[0]) return; // out of order (a resumed copy): keep the series monotonic
  if (last !== undefined && timeMs - last[0] < SERIES_STEP_MS && d.contextSeries.length > 1) d.contextSeries[d.contextSeries.length - 1] = [timeMs, tokens];
  else d.contextSeries.push([timeMs, tokens]);
  if (d.contextSeries.length > SERIES_MAX) d.contextSeries.splice(0, d.contextSeries.length - SERIES_MAX);
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

/** The chain id of a record: `main`, `agent:<agentId>` for a sidechain record naming its agent, else null. */
function chainOf(rec: Record<string, unknown>): string | null {
  if (rec.isSidechain !== true) return MAIN_CHAIN;
  return typeof rec.agentId === 'string' && rec.agentId.length > 0 ? `agent:${rec.agentId}` : null;
}

const MAIN_CHAIN = 'main';

function chainState(d: FileDigest, chain: string): ChainState {
  return (d.chains[chain] ??= { key: null, context: null, awaiting: [] });
}

/** A usage entry on `chain`: when it is a new request, its context growth pays for the waiting results. */
function nextRequest(d: FileDigest, chain: string, u: UsageEntry): void {
  const ctx = contextTokens(u.tokens);
  if (ctx === 0) return; // no usage to measure against (a <synthetic> error message, an empty record)
  const st = chainState(d, chain);
  if (u.key !== null && u.key === st.key) return; // a streamed copy of the request already seen
  if (st.awaiting.length > 0) {
    if (st.context === null) d.unattributedResults += st.awaiting.length;
    // The new tokens of this request (input + cache creation: what the quota counts of it, not the
    // cache reads), capped by its context growth: tool attribution never exceeds the counted tokens.
    else credit(d, st.awaiting, Math.min(Math.max(0, ctx - st.context), u.tokens.input_tokens + u.tokens.cache_creation_input_tokens));
    st.awaiting = [];
  }
  st.key = u.key;
  st.context = ctx;
}

function compacted(d: FileDigest, chain: string): void {
  const st = d.chains[chain];
  if (st === undefined) return;
  d.unattributedResults += st.awaiting.length;
  d.chains[chain] = { key: null, context: null, awaiting: [] };
}

/** Splits `growth` tokens among `results` by characters (cumulative rounding, so the parts sum to `growth`). */
function credit(d: FileDigest, results: readonly AwaitingResult[], growth: number): void {
  const totalChars = results.reduce((n, r) => n + r[2], 0);
  const weight = (r: AwaitingResult) => (totalChars > 0 ? r[2] : 1);
  const totalWeight = totalChars > 0 ? totalChars : results.length;
  let cum = 0;
  let given = 0;
  for (const r of results) {
    cum += weight(r);
    const upTo = Math.round((growth * cum) / totalWeight);
    const share = upTo - given;
    given = upTo;
    for (const t of talliesOf(d, r[0], r[1])) {
      t.resultTokens += share;
      t.samples++;
    }
  }
}

function tallyToolUses(d: FileDigest, message: Record<string, unknown>, u: UsageEntry | null, chain: string | null): void {
  const content = message.content;
  if (!Array.isArray(content)) return;
  // Final usage only: a streamed copy's output_tokens is a partial count and would cap too low.
  const cap = u !== null && typeof message.stop_reason === 'string' ? u.tokens.output_tokens : null;
  let used = cap !== null && u !== null && u.key !== null && d.lastUse !== null && d.lastUse[0] === u.key ? d.lastUse[1] : 0;
  for (const b of content) {
    if (!isObj(b) || b.type !== 'tool_use' || typeof b.name !== 'string' || typeof b.id !== 'string') continue;
    if (d.pendingTools[b.id] !== undefined) continue;
    let tokens = Math.ceil(JSON.stringify(b.input ?? {}).length / CHARS_PER_TOKEN);
    if (cap !== null) {
      tokens = Math.min(tokens, Math.max(0, cap - used));
      used += tokens;
    }
    const agentType = subagentTypeOf(b.name, b.input);
    for (const t of talliesOf(d, b.name, agentType)) {
      t.calls++;
      t.useTokens += tokens;
    }
    d.pendingTools[b.id] = [b.name, agentType, chain];
  }
  if (cap !== null && u !== null) d.lastUse = [u.key, used];
}

function tallyToolResults(d: FileDigest, content: unknown): void {
  if (!Array.isArray(content)) return;
  for (const b of content) {
    if (!isObj(b) || b.type !== 'tool_result' || typeof b.tool_use_id !== 'string') continue;
    const call = d.pendingTools[b.tool_use_id];
    if (call === undefined) {
      d.unmatchedResults++;
      continue;
    }
    delete d.pendingTools[b.tool_use_id];
    const [name, agentType, chain] = call;
    if (chain === null) d.unattributedResults++;
    else chainState(d, chain).awaiting.push([name, agentType, contentChars(b.content)]);
  }
}

/** Characters per token for the tool_use estimate (the usual rule of thumb for English text and code). */
const CHARS_PER_TOKEN = 4;

/** Label of Task/Agent calls that name no `subagent_type`. */
const UNSPECIFIED_AGENT_TYPE = '(unspecified)';

/** The subagent type of a Task/Agent call (`input.subagent_type`), or null for other tools. */
function subagentTypeOf(name: string, input: unknown): string | null {
  if (name !== 'Task' && name !== 'Agent') return null;
  const t = isObj(input) ? input.subagent_type : undefined;
  return typeof t === 'string' && t.length > 0 ? t : UNSPECIFIED_AGENT_TYPE;
}

/**
 * The MCP server of a tool name `mcp__<server>__<tool>`, or null for other names. Pure.
 * `mcp__github__get_issue` -> `github`.
 */
export function mcpServerOf(name: string): string | null {
  if (!name.startsWith('mcp__')) return null;
  const rest = name.slice(5);
  const end = rest.indexOf('__');
  const server = end < 0 ? rest : rest.slice(0, end);
  return server.length > 0 ? server : null;
}

/** The tallies one call counts in: its tool, its subagent type, its MCP server. */
function talliesOf(d: FileDigest, name: string, agentType: string | null): ToolTally[] {
  const out = [tallyIn(d.tools, name)];
  if (agentType !== null) out.push(tallyIn(d.agentTypes, agentType));
  const server = mcpServerOf(name);
  if (server !== null) out.push(tallyIn(d.mcpServers, server));
  return out;
}

/** A tally with nothing in it. */
function emptyTally(): ToolTally {
  return { calls: 0, useTokens: 0, resultTokens: 0, samples: 0 };
}

/**
 * The tally of `key` in `rec`, created empty when absent. Own properties only, so that names from a
 * transcript such as `constructor` never reach Object.prototype. (A `__proto__` entry survives in
 * memory but not a cache read: zod's record parsing drops that key.)
 */
export function tallyIn(rec: Record<string, ToolTally>, key: string): ToolTally {
  if (Object.hasOwn(rec, key)) return rec[key]!;
  const t = emptyTally();
  Object.defineProperty(rec, key, { value: t, enumerable: true, writable: true, configurable: true });
  return t;
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
