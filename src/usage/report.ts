import { toTuple, type EntryTuple } from '../claude/transcript-digest.ts';
import { buildBlocks, type UsageBlock } from './blocks.ts';
import { addCapped, zeroTokens, type TokenCounts } from './tokens.ts';
import type { UsageEntry } from './usage-record.ts';

/**
 * `cco report --json`: the account's usage, in the shape of shared/fixtures/reference/expected.json.
 * `sessions`, `models` and `days` list their keys sorted (code-unit order), so that the same entries in
 * another order (a cached read, a scan on worker threads) print the same report.
 */
export interface UsageReport {
  totals: TokenCounts;
  /** Tokens per session id (the records' `sessionId`; `?` when absent). */
  sessions: Record<string, TokenCounts>;
  /** 5-hour blocks; `start` is ISO-8601 UTC (`2025-09-03T00:00:00Z`), token counts flat. */
  blocks: Array<{ start: string; entries: number } & TokenCounts>;
  /** Tokens per model id (`message.model`; `?` when absent). */
  models: Record<string, TokenCounts>;
  /** Tokens per UTC day (`YYYY-MM-DD`); entries without a timestamp are left out. */
  days: Record<string, TokenCounts>;
  stats: { files: number; lines: number; malformedLines: number; entries: number };
}

/**
 * The UTC day (`YYYY-MM-DD`) of an epoch-ms time, as a function that builds one Date per day number
 * rather than one per call (a report names the day of every entry). Pure apart from its memo.
 */
export function utcDayNamer(): (ms: number) => string {
  const names = new Map<number, string>();
  return (ms) => {
    const n = Math.floor(ms / DAY_MS);
    let day = names.get(n);
    if (day === undefined) names.set(n, (day = new Date(ms).toISOString().slice(0, 10)));
    return day;
  };
}

/** Builds the report from deduplicated entries (see `mergeDigests`). Pure. */
export function buildReport(entries: readonly UsageEntry[], stats: Omit<UsageReport['stats'], 'entries'>): UsageReport {
  return buildReportWithTail(entries, stats).report;
}

/**
 * `buildReport`, plus the report's tail: the entries of its last 5-hour block (every timed entry at or
 * after that block's first entry, as tuples with their keys), which is what `patchReport` needs to add
 * entries to the report later without the rest of the history. Pure.
 */
export function buildReportWithTail(entries: readonly UsageEntry[], stats: Omit<UsageReport['stats'], 'entries'>): { report: UsageReport; tail: EntryTuple[] } {
  const totals = zeroTokens();
  const sessions: Record<string, TokenCounts> = {};
  const models: Record<string, TokenCounts> = {};
  const days: Record<string, TokenCounts> = {};
  const dayOf = utcDayNamer();
  for (const e of entries) {
    add(totals, e.tokens);
    add((sessions[e.sessionId ?? '?'] ??= zeroTokens()), e.tokens);
    add((models[e.model || '?'] ??= zeroTokens()), e.tokens);
    if (e.timeMs !== null) add((days[dayOf(e.timeMs)] ??= zeroTokens()), e.tokens);
  }
  const built = buildBlocks(entries);
  const blocks = built.map(blockRow);
  const lastFirstMs = built.at(-1)?.firstMs;
  const tail = lastFirstMs === undefined ? [] : entries.filter((e) => e.timeMs !== null && e.timeMs >= lastFirstMs).map(toTuple);
  return {
    report: {
      totals,
      sessions: sortedKeys(sessions),
      blocks,
      models: sortedKeys(models),
      days: sortedKeys(days),
      stats: { ...stats, entries: entries.length },
    },
    tail,
  };
}

/** A block as the report prints it: start ISO-8601 UTC, entry count, token counts flat. Pure. */
export function blockRow(b: UsageBlock): UsageReport['blocks'][number] {
  return { start: isoSeconds(b.startMs), entries: b.entries, ...b.tokens };
}

/** `rec` with its keys in code-unit order (a new object). */
export function sortedKeys<T>(rec: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k]!;
  return out;
}

const DAY_MS = 86_400_000;

/** `addTokens`, spelled out (this loop runs once per entry of the whole history), clamped as it is (MAX_TOKENS). */
function add(acc: TokenCounts, t: TokenCounts): void {
  acc.input_tokens = addCapped(acc.input_tokens, t.input_tokens);
  acc.output_tokens = addCapped(acc.output_tokens, t.output_tokens);
  acc.cache_creation_input_tokens = addCapped(acc.cache_creation_input_tokens, t.cache_creation_input_tokens);
  acc.cache_read_input_tokens = addCapped(acc.cache_read_input_tokens, t.cache_read_input_tokens);
}

/** ISO-8601 UTC without milliseconds: `2025-09-03T00:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
