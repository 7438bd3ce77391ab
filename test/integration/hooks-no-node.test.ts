// A person whose Claude Code has no `node` on PATH: every hook fails with one line that says so (not
// "sh: node: not found" five times over with nothing about cco), and cco doctor says how to fix it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNode, nodeOnPath } from '../../src/doctor/node.ts';
import { ROOT, tempHomePerTest } from '../helpers/sandbox-env.ts';

const newHome = tempHomePerTest();
const hooks = (
  JSON.parse(readFileSync(path.join(ROOT, 'hooks', 'hooks.json'), 'utf8')) as { hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>> }
).hooks;
const commands = Object.entries(hooks).flatMap(([event, groups]) =>
  groups.flatMap((g) => g.hooks.map((x) => ({ event, command: x.command.replaceAll('${CLAUDE_PLUGIN_ROOT}', ROOT) }))),
);

describe('hooks without node on PATH', () => {
  it('each hook command says in one line on stderr that node is missing, and exits 1 (a non-blocking hook error)', () => {
    const h = newHome();
    const bin = path.join(h.home, 'empty-bin');
    mkdirSync(bin);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const c of commands) {
      const r = spawnSync('/bin/sh', ['-c', c.command], { input: '{"session_id":"s"}', env: { ...h.env(), PATH: bin }, encoding: 'utf8' });
      expect(r.status, c.event).toBe(1);
      expect(r.stderr, c.event).toBe('cco: no node on PATH for Claude Code: cco needs Node.js 20.17+ there (install it, or set env.PATH in settings.json)\n');
      expect(r.stdout, c.event).toBe('');
    }
  });

  it('with node on PATH the same commands run the bundles (exit 0)', () => {
    const h = newHome();
    const env = { ...h.env(), PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, CCO_TRACKER: 'manual' };
    for (const c of commands) {
      const r = spawnSync('/bin/sh', ['-c', c.command], {
        input: JSON.stringify({ session_id: 'hooks-json', cwd: h.home, hook_event_name: c.event }),
        env,
        encoding: 'utf8',
      });
      expect(r.status, `${c.event}: ${r.stderr}`).toBe(0);
    }
  });

  it('cco doctor: a fix line when PATH finds no node', () => {
    const h = newHome();
    const dir = path.join(h.home, 'bin');
    mkdirSync(dir);
    const exec = (f: string) => f === path.join(dir, 'node');
    expect(nodeOnPath(`/nope:${dir}/`, exec, 'linux')).toBe(path.join(dir, 'node'));
    expect(nodeOnPath('/nope::/also-not', exec, 'linux')).toBeNull();
    expect(nodeOnPath(undefined, exec, 'linux')).toBeNull();
    expect(checkNode('v22.9.0', null)).toMatchObject({ status: 'fix', fix: expect.stringContaining('env') });
    expect(checkNode('v22.9.0', '/usr/bin/node')).toMatchObject({ status: 'ok', detail: 'Node.js v22.9.0 (supported: ^20.17.0 || >=22.9.0), /usr/bin/node' });
    writeFileSync(path.join(dir, 'x'), '');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'doctor'], { env: { ...h.env(), PATH: dir }, encoding: 'utf8' });
    expect(r.stdout).toMatch(/^fix  node +no `node` on PATH .*; fix: install Node\.js 20\.17\+/m);
  });
});
