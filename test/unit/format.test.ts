import { describe, expect, it } from 'vitest';
import { bar, fmtDuration, fmtInt, fmtPct, fmtPctDown, fmtTime } from '../../src/render/format.ts';

describe('format', () => {
  it('fmtInt groups with commas and rounds', () => {
    expect(fmtInt(12_345)).toBe('12,345');
    expect(fmtInt(1_234_567.6)).toBe('1,234,568');
    expect(fmtInt(999)).toBe('999');
    expect(fmtInt(0)).toBe('0');
    expect(fmtInt(-4_321)).toBe('-4,321');
  });

  it('fmtPct gives one decimal', () => {
    expect(fmtPct(0.4567)).toBe('45.7%');
    expect(fmtPct(0)).toBe('0.0%');
    expect(fmtPct(1)).toBe('100.0%');
    expect(fmtPct(1.25)).toBe('125.0%');
  });

  it('fmtDuration: hours with zero-padded minutes, minutes, seconds', () => {
    expect(fmtDuration((2 * 60 + 5) * 60_000)).toBe('2h 05m');
    expect(fmtDuration(12 * 60_000 + 59_999)).toBe('12m');
    expect(fmtDuration(45_000)).toBe('45s');
    expect(fmtDuration(999)).toBe('0s');
    expect(fmtDuration(60 * 60_000)).toBe('1h 00m');
    expect(fmtDuration(750 * 60_000)).toBe('12h 30m');
  });

  it('fmtDuration: zero and negative print 0m, non-finite n/a', () => {
    expect(fmtDuration(0)).toBe('0m');
    expect(fmtDuration(-5_000)).toBe('0m');
    expect(fmtDuration(Infinity)).toBe('n/a');
    expect(fmtDuration(NaN)).toBe('n/a');
  });

  it('fmtTime prints UTC to the minute', () => {
    expect(fmtTime(Date.UTC(2026, 10, 20, 23, 41, 59, 999))).toBe('2026-11-20 23:41 UTC');
    expect(fmtTime(Date.UTC(2025, 0, 2, 3, 4))).toBe('2025-01-02 03:04 UTC');
  });

  it('bar fills round(fraction x width) cells and clamps', () => {
    expect(bar(0.5, 10)).toBe('[#####.....]');
    expect(bar(0.25)).toBe(`[${'#'.repeat(5)}${'.'.repeat(15)}]`);
    expect(bar(0.04, 10)).toBe('[..........]');
    expect(bar(0.06, 10)).toBe('[#.........]');
    expect(bar(2, 4)).toBe('[####]');
    expect(bar(-1, 4)).toBe('[....]');
    expect(bar(NaN, 4)).toBe('[....]');
    expect(bar(Infinity, 4)).toBe('[....]');
  });
});

describe('fmtPctDown: alert percentages never round up past a threshold', () => {
  it('rounds down to the places asked for', () => {
    expect(fmtPctDown(89.8)).toBe('89');
    expect(fmtPctDown(89.96, 1)).toBe('89.9');
    expect(fmtPctDown(25.8, 1)).toBe('25.8');
    expect(fmtPctDown(100.55)).toBe('100');
    expect(fmtPctDown(0)).toBe('0');
  });

  it('counts a float a hair under a whole step as the step, and gives n/a for a non-finite figure', () => {
    expect(fmtPctDown((144_000 / 180_000) * 100)).toBe('80');
    expect(fmtPctDown(79.99999999999999)).toBe('80');
    expect(fmtPctDown(0.29 * 100, 1)).toBe('29.0');
    expect(fmtPctDown(Infinity)).toBe('n/a');
    expect(fmtPctDown(NaN, 1)).toBe('n/a');
  });
});
