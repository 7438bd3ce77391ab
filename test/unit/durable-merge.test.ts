import { describe, expect, it } from 'vitest';
import { canonicalDurable, mergeDurable, type DurableQuota } from '../../src/store/durable-merge.ts';
import type { Alert } from '../../src/store/schema-alerts.ts';

const iso = (m: number) => new Date(Date.UTC(2026, 10, 20, 10, m)).toISOString();
const alert = (id: string, m: number, deliveredTo: string[]): Alert => ({
  id,
  kind: 'quota',
  threshold: 50,
  windowStart: iso(0),
  createdAt: iso(m),
  level: 'MODERATE',
  message: 'x',
  modelNote: null,
  deliveredTo,
});
const reading = (pct: number, m: number) => ({ window: 'five_hour', usedPercentage: pct, resetsAt: iso(300), capturedAt: iso(m) });

describe('mergeDurable', () => {
  it('unions both copies: alerts by id with their deliveries, readings by value keeping the latest capture', () => {
    const a: DurableQuota = { readings: [reading(40, 1), reading(42, 5)], alerts: [alert('q50', 2, ['s1'])], calibration: [] };
    const b: DurableQuota = { readings: [reading(42, 9)], alerts: [alert('q50', 2, ['s2', 's1']), alert('q75', 7, [])], calibration: [] };
    const m = mergeDurable(a, b);
    expect(m.readings).toEqual([reading(40, 1), reading(42, 9)]);
    expect(m.alerts.map((x) => [x.id, x.deliveredTo])).toEqual([
      ['q50', ['s1', 's2']],
      ['q75', []],
    ]);
  });

  it('canonical form ignores order and duplicates, and differs when anything new is there', () => {
    const a: DurableQuota = { readings: [reading(40, 1), reading(42, 5)], alerts: [alert('q50', 2, ['b', 'a'])], calibration: [] };
    const b: DurableQuota = { readings: [reading(42, 5), reading(40, 1), reading(40, 1)], alerts: [alert('q50', 2, ['a', 'b'])], calibration: [] };
    expect(canonicalDurable(a)).toBe(canonicalDurable(b));
    expect(canonicalDurable(mergeDurable(a, { ...b, alerts: [alert('q50', 2, ['c'])] }))).not.toBe(canonicalDurable(a));
  });
});
