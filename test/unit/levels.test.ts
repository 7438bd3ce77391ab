import { describe, expect, it } from 'vitest';
import { nextThreshold, QUOTA_LEVELS, quotaLevel } from '../../src/quota/levels.ts';

describe('quotaLevel', () => {
  it.each([
    [-5, 'FRESH'],
    [0, 'FRESH'],
    [9.99, 'FRESH'],
    [10, 'EXCELLENT'],
    [24.99, 'EXCELLENT'],
    [25, 'GOOD'],
    [49.99, 'GOOD'],
    [50, 'MODERATE'],
    [74.99, 'MODERATE'],
    [75, 'HIGH USAGE'],
    [89.99, 'HIGH USAGE'],
    [90, 'DANGER'],
    [94.99, 'DANGER'],
    [95, 'CRITICAL'],
    [100, 'CRITICAL'],
    [250, 'CRITICAL'],
  ])('%s %% used is %s', (pct, name) => {
    expect(quotaLevel(pct).name).toBe(name);
  });

  it('has the seven levels in order, each with a recommendation', () => {
    expect(QUOTA_LEVELS.map((l) => l.name)).toEqual(['FRESH', 'EXCELLENT', 'GOOD', 'MODERATE', 'HIGH USAGE', 'DANGER', 'CRITICAL']);
    expect(QUOTA_LEVELS.every((l) => l.recommendation.length > 0)).toBe(true);
    expect(QUOTA_LEVELS.at(-1)?.below).toBe(Infinity);
  });
});

describe('nextThreshold', () => {
  const th = [10, 25, 50, 75, 90, 95];

  it('is the first threshold strictly above the current %', () => {
    expect(nextThreshold(0, th)).toBe(10);
    expect(nextThreshold(9.99, th)).toBe(10);
    expect(nextThreshold(10, th)).toBe(25);
    expect(nextThreshold(94.99, th)).toBe(95);
  });

  it('is null when all thresholds are passed or there are none', () => {
    expect(nextThreshold(95, th)).toBeNull();
    expect(nextThreshold(120, th)).toBeNull();
    expect(nextThreshold(5, [])).toBeNull();
  });

  it('sorts unsorted thresholds without mutating them', () => {
    const unsorted = [90, 10, 50];
    expect(nextThreshold(20, unsorted)).toBe(50);
    expect(unsorted).toEqual([90, 10, 50]);
  });
});
