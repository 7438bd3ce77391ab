import { describe, expect, it } from 'vitest';
import { chooseNext, type FitInputs } from '../../src/plan/fit.ts';
import type { SessionQueue } from '../../src/plan/queue-schema.ts';
import type { WeeklyLimit } from '../../src/plan/weekly-limit.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

/** The window opened at 09:00 and resets at 14:00; 120,000 of 200,000 tokens are left; 3 h available. */
const WINDOW_END = NOW + 2 * H;
function inputs(queue: SessionQueue, p: Partial<FitInputs> = {}): FitInputs {
  return { queue, projectDir: '/w/p', hours: 3, nowMs: NOW, quota: { budget: 200_000, remaining: 120_000, windowEndMs: WINDOW_END }, weekly: null, ...p };
}
const ids = (xs: { session: { id: string } }[]) => xs.map((x) => x.session.id);

describe('/start-next-session: the time offered for a later start is a whole minute', () => {
  it('a window reset at 14:00:27.5 is offered as 14:01 (rounded up: never before the reset)', () => {
    const q = queueOf(sess('s1', { tokens: 150_000, hours: 2 }));
    const r = chooseNext(inputs(q, { quota: { budget: 200_000, remaining: 120_000, windowEndMs: WINDOW_END + 27_500 } }));
    expect(r.choice).toMatchObject({ kind: 'later', later: { atMs: WINDOW_END + 60_000, because: 'window reset' } });
  });
});

describe('/start-next-session: the choice', () => {
  it('fits now: the first ready session whose dependencies are done, in plan order', () => {
    const q = queueOf(
      sess('s1', { status: 'done' }),
      sess('s2', { dependsOn: ['s1'], tokens: 80_000, hours: 2 }),
      sess('s3', { dependsOn: ['s2'] }),
      sess('s4', { tokens: 40_000 }),
    );
    const r = chooseNext(inputs(q));
    expect(r.choice.kind).toBe('fits-now');
    if (r.choice.kind !== 'fits-now') return;
    expect(r.choice.pick.session.id).toBe('s2');
    expect(r.choice.pick.tokens).toBe(80_000);
    expect(ids(r.choice.alsoFit)).toEqual(['s4']);
    expect(r.blocked.map((b) => [b.session.id, b.blockers])).toEqual([['s3', [{ id: 's2', status: 'ready' }]]]);
  });

  it('a scheduled session counts as startable; a window share is sized at the budget (0.5 x 200,000 = 100,000 <= 120,000)', () => {
    const q = queueOf(sess('s1', { status: 'scheduled', scheduledAt: new Date(NOW + 5 * H).toISOString(), tokens: null, windowShare: 0.5 }));
    const r = chooseNext(inputs(q));
    expect(r.choice).toMatchObject({ kind: 'fits-now', pick: { tokens: 100_000 } });
  });

  it('smaller fits: the next one needs 150,000 tokens (120,000 left), so the smaller ones are listed and the first is offered for the reset', () => {
    const q = queueOf(
      sess('s1', { tokens: 150_000, hours: 2 }),
      sess('s2', { tokens: 40_000, hours: 1 }),
      sess('s3', { tokens: 130_000 }),
      sess('s4', { tokens: 20_000, hours: 0.5 }),
    );
    const r = chooseNext(inputs(q));
    expect(r.choice.kind).toBe('smaller-fit');
    if (r.choice.kind !== 'smaller-fit') return;
    expect(r.choice.first.session.id).toBe('s1');
    expect(r.choice.first).toMatchObject({ overTokens: true, overHours: false, overWindow: false });
    expect(ids(r.choice.fitting)).toEqual(['s2', 's4']);
    expect(r.choice.later).toMatchObject({ atMs: WINDOW_END, because: 'window reset' });
  });

  it('smaller fits on hours: a 4 h session with 3 h given cannot be helped by a reset (later: null)', () => {
    const q = queueOf(sess('s1', { tokens: 10_000, hours: 4 }), sess('s2', { hours: 2.5 }));
    const r = chooseNext(inputs(q));
    expect(r.choice).toMatchObject({ kind: 'smaller-fit', first: { overHours: true }, later: null });
    expect(r.choice.kind === 'smaller-fit' && ids(r.choice.fitting)).toEqual(['s2']);
  });

  it('nothing fits: the reset time at which the first one fits', () => {
    const q = queueOf(sess('s1', { tokens: 150_000, hours: 2 }), sess('s2', { tokens: 121_000 }));
    const r = chooseNext(inputs(q));
    expect(r.choice).toMatchObject({
      kind: 'later',
      first: { session: { id: 's1' } },
      later: { atMs: WINDOW_END, because: 'window reset', candidate: { session: { id: 's1' } } },
    });
  });

  it('nothing fits and waiting does not help: too long for the hours, or bigger than a whole window', () => {
    const q = queueOf(sess('s1', { hours: 4 }), sess('s2', { tokens: 250_000 }));
    const r = chooseNext(inputs(q));
    expect(r.choice.kind).toBe('none');
    expect(r.candidates.map((c) => [c.session.id, c.overHours, c.overWindow])).toEqual([
      ['s1', true, false],
      ['s2', false, true],
    ]);
  });

  it('without hours given, hours are not checked', () => {
    const q = queueOf(sess('s1', { hours: 11 }));
    expect(chooseNext(inputs(q, { hours: null })).choice.kind).toBe('fits-now');
  });

  it('no window open: the whole budget is available', () => {
    const q = queueOf(sess('s1', { tokens: 190_000 }));
    expect(chooseNext(inputs(q, { quota: { budget: 200_000, remaining: 200_000, windowEndMs: null } })).choice.kind).toBe('fits-now');
  });

  it('dependencies: a session waits until every dependency is done (in progress, skipped or missing do not count)', () => {
    const q = queueOf(
      sess('s1', { status: 'in_progress' }),
      sess('s2', { status: 'skipped' }),
      sess('s3', { dependsOn: ['s1'] }),
      sess('s4', { dependsOn: ['s2'] }),
      sess('s5', { dependsOn: ['s9'] }),
    );
    const r = chooseNext(inputs(q));
    expect(r.choice.kind).toBe('none');
    expect(r.blocked.map((b) => [b.session.id, b.blockers.map((x) => `${x.id}:${x.status}`)])).toEqual([
      ['s3', ['s1:in_progress']],
      ['s4', ['s2:skipped']],
      ['s5', ['s9:missing']],
    ]);
    expect(ids(r.inProgress.map((s) => ({ session: s })))).toEqual(['s1']);
  });

  it('a dependency cycle is reported and its sessions are never candidates', () => {
    const q = queueOf(sess('s1', { dependsOn: ['s2'] }), sess('s2', { dependsOn: ['s1'] }), sess('s3'));
    const r = chooseNext(inputs(q));
    expect(r.cycles).toEqual([['s1', 's2']]);
    expect(r.choice).toMatchObject({ kind: 'fits-now', pick: { session: { id: 's3' } } });
    expect(r.blocked.map((b) => b.session.id)).toEqual(['s1', 's2']);
  });

  it('scope: sessions of this project (or a parent project dir) first; all projects when none is planned here', () => {
    const q = queueOf(sess('s1', { projectDir: '/other' }), sess('s2', { projectDir: '/w/p' }));
    expect(chooseNext(inputs(q, { projectDir: '/w/p/src' })).choice).toMatchObject({ pick: { session: { id: 's2' } } });
    const elsewhere = chooseNext(inputs(q, { projectDir: '/w/pp' }));
    expect(elsewhere.scope).toBe('all');
    expect(elsewhere.choice).toMatchObject({ pick: { session: { id: 's1' } } });
  });
});

describe('/start-next-session: the weekly limit', () => {
  // 100,000 tokens cost 10 weekly points; the week resets in 30 h.
  const weekly = (usedPct: number, pctPerToken: number | null): WeeklyLimit => ({
    usedPct,
    resetsAtMs: NOW + 30 * H,
    capPct: 95,
    pctPerToken,
    costSource: 'test',
  });

  it('a session that would take the week over the cap waits for the weekly reset; a smaller one fits now', () => {
    const q = queueOf(sess('s1', { tokens: 80_000 }), sess('s2', { tokens: 40_000 }));
    const r = chooseNext(inputs(q, { weekly: weekly(90, 0.0001) }));
    // s1: 90 + 8 = 98 > 95; s2: 90 + 4 = 94 <= 95.
    expect(r.choice).toMatchObject({
      kind: 'smaller-fit',
      first: { overWeekly: true, overTokens: false },
      later: { atMs: NOW + 30 * H, because: 'weekly reset' },
    });
    expect(r.choice.kind === 'smaller-fit' && ids(r.choice.fitting)).toEqual(['s2']);
  });

  it('cost unknown: only a week already at the cap stops a session, until the weekly reset', () => {
    const q = queueOf(sess('s1', { tokens: 10_000 }));
    expect(chooseNext(inputs(q, { weekly: weekly(94.9, null) })).choice.kind).toBe('fits-now');
    expect(chooseNext(inputs(q, { weekly: weekly(95, null) })).choice).toMatchObject({ kind: 'later', later: { atMs: NOW + 30 * H, because: 'weekly reset' } });
  });

  it('over both: the later of the window reset and the weekly reset', () => {
    const q = queueOf(sess('s1', { tokens: 150_000 }));
    const r = chooseNext(inputs(q, { weekly: { ...weekly(90, 0.0001), resetsAtMs: NOW + H } }));
    // Tokens wait for 14:00; the week resets at 13:00, before that: the window reset decides.
    expect(r.choice).toMatchObject({ kind: 'later', later: { atMs: WINDOW_END, because: 'window reset' } });
  });
});
