import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handoffTakeRule } from '../../src/handoff/inject-pending.ts';
import { DUE_SOURCES } from '../../src/hook/session-start-extras.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync } from '../helpers/spawn-bundle.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

describe('who a SessionStart notice is for', () => {
  it('a handoff: a new session or /clear (not its saver), its own snapshot after a compaction, never a resume or fork', () => {
    expect(handoffTakeRule('startup', 's1')).toEqual({ take: true, notFrom: 's1' });
    expect(handoffTakeRule('clear', 's2')).toEqual({ take: true, notFrom: 's2' });
    expect(handoffTakeRule('compact', 's1')).toEqual({ take: true, onlySnapshotOf: 's1' });
    expect(handoffTakeRule('resume', 's1')).toEqual({ take: false });
    expect(handoffTakeRule('fork', 's1')).toEqual({ take: false });
    expect(handoffTakeRule('something-new', 's1')).toEqual({ take: false });
  });

  it('a due planned session: announced to a session that starts fresh, not to a resumed one (which would use it up)', () => {
    h = tempHome();
    const proj = path.join(h.home, 'proj');
    mkdirSync(proj);
    const cco = (args: string[]) => spawnSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), ...args], { cwd: proj, env: h.env(), encoding: 'utf8' });
    expect(cco(['plan', 'add', '--title', 'Refactor', '--tokens', '50000', '--hours', '1', '--objective', 'Split the module', '--project', proj]).status).toBe(
      0,
    );
    const sched = cco(['plan', 'schedule', 's1', '--at', new Date(Date.now() - 20_000).toISOString()]);
    expect(sched.status, sched.stderr).toBe(0);
    const start = (source: string) => {
      const r = runHookSync(
        'session-start',
        JSON.stringify({ session_id: 'aaaaaaaa-0000-4000-8000-000000000001', cwd: proj, source, hook_event_name: 'SessionStart' }),
        h.env({ CLAUDE_PROJECT_DIR: proj }),
        proj,
      );
      expect(r.code).toBe(0);
      return r.stdout.trim() === '' ? null : (JSON.parse(r.stdout) as { systemMessage: string });
    };
    expect(start('resume')).toBeNull();
    expect(start('fork')).toBeNull();
    expect(start('clear')?.systemMessage).toMatch(/Refactor/);
    expect(start('startup')).toBeNull(); // announced once
    expect([...DUE_SOURCES].sort()).toEqual(['clear', 'compact', 'startup']);
  });
});
