import { describe, expect, it } from 'vitest';
import { chooseNext } from '../../src/plan/fit.ts';
import type { SessionQueue } from '../../src/plan/queue-schema.ts';
import { quotaLevel } from '../../src/quota/levels.ts';
import type { QuotaStatus } from '../../src/quota/quota-status.ts';
import {
  fmtEstimate,
  renderCurrent,
  renderNextReport,
  renderQueueList,
  renderSchedule,
  renderSessionDetail,
  renderStarted,
  unplacedText,
} from '../../src/render/plan.ts';
import { planSchedule } from '../../src/plan/schedule.ts';
import { H, NOW, queueOf, sess } from '../helpers/plan-fixtures.ts';

const CLI = 'node "/plugin/dist/cli.mjs"';
/** 40 % used (official), 120,000 of 200,000 left, the window resets at 14:00. */
const quota: QuotaStatus = {
  plan: 'pro',
  budget: 200_000,
  budgetSource: 'estimate, calibrated from 3 official readings',
  window: { startMs: NOW - 3 * H, endMs: NOW + 2 * H, source: 'official' },
  used: 80_000,
  usedPct: 40,
  usedPctSource: 'official',
  usedFraction: 0.4,
  remaining: 120_000,
  level: quotaLevel(40),
  burnPerMin: 0,
  runwayMin: null,
  runwayToolCalls: null,
  perToolCall: { tokens: 0, calls: 0, perCall: null },
  nextAlertPct: 50,
  tokensToNextAlert: 20_000,
  official: null,
  weekly: null,
};

function report(q: SessionQueue, hours: number | null, timeZone = 'UTC'): string {
  const fit = chooseNext({
    queue: q,
    projectDir: '/w/p',
    hours,
    nowMs: NOW,
    quota: { budget: 200_000, remaining: 120_000, windowEndMs: NOW + 2 * H },
    weekly: null,
  });
  return renderNextReport({ nowMs: NOW, hours, projectDir: '/w/p', quota, weekly: null, fit, cli: CLI, timeZone });
}

describe('the /start-next-session report', () => {
  it('smaller sessions fit: lists them with objectives; the options start each, or schedule the first at the reset', () => {
    const out = report(
      queueOf(sess('s1', { tokens: 150_000, title: 'Big' }), sess('s2', { tokens: 20_000, title: 'Small', objectives: ['Fix the typo'] })),
      3,
      'Europe/Berlin',
    );
    expect(out).toContain(
      '  Used              40.0%  (official)\n  Left              120,000 of 200,000 tokens  (estimate, calibrated from 3 official readings)',
    );
    expect(out).toContain(
      'RECOMMENDATION: SMALLER SESSIONS FIT NOW\n  Next in the plan: s1 Big; it does not fit now: needs 150,000 tokens, 120,000 left in this window.',
    );
    expect(out).toContain('  It fits at the window reset: 2026-11-20 14:00 UTC (Fri 2026-11-20 15:00 Europe/Berlin), in 2h 00m.');
    expect(out).toContain('        - Fix the typo');
    expect(out.slice(out.indexOf('NEXT STEP'))).toBe(
      [
        'NEXT STEP',
        '  Ask the person which option they want. When they answer, run exactly the command of that option:',
        '    1. Start s2 now:',
        `       ${CLI} plan start s2`,
        '    2. Schedule s1 for the window reset:',
        `       ${CLI} plan schedule s1 --at 2026-11-20T14:00:00.000Z`,
        '    3. None of these: run nothing.',
        '',
      ].join('\n'),
    );
  });

  it('nothing to start: says why and offers no command', () => {
    const out = report(queueOf(sess('s1', { tokens: 250_000, title: 'Huge' }), sess('s2', { hours: 5, title: 'Long' })), 3);
    expect(out).toContain('RECOMMENDATION: NOTHING TO START');
    expect(out).toContain('  s1 Huge: needs 250,000 tokens, more than a whole window (200,000): split it; waiting for a reset does not help.');
    expect(out).toContain('  s2 Long: needs 5h, you have 3h; waiting for a reset does not help.');
    expect(out).toContain('NEXT STEP\n  Nothing to run. Tell the person why, in one or two sentences.');
  });

  it('an empty queue and a queue of blocked sessions say what to do', () => {
    const empty = report(queueOf(), null);
    expect(empty).toContain(`No ready session is planned. Plan some with the session-planner agent, \`${CLI} plan add\` or \`${CLI} plan import <file.md>\`.`);
    expect(empty).toContain(`  (empty) Plan sessions with the session-planner agent, \`${CLI} plan add\``);
    const blocked = report(queueOf(sess('s1', { status: 'in_progress', title: 'Now' }), sess('s2', { dependsOn: ['s1'] })), 2);
    expect(blocked).toContain('  s2   ready        Session s2  (waits for s1 (in progress))');
    expect(blocked).toContain('Every ready session waits for a dependency');
    expect(blocked).toContain(`  Note: s1 Now is still in progress; when it is finished: ${CLI} plan done s1`);
    expect(blocked).toContain(`       ${CLI} plan done s1`);
  });
});

describe('the schedule report', () => {
  it('windows with their sessions in the zone, and what was not scheduled and why', () => {
    const q = queueOf(sess('s1', { tokens: 100_000, hours: 2, title: 'A' }), sess('s2', { tokens: 250_000, title: 'Too big' }));
    const r = planSchedule({
      queue: q,
      nowMs: NOW,
      quota: { budget: 200_000, remaining: 120_000, windowEndMs: NOW + 2 * H },
      weekly: null,
      workingHours: { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      timeZone: 'Europe/Berlin',
    });
    expect(renderSchedule(r, q, 'Europe/Berlin', NOW)).toBe(
      [
        'SESSION SCHEDULE  ·  2026-11-20 12:00 UTC  ·  times in Europe/Berlin',
        '─'.repeat(62),
        'Window now: Fri 2026-11-20 13:00 → Fri 2026-11-20 15:00 · 100,000 of 120,000 tokens planned',
        '  s1   Fri 2026-11-20 13:00-15:00  A  (100,000 tokens)',
        '',
        'NOT SCHEDULED',
        '  s2   Too big: needs 250,000 tokens, more than a whole window (200,000): split it',
        '',
      ].join('\n'),
    );
  });
});

describe('estimates name the budget they use, once per output, one tag per figure', () => {
  const SRC = 'estimate, calibrated from 3 official readings';
  const half = sess('s1', { tokens: null, windowShare: 0.5, title: 'Half', status: 'in_progress', startedAt: new Date(NOW).toISOString() });
  const count = (text: string) => text.split(SRC).length - 1;
  const nested = /\([^()]*\(/;

  it("a share converted to tokens carries the budget's source; a token estimate needs none", () => {
    expect(fmtEstimate(half, 200_000, SRC)).toBe(`50% of a window = 100,000 tokens (${SRC})`);
    expect(fmtEstimate(half, 200_000)).toBe('50% of a window = 100,000 tokens');
    expect(fmtEstimate(sess('s2'), 200_000, SRC)).toBe('50,000 tokens');
  });

  it('show/add, start and current name it once; list names it once, at the top', () => {
    const q = queueOf(half);
    const outputs = [
      renderSessionDetail(half, q, 200_000, 'UTC', SRC),
      renderStarted(half, 200_000, CLI, SRC),
      renderCurrent(half, '/w/p', 200_000, CLI, SRC),
      renderQueueList(q, 200_000, 'UTC', NOW, SRC),
    ];
    expect(outputs[0]).toContain(`  Estimate      50% of a window = 100,000 tokens (${SRC}) · 1h`);
    expect(outputs[1]).toContain(`Estimate: 50% of a window = 100,000 tokens (${SRC}) · 1h`);
    expect(outputs[2]).toContain(`  Estimate: 50% of a window = 100,000 tokens (${SRC}) · 1h`);
    for (const out of outputs) {
      expect(count(out)).toBe(1);
      for (const line of out.split('\n')) expect(line).not.toMatch(nested);
    }
  });

  it('the next report names it once (the Left row), with the share converted in the pick', () => {
    const out = report(queueOf(sess('s1', { tokens: null, windowShare: 0.5, title: 'Half' })), 3);
    expect(out).toContain('    Estimate    50% of a window = 100,000 tokens (120,000 left now) · 1h (of 3h)');
    expect(count(out)).toBe(1);
  });

  it("a too-big session refused by schedule <id> names the window's budget with its source", () => {
    const u = { id: 's2', kind: 'too-big' as const, tokens: 250_000, budget: 200_000 };
    expect(unplacedText(u, SRC)).toBe(`needs 250,000 tokens, more than a whole window of 200,000 tokens (${SRC}): split it`);
    expect(unplacedText(u)).toBe('needs 250,000 tokens, more than a whole window (200,000): split it');
  });
});
