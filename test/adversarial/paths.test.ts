import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHandoffFile, saveHandoff, sessionProjectKey } from '../../src/handoff/handoff-store.ts';
import { processRuntime } from '../../src/runtime.ts';
import { isPlainSegment } from '../../src/store/contained-path.ts';
import { ROOT, stateFile, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { diffSnapshots, hookCommand, hookEnv, snapshot, type HookName } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';
import { adversary } from './tally.ts';

// Issue 18, class "paths": a path that comes from the environment, a payload, a transcript's folder or
// the disk is resolved and checked, never trusted; no hostile one costs data or writes outside its place.

const newHome = tempHomePerTest();
const CLI = path.join(ROOT, 'dist', 'cli.mjs');

/** Runs a hook as hooks.json does (under /bin/sh, in `cwd`), without waiting for its tracker. */
function hook(name: HookName, payload: object, env: Record<string, string>, cwd: string) {
  const stdin = JSON.stringify(payload);
  const r = spawnSync('/bin/sh', ['-c', hookCommand(name)], { input: stdin, env: hookEnv(stdin, env), encoding: 'utf8', timeout: 20_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cli(args: string[], env: Record<string, string>, cwd: string = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function statusline(env: Record<string, string>, cwd: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'statusline.cjs')], { input: '{}', env, encoding: 'utf8', timeout: 20_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** A fresh project dir (the hooks' cwd), inside the temp home so it is cleaned up. */
function project(h: TempHome): string {
  const p = path.join(h.home, 'project');
  mkdirSync(p, { recursive: true });
  return p;
}

function payload(event: string, cwd: string, transcript = '/nonexistent/s.jsonl') {
  return { session_id: 'sess-p', hook_event_name: event, cwd, transcript_path: transcript, source: 'startup', tool_name: 'Bash' };
}

describe('adversarial: paths', () => {
  it('relative CLAUDE_CONFIG_DIR entries are refused, never resolved against the project', async () => {
    const t = adversary('paths');
    for (const value of ['rel/dir', '.', './c', '..', '~other/x', ' ./c , rel ']) {
      await t.case(`CLAUDE_CONFIG_DIR=${JSON.stringify(value)} alone`, () => {
        const h = newHome();
        const cwd = project(h);
        const env = h.env({ CLAUDE_CONFIG_DIR: value });
        const before = snapshot(h.home);
        for (const name of ['session-start', 'post-tool-use', 'stop', 'session-end'] as const) {
          const r = hook(name, payload(name, cwd), env, cwd);
          expect(r.code).toBe(0);
          expect(lines(r.stderr)).toHaveLength(1);
          expect(r.stderr).toMatch(/CLAUDE_CONFIG_DIR entr(y|ies) .* not (an )?absolute/);
        }
        expect(statusline(env, cwd).stdout).toMatch(/^cco: n\/a \(CLAUDE_CONFIG_DIR entr/);
        for (const cmd of ['status', 'report', 'sync', 'sessions']) {
          const r = cli([cmd], env, cwd);
          expect(r.code).toBe(1);
          expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^cco ${cmd}: CLAUDE_CONFIG_DIR entr`))]);
        }
        // Nothing in the project, the config dir or anywhere else but cco's own log under the home.
        const { changed, removed } = diffSnapshots(before, snapshot(h.home));
        expect(removed).toEqual([]);
        expect(changed.filter((p) => !p.startsWith('.local'))).toEqual([]);
        expect(readdirSync(cwd)).toEqual([]);
      });
    }
    await t.case('CLAUDE_CONFIG_DIR="a,<absolute>": the absolute entry serves, "a" is named and gets nothing', () => {
      const h = newHome();
      const cwd = project(h);
      const env = h.env({ CLAUDE_CONFIG_DIR: `a,${h.configDir}` });
      const r = hook('session-start', payload('SessionStart', cwd), env, cwd);
      expect(r.code).toBe(0);
      expect(lines(r.stderr)).toEqual([expect.stringContaining(`entry "a" is not an absolute path: refused`)]);
      const s = cli(['sync'], env, cwd);
      expect(s.code).toBe(0);
      expect(s.stderr).toContain('"a"');
      expect(existsSync(path.join(h.configDir, 'session-tracker.json'))).toBe(true);
      expect(readdirSync(cwd)).toEqual([]);
    });
    await t.case('CLAUDE_CONFIG_DIR="~/x" unexpanded by a shell: the home\'s x, not <cwd>/~/x', () => {
      const h = newHome();
      const cwd = project(h);
      const env = h.env({ CLAUDE_CONFIG_DIR: '~/x' });
      expect(hook('session-start', payload('SessionStart', cwd), env, cwd)).toMatchObject({ code: 0, stderr: '' });
      expect(cli(['sync'], env, cwd).code).toBe(0);
      expect(existsSync(path.join(h.home, 'x', 'session-tracker.json'))).toBe(true);
      expect(readdirSync(cwd)).toEqual([]);
    });
    t.done();
  }, 300_000);

  it('a config dir that is a file: one line naming it, the right exit code, nothing written', async () => {
    const t = adversary('paths');
    const shapes: [string, (h: TempHome) => { value: string; names: string }][] = [
      [
        'a file as the only entry',
        (h) => {
          writeFileSync(path.join(h.home, 'f'), 'x');
          return { value: path.join(h.home, 'f'), names: path.join(h.home, 'f') };
        },
      ],
      [
        'a path under a file',
        (h) => {
          writeFileSync(path.join(h.home, 'f'), 'x');
          return { value: path.join(h.home, 'f', 'sub'), names: path.join(h.home, 'f', 'sub') };
        },
      ],
      [
        'a file first in a list',
        (h) => {
          writeFileSync(path.join(h.home, 'f'), 'x');
          return { value: `${path.join(h.home, 'f')},${h.configDir}`, names: path.join(h.home, 'f') };
        },
      ],
      [
        'a FIFO as the config dir',
        (h) => {
          execFileSync('mkfifo', [path.join(h.home, 'q')]);
          return { value: path.join(h.home, 'q'), names: path.join(h.home, 'q') };
        },
      ],
    ];
    for (const [what, make] of shapes) {
      await t.case(what, () => {
        const h = newHome();
        const cwd = project(h);
        const { value, names } = make(h);
        const env = h.env({ CLAUDE_CONFIG_DIR: value });
        for (const cmd of ['report', 'status', 'sync', 'sessions']) {
          const r = cli([cmd], env, cwd);
          expect(r.code).toBe(1);
          expect(lines(r.stderr)).toHaveLength(1);
          expect(r.stderr).toContain(names);
          expect(r.stderr).not.toMatch(/ENOTDIR|EEXIST|at .*\.mjs/);
        }
        const hr = hook('post-tool-use', payload('PostToolUse', cwd), env, cwd);
        expect(hr.code).toBe(0);
        expect(lines(hr.stderr)).toEqual([expect.stringContaining(names)]);
        expect(readdirSync(cwd)).toEqual([]);
      });
    }
    await t.case('a file as a later entry: skipped as a transcript root, the first entry serves', () => {
      const h = newHome();
      const f = path.join(h.home, 'f');
      writeFileSync(f, 'x');
      const env = h.env({ CLAUDE_CONFIG_DIR: `${h.configDir},${f}` });
      for (const cmd of ['report', 'status', 'sync']) expect(cli([cmd], env)).toMatchObject({ code: 0, stderr: '' });
    });
    t.done();
  }, 300_000);

  it('transcript folder names and session ids never move a file of ours out of its folder', async () => {
    const t = adversary('paths');
    const cfg = '/cfg';
    const hostile = ['..', '.', '.hidden', '__proto__', 'a\0b', 'x'.repeat(300), 'ü-proj', '-'.repeat(250)];
    for (const folder of hostile) {
      await t.case(
        `transcript folder ${JSON.stringify(folder.length > 40 ? `${folder.slice(0, 10)}…(${folder.length})` : folder)}: the handoff lands in cco/handoffs/<plain key>/`,
        async () => {
          const key = sessionProjectKey(`${cfg}/projects/${folder}/s.jsonl`, '/work/p');
          expect(key).not.toBeNull();
          expect(isPlainSegment(key!)).toBe(true);
          expect(key).toMatch(/^[A-Za-z0-9-]+$/);
          const h = newHome();
          const rt = processRuntime(h.env());
          const saved = await saveHandoff(rt, { projectKey: key!, project: '/work/p', sessionId: 's', reason: 'save-and-restart', markdown: '# h\n' });
          expect(path.dirname(path.dirname(saved.file))).toBe(rt.paths.handoffsDir);
          expect(statSync(saved.file).isFile()).toBe(true);
        },
      );
    }
    await t.case('a transcript path with a ".." segment: its folder is no project key', () => {
      expect(sessionProjectKey(`${cfg}/projects/../../etc/s.jsonl`, '/work/p')).toBe(sessionProjectKey(null, '/work/p'));
    });
    for (const key of ['..', '../x', 'a/../..', '', '.']) {
      await t.case(`saveHandoff with key ${JSON.stringify(key)} (a caller's bug): refused, nothing written outside`, async () => {
        const h = newHome();
        const rt = processRuntime(h.env());
        const before = snapshot(h.home);
        await expect(saveHandoff(rt, { projectKey: key, project: null, sessionId: 's', reason: 'r', markdown: 'x' })).rejects.toThrow(/would leave/);
        expect(diffSnapshots(before, snapshot(h.home)).changed).toEqual([]);
      });
    }
    for (const sid of ['../../x', 'a/b', '..']) {
      await t.case(`a SessionEnd without transcript_path for session ${JSON.stringify(sid)}: no transcript outside projects/ is read`, () => {
        const h = newHome();
        const cwd = project(h);
        mkdirSync(path.join(h.configDir, 'projects', '-p'), { recursive: true });
        // What "../../x.jsonl" would reach from projects/-p/: a transcript that is not this session's.
        writeFileSync(path.join(h.configDir, 'x.jsonl'), '');
        const env = h.env();
        expect(hook('session-end', { session_id: sid, hook_event_name: 'SessionEnd', reason: 'other' }, env, cwd).code).toBe(0);
        expect(cli(['sync'], env).code).toBe(0);
        const sessions = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as {
          sessions: Record<string, { transcriptPath: string | null }>;
        };
        expect(sessions.sessions[sid]?.transcriptPath ?? null).toBeNull();
      });
    }
    t.done();
  }, 300_000);

  it('a hand-edited pending.json naming a FIFO, a directory, /proc or a file outside cco/handoffs/: taken as missing, never read', async () => {
    const t = adversary('paths');
    const transcript = '/nonexistent/s.jsonl';
    type Target = { what: string; make: (h: TempHome, handoffsDir: string) => string; notShown?: string };
    const targets: Target[] = [
      {
        what: 'a FIFO in the handoffs folder',
        make: (_h, d) => {
          const f = path.join(d, 'k', 'fifo.md');
          mkdirSync(path.dirname(f), { recursive: true });
          execFileSync('mkfifo', [f]);
          return f;
        },
      },
      {
        what: 'a directory in the handoffs folder',
        make: (_h, d) => {
          const f = path.join(d, 'k', 'dir.md');
          mkdirSync(f, { recursive: true });
          return f;
        },
      },
      { what: '/proc/self/status', make: () => '/proc/self/status', notShown: 'VmRSS' },
      {
        what: 'a file outside the handoffs folder',
        make: (h) => {
          const f = path.join(h.home, 'secret.md');
          writeFileSync(f, 'SECRET TEXT\n');
          return f;
        },
        notShown: 'SECRET TEXT',
      },
      {
        what: 'a path that leaves the folder with ".."',
        make: (h, d) => {
          writeFileSync(path.join(h.home, 'secret.md'), 'SECRET TEXT\n');
          return `${d}/../../../secret.md`;
        },
        notShown: 'SECRET TEXT',
      },
      {
        what: 'a symlink in the handoffs folder to a file outside',
        make: (h, d) => {
          const out = path.join(h.home, 'secret.md');
          writeFileSync(out, 'SECRET TEXT\n');
          const f = path.join(d, 'k', 'link.md');
          mkdirSync(path.dirname(f), { recursive: true });
          symlinkSync(out, f);
          return f;
        },
        notShown: 'SECRET TEXT',
      },
      { what: 'the pending index itself', make: (_h, d) => path.join(d, 'pending.json'), notShown: '"pending"' },
      {
        what: 'a FIFO outside the handoffs folder',
        make: (h) => {
          const f = path.join(h.home, 'out.fifo');
          execFileSync('mkfifo', [f]);
          return f;
        },
      },
    ];
    for (const target of targets) {
      await t.case(`pending entry naming ${target.what}: cco handoff show and SessionStart finish in seconds`, async () => {
        const h = newHome();
        const cwd = project(h);
        const env = h.env();
        const rt = processRuntime(env);
        const key = sessionProjectKey(transcript, cwd)!;
        await saveHandoff(rt, { projectKey: key, project: cwd, sessionId: 'saver', reason: 'save-and-restart', markdown: '# handoff\n' });
        const file = target.make(h, rt.paths.handoffsDir);
        const index = JSON.parse(readFileSync(rt.paths.handoffPending, 'utf8')) as { pending: Record<string, { file: string }> };
        index.pending[key]!.file = file;
        writeFileSync(rt.paths.handoffPending, JSON.stringify(index));
        const before = lstatSync(file);

        let start = Date.now();
        const shown = cli(['handoff', 'show', '--project', cwd], env);
        expect(Date.now() - start).toBeLessThan(5_000);
        expect(shown.code, shown.stderr).toBe(0);
        expect(shown.stdout).toContain('That is no handoff file');
        if (target.notShown !== undefined) expect(shown.stdout).not.toContain(target.notShown);
        expect(shown.stderr).toBe('');

        start = Date.now();
        const r = hook('session-start', { ...payload('SessionStart', cwd, transcript), session_id: 'next' }, env, cwd);
        expect(Date.now() - start).toBeLessThan(5_000);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('is no handoff file');
        expect(r.stdout).not.toContain('additionalContext');
        if (target.notShown !== undefined) expect(r.stdout).not.toContain(target.notShown);
        // Used up like a deleted file (so it does not block every SessionStart), recorded as missing.
        const after = JSON.parse(readFileSync(rt.paths.handoffPending, 'utf8')) as {
          pending: Record<string, unknown>;
          consumed: { file: string; outcome: string }[];
        };
        expect(after.pending[key]).toBeUndefined();
        expect(after.consumed.at(-1)).toMatchObject({ file, outcome: 'missing' });
        // What the entry named is as it was (the index itself was just rewritten: it took the entry).
        const now = lstatSync(file);
        if (file !== rt.paths.handoffPending) expect([now.ino, now.mode, now.size]).toEqual([before.ino, before.mode, before.size]);
      });
    }
    await t.case('readHandoffFile on a regular file of ours still reads it', async () => {
      const h = newHome();
      const rt = processRuntime(h.env());
      const saved = await saveHandoff(rt, { projectKey: 'k', project: '/w', sessionId: 's', reason: 'r', markdown: '# mine\n' });
      expect(readHandoffFile(rt, saved.file)).toEqual({ kind: 'text', text: '# mine\n' });
    });
    t.done();
  }, 300_000);

  it('a directory, FIFO, socket or symlink to a directory where a state file belongs is moved aside and rebuilt', async () => {
    const t = adversary('paths');
    const names = [
      'session-tracker.json',
      'quota-tracker.json',
      'cco/quota-durable.json',
      'cco/statusline-snapshot.json',
      'session-queue.json',
      'cco/config.json',
      'cco/handoffs/pending.json',
    ];
    const kinds = ['a directory', 'a FIFO', 'a symlink to a directory'] as const;
    const servers: net.Server[] = [];
    const make = async (kind: string, file: string, h: TempHome) => {
      mkdirSync(path.dirname(file), { recursive: true });
      if (kind === 'a directory') mkdirSync(file);
      else if (kind === 'a FIFO') execFileSync('mkfifo', [file]);
      else if (kind === 'a socket') {
        const s = net.createServer();
        servers.push(s);
        await new Promise<void>((res) => s.listen(file, res));
      } else {
        const target = mkdtempSync(path.join(h.home, 'elsewhere-'));
        symlinkSync(target, file);
      }
    };
    const cases: [string, string][] = [
      ...names.flatMap((n) => kinds.map((k) => [n, k] as [string, string])),
      ['session-tracker.json', 'a socket'],
      ['quota-tracker.json', 'a socket'],
    ];
    for (const [name, kind] of cases) {
      await t.case(`${kind} where ${name} belongs`, async () => {
        const h = newHome();
        const cwd = project(h);
        const file = stateFile(h, name);
        await make(kind, file, h);
        const env = h.env();
        // cco doctor, before anything moved it: names the fault (or, for the config it reads itself, has
        // moved it aside already), advises no chmod for it.
        const doc = cli(['doctor'], env);
        const kindWord = kind === 'a symlink to a directory' ? 'a directory' : kind;
        if (name.endsWith('config.json')) expect(doc.stdout).toMatch(/quarantined file .*config\.json\.corrupt-/);
        else expect(doc.stdout).toContain(`${kindWord} is where ${file} belongs`);
        expect(doc.stdout.split('\n').filter((l) => l.includes('chmod') && l.includes(file))).toEqual([]);
        const projects = path.join(h.configDir, 'projects', '-p');
        mkdirSync(projects, { recursive: true });
        const transcript = path.join(projects, 'sess-p.jsonl');
        writeFileSync(
          transcript,
          assistantLine({ sessionId: 'sess-p', requestId: 'r1', messageId: 'm1', usage: { input_tokens: 10, output_tokens: 5 } }) + '\n',
        );
        for (const ev of ['SessionStart', 'PostToolUse', 'Stop'] as const) {
          const name2 = ({ SessionStart: 'session-start', PostToolUse: 'post-tool-use', Stop: 'stop' } as const)[ev];
          expect(hook(name2, payload(ev, cwd, transcript), env, cwd).code).toBe(0);
        }
        expect(cli(['sync'], env).code).toBe(0);
        expect(cli(['status'], env).code).toBe(0);
        expect(cli(['plan', 'list'], env).code).toBe(0);
        // Moved aside (kept, as it was), and the place holds a regular file or nothing.
        const aside = readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.corrupt-`));
        expect(aside).toHaveLength(1);
        const st = lstatSync(path.join(path.dirname(file), aside[0]!));
        expect(kind === 'a directory' ? st.isDirectory() : kind === 'a FIFO' ? st.isFIFO() : kind === 'a socket' ? st.isSocket() : st.isSymbolicLink()).toBe(
          true,
        );
        if (existsSync(file)) expect(lstatSync(file).isFile()).toBe(true);
        // Tracking went on: the session's tokens are counted.
        const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { entries: number }> };
        expect(tracker.sessions['sess-p']?.entries).toBe(1);
        const after = cli(['doctor'], env);
        expect(after.stdout).not.toContain(`is where ${file} belongs`);
        expect(after.stdout).toContain('quarantined');
      });
    }
    for (const s of servers) s.close();
    t.done();
  }, 600_000);
});
