import { describe, expect, it } from 'vitest';
import {
  checkRateWindow,
  contextWindowOrNull,
  EPOCH_MS_MAX,
  EPOCH_MS_MIN,
  isEpochMs,
  isPlausibleReset,
  MAX_CONTEXT_WINDOW,
  MIN_CONTEXT_WINDOW,
  percentOrNull,
  ratePercentOrNull,
  resetHorizonMs,
} from '../../src/claude/figure-bounds.ts';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('figure bounds: what a figure read from outside must look like', () => {
  it('a time is an integer epoch ms between 2000 and 2200 (so formatting it never throws)', () => {
    for (const ok of [EPOCH_MS_MIN, NOW, EPOCH_MS_MAX]) expect(isEpochMs(ok)).toBe(true);
    for (const bad of [9e15, 1e308, -1e300, Infinity, NaN, NOW + 0.5, EPOCH_MS_MIN - 1, EPOCH_MS_MAX + 1, '1700000000000', null])
      expect(isEpochMs(bad), String(bad)).toBe(false);
  });

  it('a percentage Claude Code reports is finite in [0, 100]', () => {
    expect([0, 42.5, 100].map(percentOrNull)).toEqual([0, 42.5, 100]);
    for (const bad of [-50, -0.1, 100.1, 1e308, Infinity, NaN, '12', null, undefined]) expect(percentOrNull(bad), String(bad)).toBeNull();
  });

  it('a context window is an integer of 100,000..100,000,000 tokens', () => {
    expect([MIN_CONTEXT_WINDOW, 200_000, 1_000_000, MAX_CONTEXT_WINDOW].map(contextWindowOrNull)).toEqual([100_000, 200_000, 1_000_000, 100_000_000]);
    for (const bad of [1, 0.5, 0, -5, 20_000, 99_999, 200_000.5, 1e308, Infinity, '200000', null]) expect(contextWindowOrNull(bad), String(bad)).toBeNull();
  });

  it("a reset is no further ahead than the window's length plus an hour of slack; a past one is believable (just over)", () => {
    expect(resetHorizonMs('five_hour')).toBe(6 * H);
    expect(resetHorizonMs('seven_day')).toBe(7 * 24 * H + H);
    expect(isPlausibleReset('five_hour', NOW + 6 * H, NOW)).toBe(true);
    expect(isPlausibleReset('five_hour', NOW + 6 * H + 1, NOW)).toBe(false);
    expect(isPlausibleReset('five_hour', NOW - H, NOW)).toBe(true);
    expect(isPlausibleReset('seven_day', NOW + 7 * 24 * H, NOW)).toBe(true);
    expect(isPlausibleReset('seven_day', NOW + 9 * 24 * H, NOW)).toBe(false);
    expect(isPlausibleReset('spend_limit', NOW + 300 * 24 * H, NOW)).toBe(true);
    expect(isPlausibleReset('spend_limit', NOW + 400 * 24 * H, NOW)).toBe(false);
    expect(isPlausibleReset('five_hour', 1e303, NOW)).toBe(false);
  });
});

describe('a rate_limits window: sane or refused', () => {
  const sec = (ms: number) => ms / 1000;
  const w = (pct: unknown, resetsMs: unknown) => ({ used_percentage: pct, resets_at: typeof resetsMs === 'number' ? sec(resetsMs) : resetsMs });

  it('ratePercentOrNull forgives rounding up to 100.5 (read as 100) and refuses the rest', () => {
    expect(ratePercentOrNull(0)).toBe(0);
    expect(ratePercentOrNull(42.5)).toBe(42.5);
    expect(ratePercentOrNull(100.4)).toBe(100);
    expect(ratePercentOrNull(100.5)).toBe(100);
    for (const v of [100.6, 101, -5, -0.1, 1e308, Number.NaN, Infinity, '50', null, undefined]) expect(ratePercentOrNull(v), String(v)).toBeNull();
  });

  it('checkRateWindow: ok, over (reset a moment ago), absent, or bad with why', () => {
    expect(checkRateWindow('five_hour', w(42, NOW + H), NOW)).toEqual({ kind: 'ok', pct: 42, resetsAtMs: NOW + H });
    expect(checkRateWindow('five_hour', w(42, NOW + 6 * H), NOW).kind).toBe('ok'); // 5 h + 1 h slack: the limit
    expect(checkRateWindow('seven_day', w(18, NOW + 7 * 24 * H + H), NOW).kind).toBe('ok');
    expect(checkRateWindow('five_hour', w(42, NOW - 30_000), NOW)).toEqual({ kind: 'over', pct: 42, resetsAtMs: NOW - 30_000 });
    expect(checkRateWindow('five_hour', undefined, NOW)).toEqual({ kind: 'absent' });
    expect(checkRateWindow('five_hour', null, NOW)).toEqual({ kind: 'absent' });
    const bad: [string, unknown, string][] = [
      ['five_hour', w(-5, NOW + H), 'used_percentage -5 is not in [0, 100]'],
      ['five_hour', w(1e308, NOW + H), 'used_percentage 1e+308'],
      ['five_hour', w('50', NOW + H), 'used_percentage "50"'],
      ['five_hour', { used_percentage: 42 }, 'resets_at undefined is not a time'],
      ['five_hour', w(42, 'soon'), 'resets_at "soon" is not a time'],
      ['five_hour', w(42, Date.UTC(58903, 0, 1)), 'is not a reset within 6 h of now'],
      ['five_hour', w(42, NOW + 6 * H + 60_000), 'is not a reset within 6 h of now'],
      ['seven_day', w(18, NOW + 9 * 24 * H), 'is not a reset within 169 h of now'],
      ['five_hour', w(42, NOW - 2 * H), 'is more than 1 h past'],
      ['five_hour', 'text', 'used_percentage undefined'],
    ];
    for (const [window, v, why] of bad) {
      const c = checkRateWindow(window, v, NOW);
      expect(c.kind, JSON.stringify(v)).toBe('bad');
      expect(c.kind === 'bad' ? c.why : '').toContain(why);
    }
  });
});
