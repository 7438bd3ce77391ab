import { describe, expect, it } from 'vitest';
import { applySchedule, finishSession } from '../../src/plan/queue-ops.ts';
import type { SessionQueue } from '../../src/plan/queue-schema.ts';
import { planSchedule, type ScheduleInputs, type ScheduleResult } from '../../src/plan/schedule.ts';
import type { WorkingHours } from '../../src/plan/working-hours.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

// NOW = Friday 2026-11-20 12:00 UTC. The current window resets at 14:00 with 120,000 of 200,000 left.
const WORK: WorkingHours = { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const MON_9 = Date.UTC(2026, 10, 23, 9, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function inputs(queue: SessionQueue, p: Partial<ScheduleInputs> = {}): ScheduleInputs {
  return {
    queue,
    nowMs: NOW,
    quota: { budget: 200_000, remaining: 120_000, windowEndMs: NOW + 2 * H },
    weekly: null,
    workingHours: WORK,
    timeZone: 'UTC',
    ...p,
  };
}
const times = (r: ScheduleResult) => Object.fromEntries(r.placements.map((p) => [p.id, [iso(p.startMs), iso(p.endMs), p.slot]]));

/** s1 100k 2h; s2 after s1 150k 3h; s3 50k 1h; s4 after s2 120k 2h. */
const plan = () =>
  queueOf(
    sess('s1', { tokens: 100_000, hours: 2 }),
    sess('s2', { tokens: 150_000, hours: 3, dependsOn: ['s1'] }),
    sess('s3', { tokens: 50_000, hours: 1 }),
    sess('s4', { tokens: 120_000, hours: 2, dependsOn: ['s2'] }),
  );

describe('schedule --all: the coming windows', () => {
  it('now, the reset, then the next working morning; budgets, dependencies and no overlap', () => {
    const r = planSchedule(inputs(plan()));
    expect(times(r)).toEqual({
      // Window now [12:00, 14:00), 120k: s1 (100k) fits; s3 (50k) would make 150k.
      s1: ['2026-11-20T12:00:00.000Z', '2026-11-20T14:00:00.000Z', 0],
      // Window at the reset [14:00, 19:00), 200k: s2 after s1 ends; s3 after s2 (no overlap), 150k + 50k = 200k.
      s2: ['2026-11-20T14:00:00.000Z', '2026-11-20T17:00:00.000Z', 1],
      s3: ['2026-11-20T17:00:00.000Z', '2026-11-20T18:00:00.000Z', 1],
      // The next window would start at 19:00 Friday: outside working hours, so Monday 09:00.
      s4: ['2026-11-23T09:00:00.000Z', '2026-11-23T11:00:00.000Z', 2],
    });
    expect(r.slots.map((s) => [iso(s.startMs), s.planned, s.budget])).toEqual([
      ['2026-11-20T12:00:00.000Z', 100_000, 120_000],
      ['2026-11-20T14:00:00.000Z', 200_000, 200_000],
      ['2026-11-23T09:00:00.000Z', 120_000, 200_000],
    ]);
    expect(r.unplaced).toEqual([]);
    expect(r.replanned).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('working hours in the configured zone: 17:00 in Berlin is too late for 2 h, so Monday 09:00 Berlin (08:00 UTC)', () => {
    const now = Date.UTC(2026, 10, 20, 16, 0); // 17:00 CET
    const r = planSchedule(
      inputs(queueOf(sess('s1', { hours: 2 })), { nowMs: now, quota: { budget: 200_000, remaining: 200_000, windowEndMs: null }, timeZone: 'Europe/Berlin' }),
    );
    expect(times(r)).toEqual({ s1: ['2026-11-23T08:00:00.000Z', '2026-11-23T10:00:00.000Z', 1] });
  });

  it('the weekly cap: a session that would exceed it goes to the first window after the weekly reset', () => {
    // Week at 80 %, cap 95 %, 100,000 tokens = 10 points, reset Monday 00:00 UTC.
    const weekly = { usedPct: 80, resetsAtMs: Date.UTC(2026, 10, 23), capPct: 95, pctPerToken: 0.0001, costSource: 'test' };
    const q = queueOf(sess('s1', { tokens: 100_000, hours: 2 }), sess('s2', { tokens: 60_000, hours: 1 }), sess('s3', { tokens: 40_000, hours: 1 }));
    const r = planSchedule(inputs(q, { weekly }));
    // s1: 80 + 10 = 90. s2: 90 + 6 = 96 > 95: Monday. s3: 90 + 4 = 94: still this week, at the reset window (now-window has 20k left).
    expect(times(r)).toEqual({
      s1: ['2026-11-20T12:00:00.000Z', '2026-11-20T14:00:00.000Z', 0],
      s2: ['2026-11-23T09:00:00.000Z', '2026-11-23T10:00:00.000Z', 2],
      s3: ['2026-11-20T14:00:00.000Z', '2026-11-20T15:00:00.000Z', 1],
    });
  });

  it('the weekly cap with the cost unknown: nothing before the weekly reset once the week is at the cap', () => {
    const weekly = { usedPct: 96, resetsAtMs: Date.UTC(2026, 10, 24, 10), capPct: 95, pctPerToken: null, costSource: 'unknown' };
    const r = planSchedule(inputs(queueOf(sess('s1', { hours: 2 })), { weekly }));
    // Windows: Fri 12-14, Fri 14-19, Mon 9-14, Mon 14-19, Tue 9-14 (the reset at 10:00 is inside it).
    expect(times(r)).toEqual({ s1: ['2026-11-24T10:00:00.000Z', '2026-11-24T12:00:00.000Z', 4] });
  });

  it('reports what cannot be scheduled: a cycle, a skipped dependency, too big, too long, and what waits for them', () => {
    const q = queueOf(
      sess('s1', { dependsOn: ['s2'] }),
      sess('s2', { dependsOn: ['s1'] }),
      sess('s3', { status: 'skipped' }),
      sess('s4', { dependsOn: ['s3'] }),
      sess('s5', { tokens: 250_000 }),
      sess('s6', { hours: 6 }),
      sess('s7', { dependsOn: ['s5'] }),
      sess('s8', { dependsOn: ['s1'] }),
    );
    const r = planSchedule(inputs(q));
    expect(r.placements).toEqual([]);
    expect(r.unplaced).toEqual([
      { id: 's1', kind: 'cycle', cycle: ['s1', 's2'] },
      { id: 's2', kind: 'cycle', cycle: ['s1', 's2'] },
      { id: 's8', kind: 'waits', on: 's1' },
      { id: 's4', kind: 'blocked', blockers: [{ id: 's3', status: 'skipped' }] },
      { id: 's5', kind: 'too-big', tokens: 250_000, budget: 200_000 },
      { id: 's6', kind: 'too-long', hours: 6 },
      { id: 's7', kind: 'waits', on: 's5' },
    ]);
  });

  it('a manual time is kept and its tokens and hours are taken into account', () => {
    const q = queueOf(
      sess('s1', { tokens: 150_000, hours: 3, status: 'scheduled', scheduledAt: iso(NOW + 2 * H), scheduledBy: 'manual' }),
      sess('s2', { tokens: 60_000, hours: 2 }),
    );
    const r = planSchedule(inputs(q));
    expect(r.replanned).toEqual(['s2']);
    expect(r.kept.map((k) => [k.id, iso(k.startMs), k.slot])).toEqual([['s1', '2026-11-20T14:00:00.000Z', 1]]);
    // Now-window: 60k <= 120k, 12:00-14:00 is free.
    expect(times(r)).toEqual({ s2: ['2026-11-20T12:00:00.000Z', '2026-11-20T14:00:00.000Z', 0] });
    // With no room now, s2 lands after s1 in the reset window (150k + 60k > 200k there: Monday).
    const tight = planSchedule(inputs(q, { quota: { budget: 200_000, remaining: 10_000, windowEndMs: NOW + 2 * H } }));
    expect(times(tight)).toEqual({ s2: [iso(MON_9), iso(MON_9 + 2 * H), 2] });
  });

  it('an in-progress dependency ends at its start + its hours', () => {
    const q = queueOf(sess('s1', { status: 'in_progress', startedAt: iso(NOW - H), hours: 3 }), sess('s2', { dependsOn: ['s1'] }));
    expect(times(planSchedule(inputs(q)))).toEqual({ s2: ['2026-11-20T14:00:00.000Z', '2026-11-20T15:00:00.000Z', 1] });
  });

  it('scheduling one session keeps every other time and refuses when its dependency has none', () => {
    const q = queueOf(
      sess('s1', { status: 'scheduled', scheduledAt: iso(NOW + 3 * H), scheduledBy: 'auto', hours: 2 }),
      sess('s2', { dependsOn: ['s1'] }),
      sess('s3'),
      sess('s4', { dependsOn: ['s3'] }),
    );
    expect(times(planSchedule(inputs(q, { only: 's2' })))).toEqual({ s2: ['2026-11-20T17:00:00.000Z', '2026-11-20T18:00:00.000Z', 1] });
    expect(planSchedule(inputs(q, { only: 's4' })).unplaced).toEqual([{ id: 's4', kind: 'waits', on: 's3' }]);
  });
});

describe('start times are whole minutes (rounded up: a start is a lower bound)', () => {
  const SECS = 29 * 60_000 + 46_000; // 12:29:46
  it('now at 12:29:46: the first session starts 12:30, the next one after it at whole minutes too', () => {
    const q = queueOf(sess('s1', { hours: 0.51 }), sess('s2', { dependsOn: ['s1'] }));
    const r = planSchedule(inputs(q, { nowMs: NOW + SECS, quota: { budget: 200_000, remaining: 200_000, windowEndMs: null } }));
    // s1 ends 12:30 + 30.6 min = 13:00:36; s2 starts at the next whole minute.
    expect(times(r)).toEqual({
      s1: ['2026-11-20T12:30:00.000Z', '2026-11-20T13:00:36.000Z', 0],
      s2: ['2026-11-20T13:01:00.000Z', '2026-11-20T14:01:00.000Z', 0],
    });
  });

  it("a window reset and an in-progress dependency's end with seconds give whole-minute starts, never earlier", () => {
    const reset = NOW + 2 * H + 27_500; // 14:00:27.5
    const q = queueOf(
      sess('s1', { tokens: 150_000 }),
      sess('s2', { status: 'in_progress', startedAt: iso(NOW - H + 10_000), hours: 2 }),
      sess('s3', { dependsOn: ['s2'], tokens: 10_000, hours: 0.5 }),
    );
    const r = planSchedule(inputs(q, { quota: { budget: 200_000, remaining: 100_000, windowEndMs: reset } }));
    expect(times(r)).toEqual({
      // s3 after s2 (ends 13:00:10): 13:01, in the window now; s1 (150k) needs the reset window: 14:01, after the reset.
      s3: ['2026-11-20T13:01:00.000Z', '2026-11-20T13:31:00.000Z', 0],
      s1: ['2026-11-20T14:01:00.000Z', '2026-11-20T15:01:00.000Z', 1],
    });
    for (const p of r.placements) expect(p.startMs % 60_000).toBe(0);
  });
});

describe('re-planning keeps ids stable', () => {
  it('the same inputs give the same plan; after s1 is done a re-plan moves times, never ids', () => {
    const q0 = plan();
    const r1 = planSchedule(inputs(q0));
    expect(planSchedule(inputs(q0))).toEqual(r1);
    const q1 = applySchedule(q0, new Map(r1.placements.map((p) => [p.id, p.startMs])), r1.replanned, NOW);
    expect(q1.sessions.map((s) => [s.id, s.title, s.status])).toEqual([
      ['s1', 'Session s1', 'scheduled'],
      ['s2', 'Session s2', 'scheduled'],
      ['s3', 'Session s3', 'scheduled'],
      ['s4', 'Session s4', 'scheduled'],
    ]);
    // s1 done at 13:00; re-plan at 13:00 with the window now nearly spent (10k left until 14:00).
    const later = NOW + H;
    const q2 = finishSession(q1, 's1', 'done', later).queue;
    const r2 = planSchedule(inputs(q2, { nowMs: later, quota: { budget: 200_000, remaining: 10_000, windowEndMs: NOW + 2 * H } }));
    expect(r2.replanned).toEqual(['s2', 's3', 's4']);
    expect(times(r2)).toEqual({
      s2: ['2026-11-20T14:00:00.000Z', '2026-11-20T17:00:00.000Z', 1],
      s3: ['2026-11-20T17:00:00.000Z', '2026-11-20T18:00:00.000Z', 1],
      s4: ['2026-11-23T09:00:00.000Z', '2026-11-23T11:00:00.000Z', 2],
    });
    const q3 = applySchedule(q2, new Map(r2.placements.map((p) => [p.id, p.startMs])), r2.replanned, later);
    expect(q3.sessions.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(q3.nextId).toBe(q0.nextId);
  });
});
