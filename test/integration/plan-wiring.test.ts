import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync } from '../helpers/spawn-bundle.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

function cco(args: string[], cwd: string, env: Record<string, string> = {}) {
  return spawnSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), ...args], { cwd, env: h.env(env), encoding: 'utf8' });
}

function sessionStart(cwd: string) {
  const r = runHookSync(
    'session-start',
    JSON.stringify({ session_id: 'aaaaaaaa-0000-4000-8000-000000000001', cwd, source: 'startup', hook_event_name: 'SessionStart' }),
    h.env({ CLAUDE_PROJECT_DIR: cwd }),
    cwd,
  );
  expect(r.code).toBe(0);
  return r.stdout.trim() === '' ? null : (JSON.parse(r.stdout) as { systemMessage: string });
}

describe('the plan in the rest of the pack', () => {
  it('a started planned session is the current objective in /session-status', () => {
    h = tempHome();
    const proj = path.join(h.home, 'proj');
    mkdirSync(proj);
    expect(
      cco(['plan', 'add', '--title', 'Parser - Part 1/2', '--tokens', '90000', '--hours', '2', '--objective', 'Tokenize the input', '--project', proj], proj)
        .status,
    ).toBe(0);
    expect(cco(['plan', 'start', 's1'], proj).status).toBe(0);
    const status = cco(['status'], proj);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/CURRENT OBJECTIVE {2}\(planned session in progress\)\n {2}Planned session s1: Parser - Part 1\/2 \(in progress since /);
    expect(status.stdout).toContain('Tokenize the input');
  });

  it('exit codes: a session larger than one window exits 1 with one line on stderr; warnings keep exit 0', () => {
    h = tempHome();
    const proj = path.join(h.home, 'proj');
    mkdirSync(proj);
    const big = cco(['plan', 'add', '--title', 'Huge', '--tokens', '500000', '--hours', '4', '--project', proj], proj);
    expect(big.status).toBe(1);
    expect(big.stderr).toBe(
      'cco plan: "Huge" is larger than one 5-hour window (500,000 tokens of a 200,000-token budget, estimate, pro preset, no plan set); split it into parts\n',
    );
    expect(cco(['plan', 'add', '--title', 'Docs', '--tokens', '1000', '--hours', '1', '--project', proj], proj).stderr).toBe('');
    const dup = cco(['plan', 'add', '--title', 'docs', '--tokens', '1000', '--hours', '1', '--agent', 'nobody', '--project', proj], proj);
    expect(dup.status).toBe(0);
    expect(dup.stdout).toContain('Added s2: docs');
    expect(dup.stderr.split('\n')).toEqual([
      'cco: warning: s2 "docs" has the same title as s1 (ready); it was added anyway: tell them apart by id',
      `cco: warning: s2: agent "nobody" is not a known agent: not built in, and neither ${proj}/.claude/agents/nobody.md nor ${h.configDir}/agents/nobody.md exists; kept as given`,
      '',
    ]);
  });

  it('SessionStart announces a scheduled session whose time has come, once', async () => {
    h = tempHome();
    const proj = path.join(h.home, 'proj');
    mkdirSync(proj);
    expect(
      cco(['plan', 'add', '--title', 'Refactor', '--tokens', '50000', '--hours', '1', '--objective', 'Split the module', '--project', proj], proj).status,
    ).toBe(0);
    const soon = new Date(Date.now() + 1_500).toISOString();
    const sched = cco(['plan', 'schedule', 's1', '--at', soon], proj);
    expect(sched.status, sched.stderr).toBe(0);
    expect(sessionStart(proj)).toBeNull(); // not due yet
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(soon) - Date.now()) + 200));
    const first = sessionStart(proj);
    expect(first?.systemMessage).toMatch(/Refactor/);
    expect(first?.systemMessage).toMatch(/s1/);
    expect(sessionStart(proj)).toBeNull();
  });
});
