import ICAL from 'ical.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run as calendar } from '../../src/cli/calendar.ts';
import type { CommandRun } from '../../src/cli/command.ts';
import { CommandFailure, UsageError } from '../../src/cli/errors.ts';
import { run as plan } from '../../src/cli/plan.ts';
import { SessionQueueSchema, type SessionQueue } from '../../src/plan/queue-schema.ts';
import { readCurrentObjective, takeDueAnnouncement } from '../../src/plan/queue-store.ts';
import { processRuntime, type Runtime } from '../../src/runtime.ts';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0); // Friday 12:00 UTC
const PROJECT = '/w/p';

let h: TempHome | null = null;
let clock = NOW;
afterEach(() => {
  h?.cleanup();
  h = null;
  clock = NOW;
});

function rt(): Runtime {
  h ??= tempHome();
  return processRuntime(h.env(), () => new Date(clock));
}

async function cco(cmd: CommandRun, r: Runtime, ...args: string[]): Promise<string> {
  let out = '';
  const code = await cmd(r, args, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
    readStdin: async () => '',
    cwd: PROJECT,
  });
  expect(code).toBe(0);
  return out;
}
const cplan = (r: Runtime, ...args: string[]) => cco(plan, r, ...args);
/** Runs a command that must succeed; stdout and stderr apart. */
async function ccoIo(cmd: CommandRun, r: Runtime, ...args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cmd(r, args, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => '',
    cwd: PROJECT,
  });
  expect(code).toBe(0);
  return { out, err };
}
const queueFile = (r: Runtime) => JSON.parse(readFileSync(r.paths.sessionQueue, 'utf8')) as SessionQueue;

/** Config: times in UTC, working hours 09-18 Mon-Fri; optionally official readings in the quota tracker. */
function setup(r: Runtime, readings: unknown[] = []): void {
  mkdirSync(r.paths.ccoDir, { recursive: true });
  writeFileSync(r.paths.config, JSON.stringify({ planning: { timeZone: 'UTC' } }));
  mkdirSync(path.dirname(r.paths.quotaTracker), { recursive: true });
  writeFileSync(r.paths.quotaTracker, JSON.stringify({ version: 1, blocks: [], seen: {}, updatedAt: null, readings, alerts: [], calibration: [] }));
}

/** s1 done; s2 after s1, 80k 2h with objectives; s3 after s2; s4 30k 1h. */
async function threeParts(r: Runtime): Promise<void> {
  await cplan(r, 'add', '--title', 'Implementation - Part 1/3', '--tokens', '100000', '--hours', '2', '--objective', 'Parser');
  await cplan(
    r,
    'add',
    '--title',
    'Implementation - Part 2/3',
    '--tokens',
    '80k',
    '--hours',
    '2',
    '--depends',
    's1',
    '--agent',
    'code-reviewer',
    '--objective',
    'Wire the CLI (CCO-OBJ-A)',
    '--objective',
    'Integration tests (CCO-OBJ-B)',
  );
  await cplan(r, 'add', '--title', 'Implementation - Part 3/3', '--share', '0.5', '--hours', '3', '--depends', 's2');
  await cplan(r, 'add', '--title', 'Docs', '--tokens', '30000', '--hours', '1');
  await cplan(r, 'done', 's1');
}

describe('cco plan: the queue through the command', () => {
  it('add, list, show, start, current, done, skip, remove', async () => {
    const r = rt();
    setup(r);
    await threeParts(r);
    const list = await cplan(r, 'list');
    expect(list).toContain('Budget per 5-hour window: 200,000 tokens  (estimate, pro preset, no plan set)');
    expect(list).toContain('1 done · 0 in progress · 3 ready · 0 scheduled · 0 skipped');
    expect(list).toContain('50% of a window = 100,000 tokens · 3h · after s2 (ready)');
    expect(await cplan(r, 'show', 's2')).toContain('  Depends on    s1 (done)');
    expect(JSON.parse(await cplan(r, 'show', 's2', '--json'))).toMatchObject({ id: 's2', tokens: 80_000, agent: 'code-reviewer', dependsOn: ['s1'] });

    const started = await cplan(r, 'start', 's2');
    expect(started).toContain('Started s2: Implementation - Part 2/3. It is now the current objective in /w/p.');
    expect(started).toContain('  - Wire the CLI (CCO-OBJ-A)');
    expect(readCurrentObjective(r, '/w/p/src')?.id).toBe('s2');
    expect(await cplan(r, 'current')).toContain('Planned session s2: Implementation - Part 2/3 (in progress since 2026-11-20 12:00 UTC)');
    expect(JSON.parse(await cplan(r, 'current', '--json'))).toMatchObject({ note: null, projectDir: '/w/p', session: { id: 's2', status: 'in_progress' } });

    expect(await cplan(r, 'done', 's2')).toContain('Now ready to start: s3 Implementation - Part 3/3.');
    expect(await cplan(r, 'skip', 's4')).toBe('s4 Docs: skipped.\n');
    expect(await cplan(r, 'remove', 's3')).toBe('Removed s3 Implementation - Part 3/3. Its id is not reused.\n');
    await cplan(r, 'add', '--title', 'After', '--tokens', '1000', '--hours', '0.5');
    expect(queueFile(r).sessions.map((s) => [s.id, s.status])).toEqual([
      ['s1', 'done'],
      ['s2', 'done'],
      ['s4', 'skipped'],
      ['s5', 'ready'],
    ]);
  });

  it('clear errors: hours outside 0.5-12, unknown ids, a blocked start', async () => {
    const r = rt();
    setup(r);
    await threeParts(r);
    await expect(cplan(r, 'next', '20')).rejects.toThrow(new UsageError('hours must be a number from 0.5 to 12, not "20"', 'plan next'));
    await expect(cplan(r, 'next', '0.25')).rejects.toThrow('hours must be a number from 0.5 to 12, not "0.25"');
    await expect(cplan(r, 'add', '--title', 'x', '--tokens', '5', '--hours', '13')).rejects.toThrow('hours must be a number from 0.5 to 12, not "13"');
    await expect(cplan(r, 'start', 's9')).rejects.toThrow(CommandFailure);
    await expect(cplan(r, 'start', 's9')).rejects.toThrow('no planned session "s9"');
    await expect(cplan(r, 'start', 's3')).rejects.toThrow('s3 waits for s2 (ready)');
    await expect(cplan(r, 'frobnicate')).rejects.toThrow(
      new UsageError('unknown action "frobnicate" (actions: add, list, show, start, done, skip, remove, import, schedule, next, current)', 'plan'),
    );
  });

  it('next: official quota first, the queue, the pick with its objectives, and the exact follow-up', async () => {
    const r = rt();
    setup(r, [
      { window: 'five_hour', usedPercentage: 40, resetsAt: new Date(NOW + 2 * H).toISOString(), capturedAt: new Date(NOW).toISOString() },
      { window: 'seven_day', usedPercentage: 62, resetsAt: new Date(NOW + 30 * H).toISOString(), capturedAt: new Date(NOW).toISOString() },
    ]);
    await threeParts(r);
    const out = await cplan(r, 'next', '3');
    expect(out).toContain('START NEXT SESSION  ·  2026-11-20 12:00 UTC  ·  3h available');
    expect(out).toMatch(/5-hour window\s+resets 2026-11-20 14:00 UTC, in 2h 00m  \(official\)/);
    expect(out).toMatch(/Used\s+40\.0%  \(official\)/);
    expect(out).toMatch(/Left\s+120,000 of 200,000 tokens/);
    expect(out).toContain('62.0% used (official)');
    expect(out).toContain('RECOMMENDATION: FITS NOW\n  s2  Implementation - Part 2/3');
    expect(out).toContain('      - Wire the CLI (CCO-OBJ-A)\n      - Integration tests (CCO-OBJ-B)');
    expect(out).toContain(
      '    1. Start s2 now:\n       cco plan start s2\n    2. Start s4 instead:\n       cco plan start s4\n    3. None of these: run nothing.',
    );
    const json = JSON.parse(await cplan(r, 'next', '3', '--json')) as {
      hours: number;
      quota: { usedPct: number; usedPctSource: string };
      fit: { choice: unknown; candidates: { session: { id: string } }[] };
      notes: string[];
    };
    expect(json).toMatchObject({ hours: 3, quota: { usedPct: 40, usedPctSource: 'official' }, notes: [] });
    expect(json.fit.candidates.map((c) => c.session.id)).toEqual(['s2', 's4']);
  });

  it('next: nothing fits now, so the reset time and the schedule command', async () => {
    const r = rt();
    setup(r, [{ window: 'five_hour', usedPercentage: 90, resetsAt: new Date(NOW + 2 * H).toISOString(), capturedAt: new Date(NOW).toISOString() }]);
    await cplan(r, 'add', '--title', 'Big', '--tokens', '150000', '--hours', '2', '--objective', 'Everything');
    const out = await cplan(r, 'next', '3');
    expect(out).toContain('RECOMMENDATION: NOTHING FITS NOW');
    expect(out).toContain('s1 Big: needs 150,000 tokens, 20,000 left in this window.');
    expect(out).toContain('cco plan schedule s1 --at 2026-11-20T14:00:00.000Z');
    await cplan(r, 'schedule', 's1', '--at', '2026-11-20T14:00:00.000Z');
    expect(queueFile(r).sessions[0]).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-20T14:00:00.000Z', scheduledBy: 'manual' });
  });

  it('import a markdown plan, then re-import it: same ids', async () => {
    const r = rt();
    setup(r);
    const file = path.join(h!.home, 'plan.md');
    writeFileSync(file, '# X\n## Part A\n- tokens: 50k\n- hours: 1\n- Do A\n## Part B\n- share: 25%\n- hours: 2\n- depends: Part A\n- Do B\n');
    const first = await cco(plan, r, 'import', file, '--project', '/w/p');
    expect(first).toContain('2 added, 0 updated, 0 kept');
    expect(await cco(plan, r, 'import', file, '--project', '/w/p')).toContain('0 added, 2 updated, 0 kept');
    expect(queueFile(r).sessions.map((s) => [s.id, s.title, s.dependsOn, s.projectDir])).toEqual([
      ['s1', 'Part A', [], '/w/p'],
      ['s2', 'Part B', ['s1'], '/w/p'],
    ]);
    writeFileSync(file, '## A\n- hours: 20\n');
    await expect(cco(plan, r, 'import', file)).rejects.toThrow(
      new CommandFailure(
        `${file}: nothing imported: line 2: hours must be a number from 0.5 to 12, not "20"; line 1: "A" has no "- tokens:" (or "- share:") line (the format: cco plan import --help)`,
      ),
    );
    writeFileSync(file, '## A\n- hours: 1\n- tokens: 5\n- depends: B\n## B\n- hours: 1\n- tokens: 5\n- depends: A\n');
    await expect(cco(plan, r, 'import', file)).rejects.toThrow('the plan would make a dependency cycle: s3 → s4 → s3');
    expect(queueFile(r).sessions).toHaveLength(2);
  });

  it('import reads the plan as CommonMark: wrapped bullets whole, no session from a comment or a fence; a file past 64 KiB refused at once', async () => {
    const r = rt();
    setup(r);
    const file = path.join(h!.home, 'plan.md');
    writeFileSync(
      file,
      '\uFEFF# X\r\n<!--\r\n## Draft\r\n-->\r\n## Part A\r\n- tokens: 50k\r\n- hours: 1\r\n- Do A, then\r\nthe rest of A\r\n```\r\n## Example\r\n```\r\n',
    );
    expect(await cco(plan, r, 'import', file, '--project', '/w/p')).toContain('1 added, 0 updated, 0 kept');
    expect(queueFile(r).sessions.map((s) => [s.id, s.title, s.objectives])).toEqual([['s1', 'Part A', ['Do A, then the rest of A']]]);
    const big = `## A\n- tokens: 1k\n- hours: 1\n${'- x\n'.repeat(16_384)}`;
    writeFileSync(file, big);
    const t0 = Date.now();
    await expect(cco(plan, r, 'import', file)).rejects.toThrow(
      new CommandFailure(`${file}: nothing imported: the file is 65 KiB, more than a plan's 64 KiB; split it into plans of their own`),
    );
    expect(Date.now() - t0).toBeLessThan(2_000); // refused before parsing, not after
    expect(queueFile(r).sessions).toHaveLength(1);
  });
});

describe('plan hygiene: duplicate titles, sessions larger than a window, unknown agents', () => {
  it('a title another session has: added anyway, one warning line on stderr naming that session; a re-import warns of nothing', async () => {
    const r = rt();
    setup(r);
    expect((await ccoIo(plan, r, 'add', '--title', 'Docs', '--tokens', '10k', '--hours', '1')).err).toBe('');
    const dup = await ccoIo(plan, r, 'add', '--title', ' docs ', '--tokens', '10k', '--hours', '1');
    expect(dup.out).toContain('Added s2: docs');
    expect(dup.err).toBe('cco: warning: s2 "docs" has the same title as s1 (ready); it was added anyway: tell them apart by id\n');
    const file = path.join(h!.home, 'plan.md');
    writeFileSync(file, '## Review\n- project: /w/q\n- tokens: 5k\n- hours: 1\n## Review\n- tokens: 5k\n- hours: 1\n');
    const first = await ccoIo(plan, r, 'import', file, '--project', '/w/p');
    expect(first.out).toContain('2 added, 0 updated, 0 kept');
    expect(first.err).toBe('cco: warning: s4 "Review" has the same title as s3 (ready, in /w/q); it was added anyway: tell them apart by id\n');
    const again = await ccoIo(plan, r, 'import', file, '--project', '/w/p');
    expect(again.out).toContain('0 added, 2 updated, 0 kept');
    expect(again.err).toBe('');
    writeFileSync(file, '## Same\n- tokens: 5k\n- hours: 1\n## same\n- tokens: 5k\n- hours: 1\n');
    await expect(cco(plan, r, 'import', file, '--project', '/w/p')).rejects.toThrow(
      new CommandFailure(
        'plan.md:4: "same" appears twice in the plan (also plan.md:1) for /w/p; a re-import matches sessions by project and title, so give each its own title',
      ),
    );
    expect(queueFile(r).sessions).toHaveLength(4);
  });

  it('a session larger than one 5-hour window is refused with a failure naming the budget and its source; nothing is added', async () => {
    const r = rt();
    setup(r);
    await expect(cplan(r, 'add', '--title', 'Huge', '--tokens', '500k', '--hours', '4')).rejects.toThrow(
      new CommandFailure(
        '"Huge" is larger than one 5-hour window (500,000 tokens of a 200,000-token budget, estimate, pro preset, no plan set); split it into parts',
      ),
    );
    await expect(cplan(r, 'add', '--title', 'Huge', '--share', '150%', '--hours', '4')).rejects.toThrow(
      new CommandFailure(
        '"Huge" is larger than one 5-hour window (150% of a window = 300,000 tokens of a 200,000-token budget, estimate, pro preset, no plan set); split it into parts',
      ),
    );
    await expect(cplan(r, 'add', '--title', 'Huge', '--share', '0', '--hours', '4')).rejects.toThrow(
      '--share needs a share of one window above 0, such as 0.5 or 50%, not "0"',
    );
    expect(await cplan(r, 'add', '--title', 'Whole', '--tokens', '200000', '--hours', '4')).toContain('Added s1: Whole');
    const file = path.join(h!.home, 'plan.md');
    writeFileSync(file, '## Small\n- tokens: 5k\n- hours: 1\n## Big\n- share: 1.2\n- hours: 2\n');
    await expect(cco(plan, r, 'import', file)).rejects.toThrow(
      new CommandFailure(
        'plan.md:4: "Big" is larger than one 5-hour window (120% of a window = 240,000 tokens of a 200,000-token budget, estimate, pro preset, no plan set); split it into parts',
      ),
    );
    expect(queueFile(r).sessions.map((s) => s.title)).toEqual(['Whole']);
  });

  it('an unknown agent: one warning line on stderr, the session keeps it; built-in, project, config-dir and plugin agents pass', async () => {
    const r = rt();
    setup(r);
    const proj = path.join(h!.home, 'proj');
    mkdirSync(path.join(proj, '.claude', 'agents'), { recursive: true });
    writeFileSync(path.join(proj, '.claude', 'agents', 'reviewer.md'), '---\nname: reviewer\n---\n');
    mkdirSync(path.join(h!.configDir, 'agents'), { recursive: true });
    writeFileSync(path.join(h!.configDir, 'agents', 'helper.md'), '---\nname: helper\n---\n');
    const cached = path.join(h!.configDir, 'plugins', 'cache', 'market', 'tools', '1.0.0', 'agents');
    mkdirSync(cached, { recursive: true });
    writeFileSync(path.join(cached, 'lint.md'), '---\nname: lint\n---\n');
    const add = (title: string, agent: string) =>
      ccoIo(plan, r, 'add', '--title', title, '--tokens', '1000', '--hours', '1', '--agent', agent, '--project', proj);
    for (const [k, agent] of ['Explore', 'reviewer', 'helper', 'cco:session-planner', 'tools:lint', 'unchecked:thing'].entries())
      expect((await add(`ok ${k}`, agent)).err).toBe('');
    const bad = await add('bad', 'code-reviewer');
    expect(bad.out).toContain('Added s7: bad');
    expect(bad.err).toBe(
      `cco: warning: s7: agent "code-reviewer" is not a known agent: not built in, and neither ${proj}/.claude/agents/code-reviewer.md nor ${h!.configDir}/agents/code-reviewer.md exists; kept as given\n`,
    );
    expect(queueFile(r).sessions.at(-1)!.agent).toBe('code-reviewer');
    expect((await add('bad plugin', 'tools:format')).err).toBe(
      `cco: warning: s8: agent "tools:format" is not a known agent: plugin tools has no agents/format.md in ${h!.configDir}/plugins/cache/*/tools/*; kept as given\n`,
    );
    expect((await add('bare', 'session-planner')).err).toMatch(/exists; did you mean "cco:session-planner"\?; kept as given\n$/);
    const file = path.join(h!.home, 'plan.md');
    writeFileSync(
      file,
      `## A\n- tokens: 5k\n- hours: 1\n- agent: nobody\n## B\n- tokens: 5k\n- hours: 1\n- agent: nobody\n## C\n- tokens: 5k\n- hours: 1\n- agent: reviewer\n`,
    );
    const imp = await ccoIo(plan, r, 'import', file, '--project', proj);
    expect(imp.err).toBe(
      `cco: warning: s10, s11: agent "nobody" is not a known agent: not built in, and neither ${proj}/.claude/agents/nobody.md nor ${h!.configDir}/agents/nobody.md exists; kept as given\n`,
    );
  });

  it('add, show, start and current name the budget of a share estimate, once', async () => {
    const r = rt();
    setup(r);
    const added = await cplan(r, 'add', '--title', 'Half', '--share', '50%', '--hours', '2');
    expect(added).toContain('  Estimate      50% of a window = 100,000 tokens (estimate, pro preset, no plan set) · 2h');
    expect(await cplan(r, 'show', 's1')).toContain('  Estimate      50% of a window = 100,000 tokens (estimate, pro preset, no plan set) · 2h');
    expect(await cplan(r, 'start', 's1')).toContain('Estimate: 50% of a window = 100,000 tokens (estimate, pro preset, no plan set) · 2h');
    const current = await cplan(r, 'current');
    expect(current).toContain('  Estimate: 50% of a window = 100,000 tokens (estimate, pro preset, no plan set) · 2h');
    for (const out of [added, current]) expect(out.split('estimate, pro preset, no plan set').length - 1).toBe(1);
  });

  it('schedule <id> of a session that outgrew a smaller budget: refused, naming the budget and its source', async () => {
    const r = rt();
    setup(r);
    await cplan(r, 'add', '--title', 'Big', '--tokens', '150000', '--hours', '2');
    writeFileSync(r.paths.config, JSON.stringify({ plan: 'custom', customBudget: 100_000, planning: { timeZone: 'UTC' } }));
    await expect(cplan(r, 'schedule', 's1')).rejects.toThrow(
      new CommandFailure(
        's1 cannot be scheduled: needs 150,000 tokens, more than a whole window of 100,000 tokens (estimate, customBudget of cco/config.json): split it',
      ),
    );
  });
});

describe('a hand-edited queue that fails the schema', () => {
  it('is quarantined with a clear message and the last good copy is used', async () => {
    const r = rt();
    setup(r);
    await threeParts(r);
    const good = queueFile(r);
    const text = readFileSync(r.paths.sessionQueue, 'utf8').replace('"hours":2', '"hours":"two"');
    writeFileSync(r.paths.sessionQueue, text);
    clock = NOW + 60_000;
    const out = await cplan(r, 'list');
    const corrupt = readdirSync(path.dirname(r.paths.sessionQueue)).filter((f) => f.startsWith('session-queue.json.corrupt-'));
    expect(corrupt).toEqual(['session-queue.json.corrupt-2026-11-20T12-01-00.000Z']);
    expect(readFileSync(path.join(path.dirname(r.paths.sessionQueue), corrupt[0]!), 'utf8')).toBe(text);
    expect(out).toContain(
      `Note: ${r.paths.sessionQueue} failed the schema (schema: sessions.0.hours: Invalid input: expected number, received string); it was moved to ${path.join(path.dirname(r.paths.sessionQueue), corrupt[0]!)}; using the last good copy (${r.paths.sessionQueueLastGood}, saved 2026-11-20T12:00:00.000Z, 4 sessions)`,
    );
    expect(out).toContain('1 done · 0 in progress · 3 ready');
    expect(SessionQueueSchema.parse(queueFile(r))).toEqual(good);
  });

  it('not JSON and no last good copy: an empty queue, and the note says so', async () => {
    const r = rt();
    setup(r);
    writeFileSync(r.paths.sessionQueue, '{ "version": 1, oops');
    const out = await cplan(r, 'list');
    expect(out).toMatch(
      /failed the schema \(not JSON .*\); it was moved to .*session-queue\.json\.corrupt-2026-11-20T12-00-00\.000Z; there is no last good copy, so the queue starts empty/,
    );
    expect(out).toContain('(empty)');
  });
});

describe('SessionStart: due sessions are announced once', () => {
  it('takeDueAnnouncement marks announcedAt under the lock; a second start says nothing', async () => {
    const r = rt();
    setup(r);
    await cplan(r, 'add', '--title', 'Later', '--tokens', '1000', '--hours', '1', '--objective', 'Ship it');
    await cplan(r, 'schedule', 's1', '--at', '2026-11-20T13:00:00Z');
    expect(await takeDueAnnouncement(r, PROJECT)).toBeNull();
    clock = NOW + 2 * H;
    const a = await takeDueAnnouncement(r, '/w/p/sub');
    expect(a?.ids).toEqual(['s1']);
    expect(a?.systemMessage).toBe('cco: planned session due now: s1 "Later" (scheduled 2026-11-20 13:00 UTC). Type /cco:start-next-session to start it.');
    expect(a?.additionalContext).toContain('    - Ship it');
    expect(queueFile(r).sessions[0]!.announcedAt).toBe('2026-11-20T14:00:00.000Z');
    expect(await takeDueAnnouncement(r, PROJECT)).toBeNull();
  });
});

describe('schedule --all and cco calendar', () => {
  it('writes calendar/session-<n>.ics and all-sessions.ics; a re-export after a re-plan raises SEQUENCE, keeps UIDs, removes stale files', async () => {
    const r = rt();
    setup(r);
    await threeParts(r);
    const sched = await cplan(r, 'schedule', '--all');
    // No window open: now 12:00-17:00 (200k) takes s2 (80k, 12-14), then s3 (100k, after s2, 14-17);
    // s4 (30k) would make 210k: the next window, starting 17:00, 17-18.
    expect(sched).toContain('SESSION SCHEDULE  ·  2026-11-20 12:00 UTC  ·  times in UTC');
    const q = queueFile(r);
    expect(q.sessions.map((s) => [s.id, s.status, s.scheduledAt])).toEqual([
      ['s1', 'done', null],
      ['s2', 'scheduled', '2026-11-20T12:00:00.000Z'],
      ['s3', 'scheduled', '2026-11-20T14:00:00.000Z'],
      ['s4', 'scheduled', '2026-11-20T17:00:00.000Z'],
    ]);
    const out = await cco(calendar, r);
    expect(out).toContain('Exported 3 scheduled sessions (times in UTC):');
    const dir = path.join(h!.configDir, 'calendar');
    expect(readdirSync(dir).sort()).toEqual(['all-sessions.ics', 'session-2.ics', 'session-3.ics', 'session-4.ics']);
    const events = (file: string) =>
      new ICAL.Component(ICAL.parse(readFileSync(path.join(dir, file), 'utf8'))).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    expect(events('session-2.ics').map((e) => [e.summary, e.startDate.toJSDate().toISOString(), e.sequence])).toEqual([
      ['Claude Session: Implementation - Part 2/3', '2026-11-20T12:00:00.000Z', 0],
    ]);
    const uids = events('all-sessions.ics').map((e) => e.uid);
    expect(uids).toHaveLength(3);

    clock = NOW + H;
    await cplan(r, 'done', 's2');
    await cplan(r, 'skip', 's4');
    await cplan(r, 'schedule', '--all');
    await cco(calendar, r);
    expect(readdirSync(dir).sort()).toEqual(['all-sessions.ics', 'session-3.ics']);
    const again = events('all-sessions.ics');
    expect(again.map((e) => [e.uid, e.sequence, e.startDate.toJSDate().toISOString()])).toEqual([[uids[1], 1, '2026-11-20T13:00:00.000Z']]);
    expect(existsSync(path.join(dir, 'session-4.ics'))).toBe(false);
  });

  it('calendar times are whole minutes: planned at 12:29:46 starts 12:30; a manual time with seconds shows its minute', async () => {
    const r = rt();
    setup(r);
    clock = NOW + 29 * 60_000 + 46_000;
    await cplan(r, 'add', '--title', 'Now-ish', '--tokens', '10k', '--hours', '1');
    await cplan(r, 'add', '--title', 'Manual', '--tokens', '10k', '--hours', '1');
    await cplan(r, 'schedule', 's2', '--at', '2026-11-20T15:00:30Z');
    await cplan(r, 'schedule', '--all');
    expect(queueFile(r).sessions.map((s) => [s.id, s.scheduledAt])).toEqual([
      ['s1', '2026-11-20T12:30:00.000Z'],
      ['s2', '2026-11-20T15:00:30.000Z'],
    ]);
    await cco(calendar, r);
    const ics = readFileSync(path.join(h!.configDir, 'calendar', 'all-sessions.ics'), 'utf8');
    expect(ics).toContain('DTSTART:20261120T123000Z');
    expect(ics).toContain('DTEND:20261120T133000Z');
    expect(ics).toContain('DTSTART:20261120T150000Z');
    expect(ics).toContain('DTEND:20261120T160000Z');
    for (const m of ics.matchAll(/^DT(?:START|END)[^\r\n]*T\d{4}(\d{2})/gm)) expect(m[1]).toBe('00');
  });
});
