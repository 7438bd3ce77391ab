import { describe, expect, it } from 'vitest';
import { buildReport, isoSeconds } from '../../src/usage/report.ts';
import type { UsageEntry } from '../../src/usage/usage-record.ts';

const H = 3_600_000;
const D = Date.UTC(2025, 8, 3, 0, 0, 0);

function e(sessionId: string | null, model: string, timeMs: number | null, i: number, o: number, cc = 0, cr = 0): UsageEntry {
  return { key: null, sessionId, timeMs, model, tokens: { input_tokens: i, output_tokens: o, cache_creation_input_tokens: cc, cache_read_input_tokens: cr } };
}

describe('isoSeconds', () => {
  it('drops milliseconds and keeps the Z', () => {
    expect(isoSeconds(D)).toBe('2025-09-03T00:00:00Z');
    expect(isoSeconds(D + 17 * H + 5 * 60_000 + 9_999)).toBe('2025-09-03T17:05:09Z');
    expect(isoSeconds(0)).toBe('1970-01-01T00:00:00Z');
  });
});

describe('buildReport', () => {
  const entries = [
    e('s1', 'claude-opus-4-1', D + 1 * H + 30 * 60_000, 1, 10, 100, 1000),
    e('s1', 'claude-sonnet-4-5', D + 2 * H, 2, 20, 200, 2000),
    e('s2', 'claude-sonnet-4-5', D + 23 * H + 59 * 60_000, 4, 40, 400, 4000), // same day, new block (gap > 5 h)
    e(null, '', D + 24 * H + 1, 8, 80, 800, 8000), // next day, same block as the previous entry (within 5 h)
    e('s2', 'claude-sonnet-4-5', null, 16, 160, 1600, 16000), // no time: totals, sessions and models only
  ];
  const r = buildReport(entries, { files: 3, lines: 42, malformedLines: 1 });

  it('sums totals over every entry', () => {
    expect(r.totals).toEqual({ input_tokens: 31, output_tokens: 310, cache_creation_input_tokens: 3100, cache_read_input_tokens: 31000 });
  });

  it('groups by session, with ? for a missing sessionId', () => {
    expect(r.sessions).toEqual({
      s1: { input_tokens: 3, output_tokens: 30, cache_creation_input_tokens: 300, cache_read_input_tokens: 3000 },
      s2: { input_tokens: 20, output_tokens: 200, cache_creation_input_tokens: 2000, cache_read_input_tokens: 20000 },
      '?': { input_tokens: 8, output_tokens: 80, cache_creation_input_tokens: 800, cache_read_input_tokens: 8000 },
    });
  });

  it('groups by model, with ? for an empty model', () => {
    expect(Object.keys(r.models).sort()).toEqual(['?', 'claude-opus-4-1', 'claude-sonnet-4-5']);
    expect(r.models['claude-sonnet-4-5']?.input_tokens).toBe(2 + 4 + 16);
    expect(r.models['?']?.input_tokens).toBe(8);
  });

  it('groups by UTC day, leaving out entries without a time', () => {
    expect(r.days).toEqual({
      '2025-09-03': { input_tokens: 7, output_tokens: 70, cache_creation_input_tokens: 700, cache_read_input_tokens: 7000 },
      '2025-09-04': { input_tokens: 8, output_tokens: 80, cache_creation_input_tokens: 800, cache_read_input_tokens: 8000 },
    });
  });

  it('lists 5-hour blocks with second-precision ISO starts and flat token counts', () => {
    expect(r.blocks).toEqual([
      { start: '2025-09-03T01:00:00Z', entries: 2, input_tokens: 3, output_tokens: 30, cache_creation_input_tokens: 300, cache_read_input_tokens: 3000 },
      { start: '2025-09-03T23:00:00Z', entries: 2, input_tokens: 12, output_tokens: 120, cache_creation_input_tokens: 1200, cache_read_input_tokens: 12000 },
    ]);
  });

  it('passes the stats through and adds the entry count', () => {
    expect(r.stats).toEqual({ files: 3, lines: 42, malformedLines: 1, entries: 5 });
  });

  it('gives zeros and empty groups for no entries', () => {
    const z = buildReport([], { files: 0, lines: 0, malformedLines: 0 });
    expect(z).toEqual({
      totals: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      sessions: {},
      blocks: [],
      models: {},
      days: {},
      stats: { files: 0, lines: 0, malformedLines: 0, entries: 0 },
    });
  });
});
