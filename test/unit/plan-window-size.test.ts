import { describe, expect, it } from 'vitest';
import { chooseNext } from '../../src/plan/fit.ts';
import { planSchedule } from '../../src/plan/schedule.ts';
import { exceedsWindow, oversizeProblem } from '../../src/plan/window-size.ts';
import { NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

const B = { tokens: 200_000, source: 'estimate, pro preset' };

describe('one rule for "larger than one 5-hour window"', () => {
  it('more tokens than the budget, or a share above 1; exactly one window fits', () => {
    expect(exceedsWindow(200_000, 200_000)).toBe(false);
    expect(exceedsWindow(200_001, 200_000)).toBe(true);
    expect(oversizeProblem({ title: 'A', tokens: 200_000, windowShare: null }, B)).toBeNull();
    expect(oversizeProblem({ title: 'A', tokens: null, windowShare: 1 }, B)).toBeNull();
    expect(oversizeProblem({ title: ' Big ', tokens: 500_000, windowShare: null }, B)).toBe(
      '"Big" is larger than one 5-hour window (500,000 tokens of a 200,000-token budget, estimate, pro preset); split it into parts',
    );
    expect(oversizeProblem({ title: 'Big', tokens: null, windowShare: 1.25 }, B)).toBe(
      '"Big" is larger than one 5-hour window (125% of a window = 250,000 tokens of a 200,000-token budget, estimate, pro preset); split it into parts',
    );
  });

  it('the next report and the scheduler draw the line at the same place as add and import', () => {
    const quota = { budget: 200_000, remaining: 200_000, windowEndMs: null };
    const q = queueOf(sess('s1', { tokens: 200_000, hours: 1 }), sess('s2', { tokens: 200_001, hours: 1 }));
    const fit = chooseNext({ queue: q, projectDir: '/w/p', hours: null, nowMs: NOW, quota, weekly: null });
    expect(fit.candidates.map((c) => [c.session.id, c.overWindow])).toEqual([
      ['s1', false],
      ['s2', true],
    ]);
    const workingHours = { start: '00:00', end: '23:59', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const };
    const r = planSchedule({ queue: q, nowMs: NOW, quota, weekly: null, workingHours, timeZone: 'UTC' });
    expect(r.placements.map((p) => p.id)).toEqual(['s1']);
    expect(r.unplaced).toEqual([{ id: 's2', kind: 'too-big', tokens: 200_001, budget: 200_000 }]);
  });
});
