import { describe, expect, it } from 'vitest';
import { decideContextAlert, type ContextAlertInputs } from '../../src/context/context-alerts.ts';
import { contextGrowthPerHour, hoursLeft } from '../../src/usage/context-growth.ts';
import { contextStatus } from '../../src/context/context-status.ts';
import { digestLines, emptyDigest } from '../../src/claude/transcript-digest.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

describe('contextGrowthPerHour and hoursLeft', () => {
  it('measures tokens/hour over the last hour of the series', () => {
    // points at 0, 30, 90, 120 min: the last hour spans 60..120 -> from the 90-min point (60 000) to 120 (90 000) = 30 min
    const series: [number, number][] = [
      [T0, 10_000],
      [T0 + 30 * MIN, 40_000],
      [T0 + 90 * MIN, 60_000],
      [T0 + 120 * MIN, 90_000],
    ];
    expect(contextGrowthPerHour(series)).toBe(60_000);
    expect(hoursLeft(90_000, 180_000, 60_000)).toBe(1.5);
  });

  it('is null for too short a series and never negative', () => {
    expect(
      contextGrowthPerHour([
        [T0, 1],
        [T0 + 4 * MIN, 9_999],
      ]),
    ).toBeNull();
    expect(contextGrowthPerHour([])).toBeNull();
    expect(
      contextGrowthPerHour([
        [T0, 50_000],
        [T0 + 10 * MIN, 20_000],
      ]),
    ).toBe(0);
    expect(hoursLeft(1, 2, 0)).toBeNull();
    expect(hoursLeft(1, 2, null)).toBeNull();
  });
});

describe('decideContextAlert', () => {
  let lineCalls = 0;
  const base: ContextAlertInputs = {
    usedTokens: 0,
    usableLimit: 180_000,
    segment: 0,
    thresholds: [50, 80, 90],
    compactFromPct: 80,
    hoursLeft: null,
    compactLine: () => {
      lineCalls++;
      return '/compact keep X';
    },
  };

  it('shows each threshold once per segment, the highest reached, and only from 80 % with the /compact line', () => {
    lineCalls = 0;
    const a = decideContextAlert(null, { ...base, usedTokens: 91_000, hoursLeft: 2.25 });
    expect(a.alert?.threshold).toBe(50);
    expect(a.alert?.message).toBe(
      "cco: context at 50% of the usable limit (91,000 of 180,000 tokens); at this session's pace the usable limit is reached in about 2.3 h. /cco:compact-context shows what to drop.",
    );
    expect(a.alert?.modelNote).toBeNull();
    expect(lineCalls).toBe(0);
    expect(decideContextAlert(a.state, { ...base, usedTokens: 100_000 }).alert).toBeNull();
    const b = decideContextAlert(a.state, { ...base, usedTokens: 170_000 });
    expect(b.alert?.threshold).toBe(90);
    expect(b.state.delivered).toEqual([50, 80, 90]);
    expect(b.alert?.message).toContain('Compact now: /compact keep X');
    expect(b.alert?.modelNote).toContain('ask the user to run this compaction (only the user can): /compact keep X');
    expect(lineCalls).toBe(1);
    const c = decideContextAlert(b.state, { ...base, usedTokens: 181_000 });
    expect(c.alert?.threshold).toBe(100);
    expect(c.alert?.message).toMatch(/^cco: context CRITICAL: 100% of the usable limit/);
  });

  it('rounds the percent down: a fill just under the next threshold never reads as it', () => {
    // 89.8 % of the usable limit: the 80 % crossing, not "context at 90%" (90 % is not reached).
    const a = decideContextAlert(null, { ...base, thresholds: [80, 90], usedTokens: 161_640 });
    expect(a.alert?.threshold).toBe(80);
    expect(a.alert?.message).toMatch(/^cco: context at 89% of the usable limit \(161,640 of 180,000 tokens\)/);
    expect(a.alert?.modelNote).toMatch(/^The context window of this session is 89% full/);
    // A float just below a whole threshold still reads as that threshold (80 % exactly here).
    expect(decideContextAlert(null, { ...base, thresholds: [80], usedTokens: 144_000 }).alert?.message).toMatch(/^cco: context at 80% /);
  });

  it('starts over after a compaction (a new segment), and returns the same state when nothing fires', () => {
    const a = decideContextAlert(null, { ...base, usedTokens: 150_000 });
    expect(a.state.delivered).toEqual([50, 80]);
    const same = decideContextAlert(a.state, { ...base, usedTokens: 20_000 });
    expect(same.state).toBe(a.state);
    const next = decideContextAlert(a.state, { ...base, segment: 1, usedTokens: 95_000 });
    expect(next.alert?.threshold).toBe(50);
    expect(next.state).toEqual({ segment: 1, delivered: [50] });
  });
});

describe('contextStatus with a statusline reading', () => {
  const cfg = { thresholds: [50, 80, 90] };
  const reading = { tokens: 40_000, timeMs: T0, source: 'usage' as const };
  const sl = (capturedAt: number, usedTokens: number | null, usedPercentage: number | null, windowSize: number | null = 1_000_000) => ({
    usedTokens,
    usedPercentage,
    windowSize,
    model: 'claude-opus-5-5',
    capturedAt: new Date(capturedAt).toISOString(),
  });

  it('uses a fresh statusline reading newer than the transcript, and its window size', () => {
    const c = contextStatus(reading, 'claude-opus-5-5', cfg, { statusline: sl(T0 + MIN, 63_000, 6), nowMs: T0 + 2 * MIN, growthPerHour: 100_000 });
    expect(c.windowSize).toBe(1_000_000);
    expect(c.windowSource).toBe('status line, context_window_size');
    expect(c.usableLimit).toBe(967_000); // Claude Code compacts 33,000 below the window
    expect(c.used).toBe(63_000);
    expect(c.usedSource).toBe('status line, context_window');
    expect(c.hoursLeft).toBeCloseTo(9.04, 2); // (967,000 - 63,000) / 100,000
  });

  it('falls back to the transcript when the statusline is stale or older, and derives tokens from % when needed', () => {
    expect(contextStatus(reading, null, cfg, { statusline: sl(T0 + MIN, 63_000, 6), nowMs: T0 + 4 * MIN }).used).toBe(40_000);
    expect(contextStatus(reading, null, cfg, { statusline: sl(T0 - MIN, 63_000, 6), nowMs: T0 + MIN }).used).toBe(40_000);
    expect(contextStatus(null, null, cfg, { statusline: sl(T0, null, 31, 200_000), nowMs: T0 }).used).toBe(62_000);
  });
});

describe('the digest context series', () => {
  const usage = (id: string, t: number, ctx: number) =>
    JSON.stringify({
      type: 'assistant',
      requestId: `r${id}`,
      timestamp: new Date(t).toISOString(),
      isSidechain: false,
      message: { id, model: 'm', usage: { input_tokens: ctx, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    });

  it('keeps one point a minute after the first, and restarts at a compaction boundary', () => {
    const d = emptyDigest();
    digestLines(d, [usage('a', T0, 1_000), usage('b', T0 + 10_000, 2_000), usage('c', T0 + 20_000, 3_000), usage('d', T0 + 2 * MIN, 9_000)], new Map());
    expect(d.contextSeries).toEqual([
      [T0, 1_000],
      [T0 + 20_000, 3_000],
      [T0 + 2 * MIN, 9_000],
    ]);
    digestLines(
      d,
      [
        JSON.stringify({
          type: 'system',
          subtype: 'compact_boundary',
          timestamp: new Date(T0 + 3 * MIN).toISOString(),
          compactMetadata: { postTokens: 4_000 },
        }),
      ],
      new Map(),
    );
    expect(d.compactions).toBe(1);
    expect(d.contextSeries).toEqual([[T0 + 3 * MIN, 4_000]]);
  });
});
