import { describe, expect, it } from 'vitest';
import { currentObjective } from '../../src/plan/current.ts';
import { dueAnnouncement, dueHookOutput } from '../../src/plan/due.ts';
import { currentObjectiveLines } from '../../src/render/plan.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('due sessions (SessionStart)', () => {
  const q = queueOf(
    sess('s1', { status: 'scheduled', scheduledAt: iso(NOW - 10 * 60_000), title: 'Part 2/3', objectives: ['Wire the CLI'], agent: 'code-reviewer', hours: 2 }),
    sess('s2', { status: 'scheduled', scheduledAt: iso(NOW - 3 * H), title: 'Docs' }),
    sess('s3', { status: 'scheduled', scheduledAt: iso(NOW + 60_000) }), // not yet
    sess('s4', { status: 'scheduled', scheduledAt: iso(NOW - H), announcedAt: iso(NOW - H) }), // told already
    sess('s5', { status: 'scheduled', scheduledAt: iso(NOW - H), projectDir: '/elsewhere' }), // other project
    sess('s6', { status: 'ready' }),
  );

  it("announces the project's scheduled sessions whose time has come and were not announced, earliest first", () => {
    const a = dueAnnouncement(q, NOW, '/w/p/sub');
    expect(a?.ids).toEqual(['s2', 's1']);
    expect(a?.systemMessage).toBe(
      'cco: planned sessions due now: s2 "Docs" (scheduled 2026-11-20 09:00 UTC, 3h 00m ago); s1 "Part 2/3" (scheduled 2026-11-20 11:50 UTC). Type /cco:start-next-session to start one.',
    );
    expect(a?.additionalContext).toContain('- s1 Part 2/3 (2h, agent code-reviewer). Objectives:\n    - Wire the CLI');
    expect(a?.additionalContext).toContain('Do not start it unless they ask');
  });

  it('as SessionStart output: systemMessage and additionalContext; a note alone has no context', () => {
    expect(dueHookOutput({ systemMessage: 'm', additionalContext: 'c' })).toEqual({
      systemMessage: 'm',
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'c' },
    });
    expect(dueHookOutput({ systemMessage: 'note', additionalContext: null })).toEqual({ systemMessage: 'note' });
    expect(dueHookOutput(null)).toBeNull();
  });

  it('nothing due: null', () => {
    expect(dueAnnouncement(q, NOW, '/elsewhere/x')).toMatchObject({ ids: ['s5'] });
    expect(dueAnnouncement(q, NOW - 4 * H, '/w/p')).toBeNull();
    expect(dueAnnouncement(q, NOW, '/w/other')).toBeNull();
  });
});

describe('the current objective', () => {
  it('is the most recently started session in progress in this project (or a parent dir)', () => {
    const q = queueOf(
      sess('s1', { status: 'in_progress', startedAt: iso(NOW - 2 * H) }),
      sess('s2', {
        status: 'in_progress',
        startedAt: iso(NOW - H),
        title: 'Part 2/3',
        objectives: ['Wire the CLI', 'Tests'],
        tokens: null,
        windowShare: 0.5,
        hours: 2,
      }),
      sess('s3', { status: 'in_progress', startedAt: iso(NOW), projectDir: '/elsewhere' }),
      sess('s4', { status: 'done' }),
    );
    const cur = currentObjective(q, '/w/p/src');
    expect(cur?.id).toBe('s2');
    expect(currentObjectiveLines(cur!, 180_000)).toEqual([
      'Planned session s2: Part 2/3 (in progress since 2026-11-20 11:00 UTC)',
      'Estimate: 50% of a window = 90,000 tokens · 2h',
      'Objectives:',
      '  - Wire the CLI',
      '  - Tests',
    ]);
    expect(currentObjective(q, '/w/other')).toBeNull();
  });
});
