import { describe, expect, it } from 'vitest';
import { weeklyPace } from '../../src/quota/weekly-pace.ts';
import type { OfficialReading } from '../../src/store/schema-official.ts';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const H = 3_600_000;
const RESET = NOW + 60 * H;
const r = (pct: number, capturedAt: number, resetsAt = RESET): OfficialReading => ({
  window: 'seven_day',
  usedPercentage: pct,
  resetsAt: new Date(resetsAt).toISOString(),
  capturedAt: new Date(capturedAt).toISOString(),
});

describe('weeklyPace', () => {
  it('measures the pace against the reading closest to 24 h earlier and forecasts 100 % before the reset', () => {
    // 40 % -> 64 % over 24 h = 1 %/h; 36 % left -> full 36 h after NOW, before the reset at +60 h
    const p = weeklyPace([r(30, NOW - 30 * H), r(40, NOW - 24 * H), r(50, NOW - 10 * H), r(64, NOW)], NOW)!;
    expect(p.usedPercentage).toBe(64);
    expect(p.spanHours).toBe(24);
    expect(p.pctPerHour).toBeCloseTo(1, 10);
    expect(p.fullAtMs).toBe(NOW + 36 * H);
    expect(p.fullBeforeReset).toBe(true);
  });

  it('says it stays under 100 % when the pace is slow, and flat when nothing rose', () => {
    const slow = weeklyPace([r(60, NOW - 24 * H), r(61.2, NOW)], NOW)!; // 0.05 %/h -> 776 h to full
    expect(slow.fullBeforeReset).toBe(false);
    const flat = weeklyPace([r(61, NOW - 5 * H), r(61, NOW)], NOW)!;
    expect(flat.pctPerHour).toBe(0);
    expect(flat.fullAtMs).toBeNull();
  });

  it('needs a reading at least 1 h older in the same weekly window; none at all gives null', () => {
    const p = weeklyPace([r(10, NOW - 30 * 60_000), r(20, NOW - 40 * H, RESET - 7 * 24 * H), r(12, NOW)], NOW)!;
    expect(p.pctPerHour).toBeNull();
    expect(weeklyPace([], NOW)).toBeNull();
    expect(weeklyPace([r(12, NOW - H, NOW - 1)], NOW)).toBeNull();
  });
});
