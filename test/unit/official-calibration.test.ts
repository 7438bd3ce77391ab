import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.ts';
import { resolveBudget } from '../../src/quota/budget.ts';
import { calibratedBudget, MIN_CALIBRATION_PCT, p90Budget, sampleFromReading } from '../../src/quota/calibration.ts';
import { currentOfficial } from '../../src/quota/official.ts';
import type { CalibrationSample } from '../../src/store/schema-alerts.ts';
import type { OfficialReading } from '../../src/store/schema-official.ts';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const reading = (window: string, pct: number, resetsAt: number, capturedAt: number): OfficialReading => ({
  window,
  usedPercentage: pct,
  resetsAt: iso(resetsAt),
  capturedAt: iso(capturedAt),
});
const sample = (implied: number): CalibrationSample => ({
  at: iso(NOW),
  windowStart: iso(NOW - H),
  counted: implied / 10,
  usedPercentage: 10,
  impliedBudget: implied,
});

describe('currentOfficial', () => {
  it('takes the newest reading of the window whose reset is still ahead, with its age in whole minutes', () => {
    const rs = [
      reading('five_hour', 10, NOW + H, NOW - 30 * MIN),
      reading('five_hour', 20, NOW + H, NOW - 7 * MIN - 59_000),
      reading('seven_day', 40, NOW + 48 * H, NOW - MIN),
    ];
    expect(currentOfficial(rs, 'five_hour', NOW)).toEqual({ usedPercentage: 20, resetsAtMs: NOW + H, capturedAtMs: NOW - 7 * MIN - 59_000, ageMin: 7 });
    expect(currentOfficial(rs, 'seven_day', NOW)?.usedPercentage).toBe(40);
  });

  it('discards a reading whose reset has passed, even when it is the newest', () => {
    const rs = [reading('five_hour', 10, NOW + H, NOW - 2 * H), reading('five_hour', 99, NOW, NOW - MIN)];
    expect(currentOfficial(rs, 'five_hour', NOW)?.usedPercentage).toBe(10);
    expect(currentOfficial([reading('five_hour', 99, NOW - 1, NOW - MIN)], 'five_hour', NOW)).toBeNull();
  });
});

describe('sampleFromReading', () => {
  const counted = (a: number, b: number) => (a === NOW + H - 5 * H && b === NOW - MIN ? 12_000 : -1);

  it('implies the budget from counted tokens in the official window up to the reading', () => {
    const s = sampleFromReading([reading('five_hour', 8, NOW + H, NOW - MIN)], [], counted, NOW);
    // 12,000 counted at 8 % -> 150,000 per window
    expect(s).toEqual({ at: iso(NOW - MIN), windowStart: iso(NOW - 4 * H), counted: 12_000, usedPercentage: 8, impliedBudget: 150_000 });
  });

  it('never samples a reading an older build saved unchecked (1e308 %, a reset in year 58903, 7 h ahead)', () => {
    const good = reading('five_hour', 8, NOW + H, NOW - MIN);
    for (const bad of [
      reading('five_hour', 1e308, NOW + H, NOW - MIN),
      reading('five_hour', 50, Date.UTC(58903, 0, 1), NOW - MIN),
      reading('five_hour', 50, NOW + 7 * H, NOW - MIN),
    ]) {
      expect(sampleFromReading([bad], [], counted, NOW)).toBeNull();
      // The believable reading before it is sampled instead.
      expect(sampleFromReading([good, bad], [], counted, NOW)?.usedPercentage).toBe(8);
    }
  });

  it('skips coarse, old, already-sampled and empty readings', () => {
    const r = reading('five_hour', 8, NOW + H, NOW - MIN);
    expect(sampleFromReading([reading('five_hour', MIN_CALIBRATION_PCT - 0.1, NOW + H, NOW - MIN)], [], counted, NOW)).toBeNull();
    expect(sampleFromReading([reading('five_hour', 8, NOW + H, NOW - 11 * MIN)], [], () => 12_000, NOW)).toBeNull();
    const first = sampleFromReading([r], [], counted, NOW)!;
    expect(sampleFromReading([r], [first], counted, NOW)).toBeNull();
    expect(sampleFromReading([r], [], () => 0, NOW)).toBeNull();
    expect(sampleFromReading([reading('seven_day', 8, NOW + H, NOW - MIN)], [], counted, NOW)).toBeNull();
  });
});

describe('calibratedBudget', () => {
  it('is the median of the samples after dropping those more than 2x off it', () => {
    // median of [100k, 110k, 120k, 130k, 900k] = 120k; 900k > 240k is dropped; median of the rest = 115k
    expect(calibratedBudget([100_000, 110_000, 120_000, 130_000, 900_000].map(sample))).toEqual({ budget: 115_000, samples: 4 });
  });

  it('uses only the newest 12 samples, and is null without any', () => {
    const old = Array.from({ length: 10 }, () => sample(50_000));
    const recent = Array.from({ length: 12 }, () => sample(200_000));
    expect(calibratedBudget([...old, ...recent])).toEqual({ budget: 200_000, samples: 12 });
    expect(calibratedBudget([])).toBeNull();
  });
});

describe('p90Budget and resolveBudget', () => {
  it('p90 is the nearest-rank 90th percentile of completed windows', () => {
    // 10 windows 10k..100k: rank ceil(0.9*10)=9 -> 90k
    expect(p90Budget(Array.from({ length: 10 }, (_, i) => (i + 1) * 10_000))).toBe(90_000);
    expect(p90Budget([5])).toBe(5);
    expect(p90Budget([])).toBeNull();
  });

  it('prefers calibration, then the custom budget, then p90, then the preset', () => {
    const pro = defaultConfig();
    // no plan set: the pro preset, and the label says why
    expect(resolveBudget(pro, [], [])).toEqual({ tokens: 200_000, source: 'estimate, pro preset, no plan set' });
    expect(resolveBudget({ ...pro, plan: 'pro' }, [], [])).toEqual({ tokens: 200_000, source: 'estimate, pro preset' });
    expect(resolveBudget({ ...pro, plan: 'max5' }, [], [])).toEqual({ tokens: 1_000_000, source: 'estimate, max5 preset' });
    expect(resolveBudget(pro, [sample(150_000)], [])).toEqual({ tokens: 150_000, source: 'estimate, calibrated from 1 official reading' });
    const custom = { ...pro, plan: 'custom' as const };
    expect(resolveBudget({ ...custom, customBudget: 77_000 }, [], [1, 2])).toEqual({ tokens: 77_000, source: 'estimate, customBudget of cco/config.json' });
    expect(resolveBudget(custom, [], [40_000, 60_000])).toEqual({ tokens: 60_000, source: 'estimate, p90 of 2 past windows' });
    expect(resolveBudget(custom, [], []).tokens).toBe(200_000);
  });
});
