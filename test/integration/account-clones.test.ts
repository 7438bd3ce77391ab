import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../helpers/sandbox-env.ts';
import { runHookSync } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

const h = tempHome();
afterAll(() => h.cleanup());

/** Two clones, each with its own CLAUDE_CONFIG_DIR, under one HOME: one person, one account. */
const clones = ['a', 'b'].map((n) => ({
  name: n,
  dir: path.join(h.home, 'clones', n, '.claude-config'),
  sid: `${n.repeat(8)}-0000-4000-8000-00000000000${n === 'a' ? 1 : 2}`,
}));
const env = (dir: string) => h.env({ CLAUDE_CONFIG_DIR: dir });

function session(c: (typeof clones)[number], counted: number): string {
  const dir = path.join(c.dir, 'projects', `-work-${c.name}`);
  mkdirSync(dir, { recursive: true });
  const tx = path.join(dir, `${c.sid}.jsonl`);
  writeFileSync(tx, assistantLine({ sessionId: c.sid, id: c.name, cwd: `/work/${c.name}`, model: 'claude-opus-5-5', usage: [counted, 0, 0, 0] }) + '\n');
  return tx;
}

function status(dir: string): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'status'], { env: env(dir), encoding: 'utf8', cwd: '/' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('one account, many config dirs (clones)', () => {
  it('each clone shows the account-wide window, and its share in the sessions section', () => {
    mkdirSync(h.accountDir, { recursive: true });
    writeFileSync(path.join(h.accountDir, 'config.json'), JSON.stringify({ plan: 'custom', customBudget: 100_000, quota: { desktopNotifications: false } }));
    for (const [c, counted] of [
      [clones[0]!, 30_000],
      [clones[1]!, 10_000],
    ] as const) {
      const tx = session(c, counted);
      const r = runHookSync('session-start', JSON.stringify({ session_id: c.sid, transcript_path: tx, cwd: `/work/${c.name}`, source: 'startup' }), env(c.dir));
      expect(r).toMatchObject({ code: 0, stderr: '' });
    }
    const registry = JSON.parse(readFileSync(path.join(h.home, '.local', 'state', 'claude-code-optimizer', 'config-dirs.json'), 'utf8')) as {
      dirs: Record<string, { account: string }>;
    };
    expect(Object.keys(registry.dirs).sort()).toEqual(clones.map((c) => c.dir).sort());
    for (const c of clones) {
      const out = status(c.dir);
      // 30,000 + 10,000 of a 100,000 budget, whichever clone asks
      expect(out).toMatch(/Used +40\.0% {2}\(estimate, customBudget of cco\/config\.json\) · 40,000 tokens counted in the window \(measured\)/);
      expect(out).toContain('Config dirs        2 of this account share the window; their tokens in it  (measured)');
      const share = (x: (typeof clones)[number], tokens: string, pct: string) =>
        `${x.dir.replace(h.home, '~')}`.padEnd(14) + ` ${tokens} tokens · ${pct} · 1 live${x === c ? '  (this one)' : ''}`;
      expect(out).toContain(`      ${share(clones[0]!, '30,000', '75.0%')}`);
      expect(out).toContain(`      ${share(clones[1]!, '10,000', '25.0%')}`);
    }
  });

  it('a clone that was deleted: one clear note (its tracked usage still counts in this window), nothing else breaks', () => {
    rmSync(clones[1]!.dir, { recursive: true, force: true });
    const out = status(clones[0]!.dir);
    expect(out).toMatch(/Used +40\.0% .* 40,000 tokens counted in the window \(measured\)/);
    expect(out).toContain(
      `Note: the config dir ${clones[1]!.dir}, seen within the last 5 hours, no longer exists: usage tracked from it still counts toward this window`,
    );
    expect(out.match(/no longer exists/g)).toHaveLength(1);
    expect(out).not.toContain('Config dirs ');
  });

  it('CCO_ACCOUNT keeps a config dir apart', () => {
    const other = { name: 'w', dir: path.join(h.home, 'work', '.claude'), sid: 'wwwwwwww-0000-4000-8000-000000000009' };
    const tx = session(other, 50_000);
    const r = runHookSync(
      'session-start',
      JSON.stringify({ session_id: other.sid, transcript_path: tx, cwd: '/work/w', source: 'startup' }),
      h.env({ CLAUDE_CONFIG_DIR: other.dir, CCO_ACCOUNT: 'work' }),
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(status(clones[0]!.dir)).not.toContain('50,000');
  });

  it("a terminal `cco` of that config dir (no CCO_ACCOUNT in its env) takes the account from the dir's settings.json, as Claude Code's hooks do", () => {
    const other = { name: 'v', dir: path.join(h.home, 'work2', '.claude'), sid: 'vvvvvvvv-0000-4000-8000-000000000008' };
    mkdirSync(other.dir, { recursive: true });
    writeFileSync(path.join(other.dir, 'settings.json'), JSON.stringify({ env: { CCO_ACCOUNT: 'work2' } }));
    const tx = session(other, 70_000);
    const r = runHookSync(
      'session-start',
      JSON.stringify({ session_id: other.sid, transcript_path: tx, cwd: '/work/v', source: 'startup' }),
      h.env({ CLAUDE_CONFIG_DIR: other.dir, CCO_ACCOUNT: 'work2' }),
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const counted = /Used +40\.0% .* 40,000 tokens counted in the window \(measured\)/;
    expect(status(clones[0]!.dir)).toMatch(counted);
    expect(status(other.dir)).toContain('70,000 tokens counted in the window');
    const registry = JSON.parse(readFileSync(path.join(h.home, '.local', 'state', 'claude-code-optimizer', 'config-dirs.json'), 'utf8')) as {
      dirs: Record<string, { account: string }>;
    };
    expect(registry.dirs[other.dir]!.account).toBe('work2');
    // the default account gained nothing (its figures only: times move with the wall clock between runs)
    const after = status(clones[0]!.dir);
    expect(after).toMatch(counted);
    expect(after).not.toContain('70,000');
  });
});
