import { buildBlocks } from './blocks.ts';
import { addTokens, zeroTokens, type TokenCounts } from './tokens.ts';
import type { UsageEntry } from './usage-record.ts';

/** `cco report --json`: the account's usage, in the shape of shared/fixtures/reference/expected.json. */
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

/** Builds the report from deduplicated entries (see `mergeDigests`). Pure. */
export function buildReport(entries: readonly UsageEntry[], stats: Omit<UsageReport['stats'], 'entries'>): UsageReport {
  const totals = zeroTokens();
  const sessions: Record<string, TokenCounts> = {};
  const models: Record<string, TokenCounts> = {};
  const days: Record<string, TokenCounts> = {};
  for (const e of entries) {
    addTokens(totals, e.tokens);
    addTokens((sessions[e.sessionId ?? '?'] ??= zeroTokens()), e.tokens);
    addTokens((models[e.model || '?'] ??= zeroTokens()), e.tokens);
    if (e.timeMs !== null) addTokens((days[new Date(e.timeMs).toISOString().slice(0, 10)] ??= zeroTokens()), e.tokens);
  }
  const blocks = buildBlocks(entries).map((b) => ({
    start: isoSeconds(b.startMs),
    entries: b.entries,
    ...b.tokens,
  }));
  return { totals, sessions, blocks, models, days, stats: { ...stats, entries: entries.length } };
}

/** ISO-8601 UTC without milliseconds: `2025-09-03T00:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
