import { describe, expect, it } from 'vitest';
import {
  addSession,
  applySchedule,
  finishSession,
  importSessions,
  nextSessionId,
  removeSession,
  scheduleSession,
  startSession,
  type ImportItem,
  type NewSession,
} from '../../src/plan/queue-ops.ts';
import { emptyQueue, parseHours, PlanError, SessionQueueSchema, sessionTokens } from '../../src/plan/queue-schema.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

/** A 200,000-token window from the pro preset. */
const B = { tokens: 200_000, source: 'estimate, pro preset' };
const base: NewSession = {
  title: 'Part 1/2',
  projectDir: '/w/p',
  tokens: 80_000,
  windowShare: null,
  hours: 2,
  objectives: ['a', ' ', ' b '],
  agent: null,
  dependsOn: [],
};

describe('adding sessions: ids s1, s2, ... never reused', () => {
  it('gives s1 then s2, trims objectives and drops empty ones, starts ready', () => {
    const a = addSession(emptyQueue('q'), base, NOW, B);
    const b = addSession(a.queue, { ...base, title: 'Part 2/2', dependsOn: ['s1'] }, NOW, B);
    expect(a.session.id).toBe('s1');
    expect(b.session.id).toBe('s2');
    expect(a.session).toMatchObject({ status: 'ready', objectives: ['a', 'b'], createdAt: '2026-11-20T12:00:00.000Z', scheduledAt: null });
    expect(b.queue.nextId).toBe(3);
    expect(SessionQueueSchema.parse(b.queue)).toEqual(b.queue);
  });

  it('after removing the newest session the next id is still new', () => {
    const q = addSession(addSession(emptyQueue('q'), base, NOW, B).queue, { ...base, title: 'x' }, NOW, B).queue;
    const removed = removeSession(q, 's2', NOW).queue;
    expect(addSession(removed, { ...base, title: 'y' }, NOW, B).session.id).toBe('s3');
  });

  it('a hand-edited queue with an id above nextId never gets that id again', () => {
    const q = { ...queueOf(sess('s7')), nextId: 2 };
    expect(nextSessionId(q)).toBe('s8');
  });

  it.each([
    [{ hours: 0.4 }, 'hours must be a number from 0.5 to 12, not 0.4'],
    [{ hours: 12.5 }, 'hours must be a number from 0.5 to 12, not 12.5'],
    [{ windowShare: 0.5 }, 'give an estimate in tokens or as a share of a window, not both'],
    [{ tokens: null }, '"Part 1/2" needs an estimate: tokens, or a share of a window'],
    [{ tokens: null, windowShare: 0 }, 'a window share must be above 0, not 0'],
    [
      { tokens: null, windowShare: 1.5 },
      '"Part 1/2" is larger than one 5-hour window (150% of a window = 300,000 tokens of a 200,000-token budget, estimate, pro preset); split it into parts',
    ],
    [{ tokens: 500_000 }, '"Part 1/2" is larger than one 5-hour window (500,000 tokens of a 200,000-token budget, estimate, pro preset); split it into parts'],
    [{ tokens: 12.5 }, 'tokens must be a whole number above 0, not 12.5'],
    [{ title: '  ' }, 'a session needs a title'],
    [{ agent: 'bad agent' }, 'agent must be an agent name such as "Explore" or "cco:session-planner", not "bad agent"'],
    [{ dependsOn: ['s9'] }, 'no planned session "s9"'],
  ] as [Partial<NewSession>, string][])('refuses %j', (patch, msg) => {
    expect(() => addSession(emptyQueue('q'), { ...base, ...patch }, NOW, B)).toThrow(PlanError);
    expect(() => addSession(emptyQueue('q'), { ...base, ...patch }, NOW, B)).toThrow(msg);
  });
});

describe('the size of a session: at most one 5-hour window of the budget in use', () => {
  it('exactly one window (200,000 tokens, or a share of 1) is accepted; one token more is refused, naming the budget and its source', () => {
    expect(addSession(emptyQueue('q'), { ...base, tokens: 200_000 }, NOW, B).session.tokens).toBe(200_000);
    expect(addSession(emptyQueue('q'), { ...base, tokens: null, windowShare: 1 }, NOW, B).session.windowShare).toBe(1);
    expect(() => addSession(emptyQueue('q'), { ...base, tokens: 200_001 }, NOW, B)).toThrow(
      new PlanError('"Part 1/2" is larger than one 5-hour window (200,001 tokens of a 200,000-token budget, estimate, pro preset); split it into parts'),
    );
    const calibrated = { tokens: 180_000, source: 'estimate, calibrated from 3 official readings' };
    expect(() => addSession(emptyQueue('q'), base, NOW, { ...calibrated, tokens: 70_000 })).toThrow(
      '(80,000 tokens of a 70,000-token budget, estimate, calibrated from 3 official readings); split it into parts',
    );
  });

  it('import: a session to add or update that is too big is refused with its origin; a kept (done) one is not checked', () => {
    const item = (title: string, p: Partial<ImportItem> = {}): ImportItem => ({ ...base, title, origin: `plan.md:${title}`, ...p });
    expect(() => importSessions(emptyQueue('q'), [item('A'), item('Huge', { tokens: 500_000 })], NOW, B)).toThrow(
      'plan.md:Huge: "Huge" is larger than one 5-hour window (500,000 tokens of a 200,000-token budget, estimate, pro preset); split it into parts',
    );
    expect(() => importSessions(emptyQueue('q'), [item('Half again', { tokens: null, windowShare: 1.5 })], NOW, B)).toThrow(
      'plan.md:Half again: "Half again" is larger than one 5-hour window (150% of a window = 300,000 tokens',
    );
    const q = queueOf(sess('s1', { title: 'Huge', status: 'done' }), sess('s2', { title: 'Ready one' }));
    expect(importSessions(q, [item('Huge', { tokens: 500_000 })], NOW, B).kept.map((s) => s.id)).toEqual(['s1']);
    expect(() => importSessions(q, [item('Ready one', { tokens: 500_000 })], NOW, B)).toThrow(
      'plan.md:Ready one: "Ready one" is larger than one 5-hour window',
    );
  });
});

describe('hours', () => {
  it('accepts 0.5 to 12 (also "2h"), refuses the rest with a clear message', () => {
    expect(parseHours('0.5')).toBe(0.5);
    expect(parseHours('12')).toBe(12);
    expect(parseHours('2.5h')).toBe(2.5);
    for (const bad of ['0.4', '12.01', '13', '-1', 'three', '']) expect(() => parseHours(bad)).toThrow(`hours must be a number from 0.5 to 12, not "${bad}"`);
  });
});

describe('start, done, skip', () => {
  const q = queueOf(sess('s1'), sess('s2', { dependsOn: ['s1'] }));

  it('start marks in progress with the time; a session whose dependency is not done needs --force', () => {
    const started = startSession(q, 's1', NOW).session;
    expect(started).toMatchObject({ status: 'in_progress', startedAt: '2026-11-20T12:00:00.000Z' });
    expect(() => startSession(q, 's2', NOW)).toThrow('s2 waits for s1 (ready): finish those first, or start it anyway with --force');
    expect(startSession(q, 's2', NOW, { force: true }).session.status).toBe('in_progress');
  });

  it('done and skip set finishedAt; a done session cannot be started or skipped', () => {
    const done = finishSession(q, 's1', 'done', NOW + H).queue;
    expect(done.sessions[0]).toMatchObject({ status: 'done', finishedAt: '2026-11-20T13:00:00.000Z' });
    expect(startSession(done, 's2', NOW + H).session.status).toBe('in_progress');
    expect(() => startSession(done, 's1', NOW)).toThrow('s1 is already done');
    expect(() => finishSession(done, 's1', 'skipped', NOW)).toThrow('s1 is done; it cannot be skipped');
    expect(() => finishSession(done, 's1', 'done', NOW)).toThrow('s1 is already done');
  });

  it('a session on a dependency cycle is refused with the cycle named', () => {
    const c = queueOf(sess('s1', { dependsOn: ['s2'] }), sess('s2', { dependsOn: ['s1'] }));
    expect(() => startSession(c, 's2', NOW)).toThrow('s2 is on a dependency cycle (s1 → s2 → s1)');
  });

  it('unknown ids are named', () => {
    expect(() => startSession(q, 's5', NOW)).toThrow('no planned session "s5" (cco plan list shows the ids)');
  });
});

describe('remove, schedule, apply a schedule', () => {
  it("remove takes the id out of other sessions' dependencies", () => {
    const q = queueOf(sess('s1'), sess('s2', { dependsOn: ['s1'] }), sess('s3', { dependsOn: ['s2', 's1'] }));
    const r = removeSession(q, 's1', NOW);
    expect(r.unlinked).toEqual(['s2', 's3']);
    expect(r.queue.sessions.map((s) => [s.id, s.dependsOn])).toEqual([
      ['s2', []],
      ['s3', ['s2']],
    ]);
    expect(r.queue.nextId).toBe(4);
  });

  it('schedule sets the time; a new time clears announcedAt, the same time keeps it', () => {
    const at = NOW + 2 * H;
    const q = queueOf(
      sess('s1', { status: 'scheduled', scheduledAt: new Date(at).toISOString(), scheduledBy: 'auto', announcedAt: new Date(at).toISOString() }),
    );
    expect(scheduleSession(q, 's1', at, 'manual', NOW).session).toMatchObject({ scheduledBy: 'manual', announcedAt: new Date(at).toISOString() });
    expect(scheduleSession(q, 's1', at + H, 'manual', NOW).session).toMatchObject({ scheduledAt: '2026-11-20T15:00:00.000Z', announcedAt: null });
    expect(() => scheduleSession(queueOf(sess('s2', { status: 'done' })), 's2', at, 'manual', NOW)).toThrow(
      's2 is done; only ready or scheduled sessions can be scheduled',
    );
  });

  it('applySchedule: placed ids get auto times, re-planned ids without a place go back to ready, others untouched', () => {
    const q = queueOf(
      sess('s1'),
      sess('s2', { status: 'scheduled', scheduledAt: '2026-11-21T09:00:00.000Z', scheduledBy: 'auto' }),
      sess('s3', { status: 'done' }),
    );
    const out = applySchedule(q, new Map([['s1', NOW + H]]), ['s1', 's2'], NOW);
    expect(out.sessions.map((s) => [s.id, s.status, s.scheduledAt, s.scheduledBy])).toEqual([
      ['s1', 'scheduled', '2026-11-20T13:00:00.000Z', 'auto'],
      ['s2', 'ready', null, null],
      ['s3', 'done', null, null],
    ]);
  });
});

describe('import: merged by project and title, ids kept on re-plan', () => {
  const item = (title: string, p: Partial<ImportItem> = {}): ImportItem => ({ ...base, title, origin: `plan.md:${title}`, ...p });

  it('adds new sessions, resolving dependencies by title in the plan or by queued id', () => {
    const q = queueOf(sess('s1', { status: 'done' }));
    const r = importSessions(q, [item('Part A', { dependsOn: ['s1'] }), item('Part B', { dependsOn: ['part a'] })], NOW, B);
    expect(r.added.map((s) => [s.id, s.title, s.dependsOn])).toEqual([
      ['s2', 'Part A', ['s1']],
      ['s3', 'Part B', ['s2']],
    ]);
  });

  it('re-importing the same plan updates in place: same ids, no duplicates, done sessions kept', () => {
    const first = importSessions(emptyQueue('q'), [item('Part A'), item('Part B', { dependsOn: ['Part A'] })], NOW, B).queue;
    const doneA = finishSession(first, 's1', 'done', NOW).queue;
    const again = importSessions(
      doneA,
      [item('Part A', { hours: 5 }), item('Part B', { hours: 3, dependsOn: ['Part A'] }), item('Part C', { dependsOn: ['Part B'] })],
      NOW + H,
      B,
    );
    expect(again.kept.map((s) => s.id)).toEqual(['s1']);
    expect(again.updated.map((s) => [s.id, s.hours, s.dependsOn])).toEqual([['s2', 3, ['s1']]]);
    expect(again.added.map((s) => [s.id, s.dependsOn])).toEqual([['s3', ['s2']]]);
    expect(again.queue.sessions.map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    expect(again.queue.sessions[0]!.hours).toBe(2); // done: left as it was
  });

  it('refuses a cycle, an unknown reference, a self reference and a duplicate title, changing nothing', () => {
    expect(() => importSessions(emptyQueue('q'), [item('A', { dependsOn: ['B'] }), item('B', { dependsOn: ['A'] })], NOW, B)).toThrow(
      'the plan would make a dependency cycle: s1 → s2 → s1',
    );
    expect(() => importSessions(emptyQueue('q'), [item('A', { dependsOn: ['Nope'] })], NOW, B)).toThrow(
      'plan.md:A: dependency "Nope" is neither a queued id nor the title of a session in this plan or project',
    );
    expect(() => importSessions(emptyQueue('q'), [item('A', { dependsOn: ['A'] })], NOW, B)).toThrow('"A" depends on itself');
    expect(() => importSessions(emptyQueue('q'), [item('A'), item(' a ')], NOW, B)).toThrow(
      'plan.md: a : " a " appears twice in the plan (also plan.md:A) for /w/p; a re-import matches sessions by project and title, so give each its own title',
    );
  });

  it('the same title in two projects is two sessions (warned by the CLI, see plan-duplicate-titles)', () => {
    const r = importSessions(emptyQueue('q'), [item('Docs'), item('docs', { projectDir: '/w/q' })], NOW, B);
    expect(r.added.map((s) => [s.id, s.title, s.projectDir])).toEqual([
      ['s1', 'Docs', '/w/p'],
      ['s2', 'docs', '/w/q'],
    ]);
  });
});

describe('schema and estimates', () => {
  it('refuses duplicate ids, a scheduled session without a time, and a session without an estimate', () => {
    expect(SessionQueueSchema.safeParse(queueOf(sess('s1'), sess('s1'))).success).toBe(false);
    expect(SessionQueueSchema.safeParse(queueOf(sess('s1', { status: 'scheduled' }))).success).toBe(false);
    expect(SessionQueueSchema.safeParse(queueOf(sess('s1', { tokens: null }))).success).toBe(false);
    expect(SessionQueueSchema.safeParse(queueOf(sess('s1', { hours: 13 }))).success).toBe(false);
  });

  it('a window share is resolved against the budget in use', () => {
    expect(sessionTokens({ tokens: null, windowShare: 0.25 }, 180_000)).toBe(45_000);
    expect(sessionTokens({ tokens: 7, windowShare: null }, 180_000)).toBe(7);
  });
});
