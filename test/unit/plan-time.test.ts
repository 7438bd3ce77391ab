import { describe, expect, it } from 'vitest';
import { weeklyAllows, weeklyLimit, weeklyPerWindowRatio } from '../../src/plan/weekly-limit.ts';
import { daySpan, nextWorkingStart, type WorkingHours } from '../../src/plan/working-hours.ts';
import { offsetMinutes, zonedParts, zonedToUtcMs } from '../../src/plan/zoned-time.ts';
import type { OfficialReading } from '../../src/store/schema-official.ts';
import { H, NOW } from '../helpers/plan-fixtures.ts';

describe('zoned time (Intl)', () => {
  it('Berlin: +60 in winter, +120 in summer; wall time to instant both ways', () => {
    expect(offsetMinutes(Date.UTC(2026, 0, 15, 12), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(Date.UTC(2026, 6, 15, 12), 'Europe/Berlin')).toBe(120);
    expect(zonedToUtcMs(2026, 7, 15, 9, 0, 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 15, 7, 0));
    expect(zonedToUtcMs(2026, 1, 15, 9, 0, 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 14, 0));
    expect(zonedParts(Date.UTC(2026, 10, 20, 23, 30), 'Asia/Kolkata')).toEqual({ year: 2026, month: 11, day: 21, hour: 5, minute: 0, second: 0, weekday: 6 });
  });

  it('a wall time skipped by the spring change (02:30 on 2026-03-29 in Berlin) maps past the gap; a repeated one to its first instant', () => {
    expect(zonedToUtcMs(2026, 3, 29, 2, 30, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30)); // 03:30 CEST
    expect(zonedToUtcMs(2026, 10, 25, 2, 30, 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 25, 0, 30)); // 02:30 CEST, the first one
  });
});

describe('working hours', () => {
  const wh: WorkingHours = { start: '09:00', end: '17:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };

  it('inside hours: now; after hours on Friday: Monday morning; a Sunday: Monday', () => {
    expect(nextWorkingStart(NOW, wh, 'UTC')).toBe(NOW);
    expect(nextWorkingStart(Date.UTC(2026, 10, 20, 17, 30), wh, 'UTC')).toBe(Date.UTC(2026, 10, 23, 9, 0));
    expect(nextWorkingStart(Date.UTC(2026, 10, 22, 12), wh, 'UTC')).toBe(Date.UTC(2026, 10, 23, 9, 0));
    expect(nextWorkingStart(Date.UTC(2026, 10, 20, 7), wh, 'Europe/Berlin')).toBe(Date.UTC(2026, 10, 20, 8, 0));
    expect(daySpan(Date.UTC(2026, 10, 21, 12), wh, 'UTC')).toBeNull();
    expect(daySpan(NOW, wh, 'Europe/Berlin')).toEqual({ startMs: Date.UTC(2026, 10, 20, 8), endMs: Date.UTC(2026, 10, 20, 16, 30) });
  });
});

describe('the weekly limit', () => {
  const r = (window: string, used: number, at: number, resets: number): OfficialReading => ({
    window,
    usedPercentage: used,
    capturedAt: new Date(at).toISOString(),
    resetsAt: new Date(resets).toISOString(),
  });
  const week = NOW + 50 * H;

  it('weekly % per 5-hour %: from windows where both readings rose (2 + 3 weekly points over 20 + 30 five-hour points = 0.1)', () => {
    const readings = [
      r('five_hour', 10, NOW - 20 * H, NOW - 17 * H),
      r('seven_day', 40, NOW - 20 * H, week),
      r('five_hour', 30, NOW - 18 * H, NOW - 17 * H),
      r('seven_day', 42, NOW - 18 * H, week),
      r('five_hour', 5, NOW - 4 * H, NOW + H),
      r('seven_day', 42, NOW - 4 * H, week),
      r('five_hour', 35, NOW - H, NOW + H),
      r('seven_day', 45, NOW - H, week),
      r('five_hour', 50, NOW - 30 * H, NOW - 28 * H), // alone in its window: not used
    ];
    expect(weeklyPerWindowRatio(readings)).toEqual({ ratio: 0.1, windows: 2 });
    const pace = { usedPercentage: 45, resetsAtMs: week, ageMin: 60, pctPerHour: null, spanHours: null, fullAtMs: null, fullBeforeReset: false };
    // 0.1 weekly % per 5-hour %; a 200,000-token window is 100 five-hour %: 10 weekly % per window, 0.00005 % per token.
    const lim = weeklyLimit(pace, readings, 200_000, 95);
    expect(lim).toMatchObject({ usedPct: 45, resetsAtMs: week, capPct: 95, costSource: 'estimate, from 2 official 5-hour windows' });
    expect(lim!.pctPerToken).toBeCloseTo(0.00005, 12);
    expect(weeklyLimit(null, readings, 200_000, 95)).toBeNull();
  });

  it('no ratio while the 5-hour readings rose less than 5 points', () => {
    expect(
      weeklyPerWindowRatio([r('five_hour', 10, NOW - 2 * H, NOW + H), r('five_hour', 14, NOW - H, NOW + H), r('seven_day', 1, NOW - 3 * H, week)]),
    ).toBeNull();
  });

  it('allows: used + planned + cost <= cap before the reset; a later week starts from 0', () => {
    const lim = { usedPct: 90, resetsAtMs: week, capPct: 95, pctPerToken: 0.0001, costSource: 't' };
    expect(weeklyAllows(lim, NOW, 50_000)).toBe(true); // 95
    expect(weeklyAllows(lim, NOW, 50_001)).toBe(false);
    expect(weeklyAllows(lim, NOW, 10_000, 5)).toBe(false); // 90 + 5 + 1
    expect(weeklyAllows(lim, week, 900_000)).toBe(true); // 0 + 90
    expect(weeklyAllows(null, NOW, 1e9)).toBe(true);
  });
});
