import { describe, expect, it } from 'vitest';
import { contextSample, parseStatuslineInput, rateLimitSamples, type StatuslineInput } from '../../src/claude/statusline-input.ts';
import { foldReadings, KEEP_AFTER_RESET_MS, MAX_READINGS, REFRESH_AFTER_MS } from '../../src/quota/readings.ts';
import type { OfficialReading } from '../../src/store/schema-official.ts';
import { foldStatuslineContext } from '../../src/store/statusline-session.ts';
import type { SessionTracker } from '../../src/store/schemas.ts';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();
const RESET = NOW + 83 * MIN;
const r = (window: string, pct: number, resetMs: number, capturedMs: number): OfficialReading => ({
  window,
  usedPercentage: pct,
  resetsAt: iso(resetMs),
  capturedAt: iso(capturedMs),
});
const five = (pct: number, resetMs = RESET) => ({ window: 'five_hour', usedPercentage: pct, resetsAtMs: resetMs });

describe('foldReadings', () => {
  it('appends one reading per window of a first payload, with resetsAt from epoch seconds', () => {
    const samples = rateLimitSamples(
      parse({
        rate_limits: { five_hour: { used_percentage: 42, resets_at: RESET / 1000 }, seven_day: { used_percentage: 18.3, resets_at: (NOW + 50 * H) / 1000 } },
      }),
      NOW,
    );
    const out = foldReadings([], samples, NOW);
    expect(out).toEqual([r('five_hour', 42, RESET, NOW), r('seven_day', 18.3, NOW + 50 * H, NOW)]);
  });

  it('returns the same array object when nothing changed (so nothing is written)', () => {
    const stored = [r('five_hour', 42, RESET, NOW - 30_000)];
    expect(foldReadings(stored, [five(42)], NOW)).toBe(stored);
    expect(foldReadings(stored, [], NOW)).toBe(stored);
  });

  it('refreshes capturedAt of an unchanged reading once it is a minute old, in place, without appending', () => {
    const stored = [r('seven_day', 10, NOW + 50 * H, NOW - 5 * MIN), r('five_hour', 42, RESET, NOW - REFRESH_AFTER_MS)];
    const out = foldReadings(stored, [five(42)], NOW);
    expect(out).not.toBe(stored);
    expect(out).toEqual([stored[0], r('five_hour', 42, RESET, NOW)]);
    expect(stored[1]!.capturedAt).toBe(iso(NOW - REFRESH_AFTER_MS)); // input not mutated
    // refreshAfterMs 0 (the line's view): always confirmed now.
    expect(foldReadings([r('five_hour', 42, RESET, NOW - 1_000)], [five(42)], NOW, { refreshAfterMs: 0 })).toEqual([r('five_hour', 42, RESET, NOW)]);
  });

  it('appends when the percentage or the reset changed, comparing with the latest reading of that window only', () => {
    const stored = [r('five_hour', 40, RESET, NOW - 10 * MIN), r('five_hour', 42, RESET, NOW - 5 * MIN)];
    expect(foldReadings(stored, [five(43)], NOW)).toEqual([...stored, r('five_hour', 43, RESET, NOW)]);
    expect(foldReadings(stored, [five(42, RESET + 5 * H)], NOW)).toEqual([...stored, r('five_hour', 42, RESET + 5 * H, NOW)]);
    expect(foldReadings(stored, [five(40)], NOW)).toHaveLength(3); // back to an older value is a change
  });

  it('never records a window whose reset has already passed', () => {
    expect(foldReadings([], [five(99, NOW - 1)], NOW)).toEqual([]);
    expect(foldReadings([], [five(99, NOW)], NOW)).toEqual([]);
  });

  it('drops readings whose reset passed more than 8 days ago, and keeps at most the newest 2,000', () => {
    const old = r('seven_day', 80, NOW - KEEP_AFTER_RESET_MS - 1, NOW - KEEP_AFTER_RESET_MS - 2 * H);
    const recent = r('seven_day', 5, NOW - KEEP_AFTER_RESET_MS + 1, NOW - KEEP_AFTER_RESET_MS - H);
    expect(foldReadings([old, recent], [five(1)], NOW)).toEqual([recent, r('five_hour', 1, RESET, NOW)]);
    const many = Array.from({ length: MAX_READINGS }, (_, i) => r('five_hour', i / 100, RESET, NOW - (MAX_READINGS - i) * 1_000));
    const out = foldReadings(many, [five(77)], NOW);
    expect(out).toHaveLength(MAX_READINGS);
    expect(out[0]).toBe(many[1]);
    expect(out.at(-1)).toEqual(r('five_hour', 77, RESET, NOW));
  });
});

describe('statusline input', () => {
  it('reads rate_limits windows (skipping incomplete ones) and the context figures', () => {
    const input = parse({
      model: { id: 'claude-opus-4-5' },
      rate_limits: {
        five_hour: { used_percentage: 42, resets_at: 1_800_000_000 },
        seven_day: { used_percentage: null, resets_at: 1 },
        spend_limit: { used_percentage: 3, resets_at: 1_800_000_100, used_usd: 1 },
      },
      context_window: {
        context_window_size: 200_000,
        current_usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 990, cache_read_input_tokens: 61_000 },
        used_percentage: 31,
      },
    });
    expect(rateLimitSamples(input, 1_800_000_000_000 - H)).toEqual([
      { window: 'five_hour', usedPercentage: 42, resetsAtMs: 1_800_000_000_000 },
      { window: 'spend_limit', usedPercentage: 3, resetsAtMs: 1_800_000_100_000 },
    ]);
    expect(contextSample(input)).toEqual({ usedPercentage: 31, usedTokens: 62_000, windowSize: 200_000, model: 'claude-opus-4-5' });
  });

  it('computes the context % from current_usage when used_percentage is missing, and gives nulls before the first response', () => {
    expect(contextSample(parse({ context_window: { context_window_size: 200_000, current_usage: { input_tokens: 50_000 } } }))?.usedPercentage).toBe(25);
    expect(contextSample(parse({ context_window: { context_window_size: 1_000_000, current_usage: null, used_percentage: null } }))).toEqual({
      usedPercentage: null,
      usedTokens: null,
      windowSize: 1_000_000,
      model: null,
    });
    expect(contextSample(parse({}))).toBeNull();
  });

  it('drops a field of the wrong type instead of rejecting the payload, and explains unusable stdin', () => {
    const p = parseStatuslineInput(JSON.stringify({ session_id: 's', rate_limits: 'weird', context_window: { used_percentage: '12' } }));
    expect(p.problem).toBeNull();
    expect(p.input?.session_id).toBe('s');
    expect(rateLimitSamples(p.input!, NOW)).toEqual([]);
    expect(contextSample(p.input!)?.usedPercentage).toBeNull();
    expect(parseStatuslineInput('not json').problem).toBe('stdin is not JSON');
    expect(parseStatuslineInput('  ').problem).toBe('no input on stdin');
    expect(parseStatuslineInput('[1,2]').problem).toBe('stdin JSON is not an object');
  });
});

describe('foldStatuslineContext', () => {
  const ctx = { usedPercentage: 31, usedTokens: 62_000, windowSize: 200_000, model: 'm' };
  const sighting = { sessionId: 's1', cwd: '/w', transcriptPath: '/t/s1.jsonl' };

  it('creates a minimal valid record for an unknown session', () => {
    const t = foldStatuslineContext({ version: 1, sessions: {} }, sighting, ctx, NOW)!;
    expect(t.sessions.s1).toMatchObject({
      sessionId: 's1',
      cwd: '/w',
      transcriptPath: '/t/s1.jsonl',
      model: 'm',
      source: 'statusline',
      startedAt: iso(NOW),
      entries: 0,
      statusline: { ...ctx, capturedAt: iso(NOW) },
    });
  });

  it('writes nothing when the figures are unchanged, and only the statusline field when they changed', () => {
    const t = foldStatuslineContext({ version: 1, sessions: {} }, sighting, ctx, NOW)!;
    expect(foldStatuslineContext(t, sighting, ctx, NOW + H)).toBeUndefined();
    const before = { ...t.sessions.s1!, lastSeenAt: iso(NOW - H), hookEvents: { Stop: 3 } };
    const tracker: SessionTracker = { version: 1, sessions: { s1: before } };
    const next = foldStatuslineContext(tracker, sighting, { ...ctx, usedPercentage: 32 }, NOW + H)!;
    expect(next.sessions.s1).toEqual({ ...before, statusline: { ...ctx, usedPercentage: 32, capturedAt: iso(NOW + H) } });
  });
});

function parse(o: unknown): StatuslineInput {
  const p = parseStatuslineInput(JSON.stringify(o));
  if (p.input === null) throw new Error(p.problem);
  return p.input;
}
