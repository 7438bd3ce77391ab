import { describe, expect, it } from 'vitest';
import {
  contextWindowOrNull, EPOCH_MS_MAX, EPOCH_MS_MIN, isEpochMs, isPlausibleReset, MAX_CONTEXT_WINDOW, MIN_CONTEXT_WINDOW, percentOrNull, resetHorizonMs,
} from '../../src/claude/figure-bounds.ts';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('figure bounds: what a figure read from outside must look like', () => {
  it('a time is an integer epoch ms between 2000 and 2200 (so formatting it never throws)', () => {
    for (const ok of [EPOCH_MS_MIN, NOW, EPOCH_MS_MAX]) expect(isEpochMs(ok)).toBe(true);
    for (const bad of [9e15, 1e308, -1e300, Infinity, NaN, NOW + 0.5, EPOCH_MS_MIN - 1, EPOCH_MS_MAX + 1, '1700000000000', null]) expect(isEpochMs(bad), String(bad)).toBe(false);
  });

  it('a percentage Claude Code reports is finite in [0, 100]', () => {
    expect([0, 42.5, 100].map(percentOrNull)).toEqual([0, 42.5, 100]);
    for (const bad of [-50, -0.1, 100.1, 1e308, Infinity, NaN, '12', null, undefined]) expect(percentOrNull(bad), String(bad)).toBeNull();
  });

  it('a context window is an integer of 100,000..100,000,000 tokens', () => {
    expect([MIN_CONTEXT_WINDOW, 200_000, 1_000_000, MAX_CONTEXT_WINDOW].map(contextWindowOrNull)).toEqual([100_000, 200_000, 1_000_000, 100_000_000]);
    for (const bad of [1, 0.5, 0, -5, 20_000, 99_999, 200_000.5, 1e308, Infinity, '200000', null]) expect(contextWindowOrNull(bad), String(bad)).toBeNull();
  });

  it('a reset is no further ahead than the window\'s length plus an hour of slack; a past one is believable (just over)', () => {
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
