import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionsView } from '../../src/quota/sessions-view.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { assistantLine } from '../helpers/one-response.ts';

let h: TempHome | undefined;
afterEach(() => h?.cleanup());

/** The line main.ts needs for `cco sessions` (added to the bundled copy only while main.ts lacks it). */
/** The real bundle that `npm test` builds first (what users run). */
const cliPath = path.join(ROOT, 'dist', 'cli.mjs');

const MIN = 60_000;
const A = 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa'; // live: responses 1-2 min ago (main + a subagent)
const B = 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'; // idle: its last response 3 h ago
const C = 'cccccccc-3333-4333-8333-cccccccccccc'; // seen by a hook 1 min ago, but its CLAUDE_PID is gone

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { env: h!.env(), cwd: h!.home, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const line = (sid: string, id: string, ms: number, u: [number, number, number, number], sidechain = false): string =>
  assistantLine({
    sessionId: sid,
    id,
    timestamp: new Date(ms).toISOString(),
    cwd: '/work/p',
    isSidechain: sidechain,
    content: [{ type: 'text', text: 'ok' }],
    usage: u,
  }) + '\n';

/** A pid that existed and is gone: a child that has exited and been reaped. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function setup(now: number): void {
  h = tempHome();
  const dir = path.join(h.configDir, 'projects', '-work-p');
  mkdirSync(path.join(dir, A, 'subagents'), { recursive: true });
  // A: counted (input + output + cache creation) 4,200 + 800, and 200 in its subagent file, where a copy
  // of a1 must count once: 5,200.
  writeFileSync(path.join(dir, `${A}.jsonl`), line(A, 'a1', now - 2 * MIN, [1000, 200, 3000, 50_000]) + line(A, 'a2', now - MIN, [500, 300, 0, 60_000]));
  writeFileSync(
    path.join(dir, A, 'subagents', 'agent-x.jsonl'),
    line(A, 's1', now - 90_000, [100, 100, 0, 0], true) + line(A, 'a1', now - 2 * MIN, [1000, 200, 3000, 50_000]),
  );
  // B: 2,800 three hours ago (the same 5-hour window: 8,000 counted in all).
  writeFileSync(path.join(dir, `${B}.jsonl`), line(B, 'b1', now - 180 * MIN, [2000, 800, 0, 0]));
  // What hooks would have recorded: A's Claude process is this test process (alive); C's is gone.
  const record = (sid: string, over: Record<string, unknown>) => ({
    sessionId: sid,
    cwd: '/work/p',
    transcriptPath: null,
    model: null,
    source: 'startup',
    startedAt: new Date(now - 5 * MIN).toISOString(),
    lastSeenAt: new Date(now - 5 * 60 * MIN).toISOString(),
    endedAt: null,
    endReason: null,
    tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    entries: 0,
    firstUsageAt: null,
    lastUsageAt: null,
    tools: {},
    context: null,
    hookEvents: {},
    ...over,
  });
  writeFileSync(
    path.join(h.configDir, 'session-tracker.json'),
    JSON.stringify({
      version: 1,
      sessions: {
        [A]: record(A, { claudePid: process.pid, transcriptPath: path.join(dir, `${A}.jsonl`) }),
        [C]: record(C, { claudePid: deadPid(), lastSeenAt: new Date(now - MIN).toISOString(), hookEvents: { PostToolUse: 2 } }),
      },
    }),
  );
}

describe('cco sessions (bundled CLI, temp config dir)', () => {
  it('--json: live vs not live, share of the window, burn rate, memory, resume commands', () => {
    const now = Date.now();
    setup(now);
    const r = cli(['sessions', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as SessionsView;
    expect(v.live.map((s) => s.sessionId)).toEqual([A]);
    const a = v.live[0]!;
    expect(v.windowTokens).toBe(8_000);
    expect(a.windowTokens).toBe(5_200);
    expect(a.sharePct).toBeCloseTo(65, 10);
    expect(a.burnPerMin).toBeCloseTo(5_200 / 30, 10);
    expect(a.memory.pid).toBe(process.pid);
    if (process.platform !== 'win32') expect(a.memory.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(a.context).toMatchObject({ basis: 'usable limit', source: 'measured, last response' });
    // a2's context over claude-sonnet-4-5's 200,000 (Claude Code compacts it only when a prompt no longer fits)
    expect(a.context.pct).toBeCloseTo(((500 + 0 + 60_000) / 200_000) * 100, 10);
    const byId = Object.fromEntries(v.recent.map((s) => [s.sessionId, s]));
    expect(Object.keys(byId).sort()).toEqual([B, C]);
    expect(byId[B]).toMatchObject({ status: 'idle', resume: `claude --resume ${B}` });
    expect(byId[B]!.atMs).toBe(now - 180 * MIN); // its last response
    expect(byId[C]).toMatchObject({ status: 'process gone', resume: `claude --resume ${C}` });
    expect(v.warning).toBeNull();
  });

  it('text: the section with its sources and the resume commands', () => {
    setup(Date.now());
    const r = cli(['sessions']);
    expect(r.code).toBe(0);
    const ls = r.stdout.split('\n');
    expect(ls[0]).toMatch(/^CLAUDE CODE SESSIONS {2}· {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(ls).toContain('SESSIONS ON THIS MACHINE');
    expect(ls).toContain(`  ● /work/p  ·  ${A}  ·  claude-sonnet-4-5`);
    expect(ls).toContain(`      ${'Window share'.padEnd(14)} 65.0%  (5,200 of 8,000 tokens; measured)`);
    expect(ls).toContain(`      ${'Burn rate'.padEnd(14)} 173 tokens/min over the last 30 min  (measured)`);
    expect(ls.some((l) => /^ {6}Memory +\d+ MiB RSS, pid \d+ {2}\(measured: /.test(l))).toBe(process.platform !== 'win32');
    expect(ls).toContain(`      claude --resume ${B}`);
    expect(ls).toContain(`      claude --resume ${C}`);
  });

  it('more live sessions than sessions.maxConcurrent gives the warning', () => {
    setup(Date.now());
    mkdirSync(path.join(h!.configDir, 'cco'), { recursive: true });
    writeFileSync(path.join(h!.configDir, 'cco', 'config.json'), JSON.stringify({ sessions: { maxConcurrent: 1 } }));
    const dir = path.join(h!.configDir, 'projects', '-work-q');
    mkdirSync(dir, { recursive: true });
    const D = 'dddddddd-4444-4444-8444-dddddddddddd';
    writeFileSync(path.join(dir, `${D}.jsonl`), line(D, 'd1', Date.now() - MIN, [10, 10, 0, 0]));
    const r = cli(['sessions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('WARNING            2 live sessions, more than 1 (sessions.maxConcurrent)');
  });

  it('an unknown option is one clear line and exit 2', () => {
    h = tempHome();
    const r = cli(['sessions', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cco sessions: unknown option --bogus; see node "${cliPath}" sessions --help\n`);
  });
});
