// Figures out of bounds (src/claude/figure-bounds.ts) are ignored where they are read: the status line
// payload (by the tracker and `cco statusline`, and by hand in the status line front), the snapshot, the
// stored readings and the stored status line context.
import { describe, expect, it } from 'vitest';
import { contextSample, parseStatuslineInput, rateLimitSamples, type StatuslineInput } from '../../src/claude/statusline-input.ts';
import { contextStatus, contextWindowOf } from '../../src/context/context-status.ts';
import { currentOfficial } from '../../src/quota/official.ts';
import { renderStatusline } from '../../src/render/statusline.ts';
import { frontView, readFrontPayload } from '../../src/statusline/front-view.ts';
import { checkSnapshot, type StatuslineSnapshot } from '../../src/render/statusline-snapshot.ts';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const sec = (ms: number) => Math.floor(ms / 1000);
const parse = (o: unknown): StatuslineInput => parseStatuslineInput(JSON.stringify(o)).input!;
const cw = (size: unknown, pct: unknown = null, tokens = 100_010) => ({
  context_window: {
    context_window_size: size,
    used_percentage: pct,
    current_usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: tokens - 10 },
  },
});

describe('context_window: a window size out of bounds is ignored, so the model table applies', () => {
  it('contextSample keeps only a believable window and a used_percentage in [0, 100]', () => {
    for (const size of [1, 0.5, 20_000, 1e308, 200_000.5]) {
      expect(contextSample(parse(cw(size))), String(size)).toMatchObject({ windowSize: null, usedPercentage: null, usedTokens: 100_010 });
    }
    expect(contextSample(parse(cw(200_000)))).toMatchObject({ windowSize: 200_000, usedPercentage: 50.005 });
    // A bad used_percentage falls back to tokens / window.
    for (const pct of [-50, 1e308, 100.5]) expect(contextSample(parse(cw(200_000, pct)))?.usedPercentage, String(pct)).toBe(50.005);
    expect(contextSample(parse(cw(200_000, 42)))?.usedPercentage).toBe(42);
    // Negative token counts are not a context size.
    expect(contextSample(parse({ context_window: { context_window_size: 200_000, current_usage: { input_tokens: -5 } } }))?.usedTokens).toBeNull();
  });

  it('the status line front: n/a with the reason instead of 10001000% or -50%', () => {
    const line = (o: object) => renderStatusline(frontView(readFrontPayload(JSON.stringify({ session_id: 's', ...o })), null, NOW));
    expect(line(cw(1))).toBe('5h n/a (no usage tracked yet) · ctx n/a (no usable context_window_size)');
    expect(line(cw(1e308))).toMatch(/ctx n\/a \(no usable context_window_size\)$/);
    expect(line(cw(200_000, -50))).toMatch(/ctx 50%●$/);
    expect(line(cw(200_000, 1e308))).toMatch(/ctx 50%●$/);
    expect(line(cw(200_000, 31))).toMatch(/ctx 31%●$/);
  });

  it('contextWindowOf and contextStatus ignore a stored window size or % out of bounds (saved by an older build)', () => {
    expect(contextWindowOf('claude-opus-5-5', 1, undefined)).toEqual({ size: 1_000_000, source: 'model table of Claude Code 2.1.329, claude-opus-5-5' });
    expect(contextWindowOf('claude-opus-5-5', 1e308, undefined).size).toBe(1_000_000);
    expect(contextWindowOf('claude-opus-5-5', 300_000, undefined)).toEqual({ size: 300_000, source: 'status line, context_window_size' });
    const sl = { usedTokens: null, usedPercentage: 1e308, windowSize: 1e308, model: 'claude-opus-5-5', capturedAt: new Date(NOW).toISOString() };
    const c = contextStatus(
      { tokens: 100_010, timeMs: NOW - H, source: 'usage' },
      'claude-opus-5-5',
      { thresholds: [50, 80, 90] },
      { statusline: sl, nowMs: NOW },
    );
    expect(c).toMatchObject({ windowSize: 1_000_000, usableLimit: 967_000, used: 100_010, usedSource: 'measured, last response' });
  });
});

describe('rate_limits: a figure out of bounds is ignored (and reported)', () => {
  const rl = (five: object, seven?: object) => ({ rate_limits: { five_hour: five, ...(seven === undefined ? {} : { seven_day: seven }) } });

  it('rateLimitSamples skips a reset too far ahead or a % outside [0, 100], telling onBad', () => {
    const bad: string[] = [];
    const input = parse({
      rate_limits: {
        five_hour: { used_percentage: 50, resets_at: 1e300 },
        seven_day: { used_percentage: -5, resets_at: sec(NOW + 24 * H) },
        spend_limit: { used_percentage: 3, resets_at: sec(NOW + 30 * 24 * H) },
      },
    });
    expect(rateLimitSamples(input, NOW, (why) => bad.push(why))).toEqual([
      { window: 'spend_limit', usedPercentage: 3, resetsAtMs: sec(NOW + 30 * 24 * H) * 1000 },
    ]);
    expect(bad).toEqual([
      'rate_limits.five_hour.resets_at 1e+300 is not a reset within 6 h of now; ignored',
      'rate_limits.seven_day.used_percentage -5 is not in [0, 100]; ignored',
    ]);
    expect(rateLimitSamples(parse(rl({ used_percentage: 50, resets_at: sec(NOW + 30 * 24 * H) })), NOW)).toEqual([]);
    // Claude Code caps its figure at 100; a little over (rounding, up to 100.5) reads as 100, more is refused.
    expect(rateLimitSamples(parse(rl({ used_percentage: 100.1, resets_at: sec(NOW + H) })), NOW)).toEqual([
      { window: 'five_hour', usedPercentage: 100, resetsAtMs: sec(NOW + H) * 1000 },
    ]);
    expect(rateLimitSamples(parse(rl({ used_percentage: 100.6, resets_at: sec(NOW + H) })), NOW)).toEqual([]);
    expect(rateLimitSamples(parse(rl({ used_percentage: 42, resets_at: sec(NOW + H) })), NOW)).toHaveLength(1);
  });

  it('the status line front says n/a (bad reading) instead of ↻1.1574074074074075e+295d0h', () => {
    const line = (o: object) => renderStatusline(frontView(readFrontPayload(JSON.stringify({ session_id: 's', ...o })), null, NOW));
    expect(line(rl({ used_percentage: 50, resets_at: 1e300 }))).toBe('5h n/a (bad reading) · ctx n/a (no context_window)');
    expect(line(rl({ used_percentage: 50, resets_at: sec(NOW + 30 * 24 * H) }))).toMatch(/^5h n\/a \(bad reading\)/);
    expect(line(rl({ used_percentage: 1e308, resets_at: sec(NOW + H) }))).toMatch(/^5h n\/a \(bad reading\)/);
    expect(line(rl({ used_percentage: 42, resets_at: sec(NOW + H) }, { used_percentage: 18, resets_at: sec(NOW + 30 * 24 * H) }))).toBe(
      '5h 42%● ↻1h00m · 7d n/a (bad reading) · ctx n/a (no context_window) · 0 tok/min',
    );
  });

  it('currentOfficial ignores a stored reading out of bounds (saved by an older build, or edited)', () => {
    const r = (window: string, usedPercentage: number, resetMs: number) => ({
      window,
      usedPercentage,
      resetsAt: new Date(resetMs).toISOString(),
      capturedAt: new Date(NOW - 60_000).toISOString(),
    });
    expect(currentOfficial([r('five_hour', 42, NOW + H)], 'five_hour', NOW)?.usedPercentage).toBe(42);
    expect(currentOfficial([r('five_hour', 42, NOW + 400 * 24 * H)], 'five_hour', NOW)).toBeNull();
    expect(currentOfficial([r('five_hour', 42, NOW + H), r('five_hour', 1e308, NOW + H)], 'five_hour', NOW)?.usedPercentage).toBe(42);
    expect(currentOfficial([r('seven_day', -3, NOW + 24 * H)], 'seven_day', NOW)).toBeNull();
  });
});

describe('the status line snapshot: figures out of bounds make it absent, as a malformed one is', () => {
  const snap = (q: Partial<NonNullable<StatuslineSnapshot['quota']>> = {}, o: Partial<StatuslineSnapshot> = {}): unknown =>
    JSON.parse(
      JSON.stringify({
        v: 1,
        atMs: NOW,
        quotaWhy: null,
        official: { fiveHourPct: null, sevenDayPct: null, savedAtMs: null },
        contextPct: {},
        quota: {
          window: { startMs: NOW - H, endMs: NOW + 4 * H, source: 'official' },
          usedPct: 40,
          usedPctSource: 'official',
          burnPerMin: 10,
          weekly: null,
          ...q,
        },
        ...o,
      }),
    );

  it('accepts a sane one, and refuses Infinity % (1e999 in the file), huge times and negative rates', () => {
    expect(checkSnapshot(snap())).not.toBeNull();
    expect(checkSnapshot(snap({ usedPct: 130 }))).not.toBeNull(); // an estimate may pass 100 %
    expect(
      checkSnapshot(
        JSON.parse(
          '{"v":1,"atMs":1700000000000,"quotaWhy":null,"official":{},"contextPct":{},"quota":{"window":null,"usedPct":1e999,"usedPctSource":"official","burnPerMin":0,"weekly":null}}',
        ),
      ),
    ).toBeNull();
    expect(checkSnapshot(snap({ usedPct: -1 }))).toBeNull();
    expect(checkSnapshot(snap({ burnPerMin: -5 }))).toBeNull();
    expect(checkSnapshot(snap({ window: { startMs: 0, endMs: 9e15, source: 'official' } }))).toBeNull();
    expect(checkSnapshot(snap({ weekly: { usedPercentage: 1e308, ageMin: 0 } }))).toBeNull();
    expect(checkSnapshot(snap({}, { atMs: 1e308 }))).toBeNull();
  });
});
