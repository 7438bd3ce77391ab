// The hook fronts (dist/hooks/*.cjs) as Claude Code runs them: what they load, that a notice the tracker
// left is shown exactly once even when a session's hooks race, and that an event a front spooled is in
// the state once any reporting `cco` command has run.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outboxPrefix } from '../../src/front/outbox.ts';
import { writeOneResponse } from '../helpers/one-response.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { HOOK_BUNDLES, pool, runBundle, type HookName } from '../helpers/spawn-bundle.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

describe('hook fronts', () => {
  it('load no schema, lock or transcript code: each bundle is a few KB of our own', () => {
    for (const b of [HOOK_BUNDLES['session-start'], HOOK_BUNDLES['post-tool-use'], HOOK_BUNDLES.stop, 'statusline.cjs']) {
      const text = readFileSync(path.join(ROOT, 'dist', b), 'utf8');
      expect(text.length, b).toBeLessThan(24_000);
      for (const heavy of ['ZodError', 'proper-lockfile', 'imurmurhash', 'graceful-fs', 'worker_threads'])
        expect(text, `${b} has ${heavy}`).not.toContain(heavy);
    }
  });

  it('each part of a notice is shown once, by one of eight racing hooks: the note by PostToolUse, the line by Stop, only to that session', async () => {
    h = tempHome();
    const outbox = path.join(h.configDir, 'cco', 'outbox');
    mkdirSync(outbox, { recursive: true });
    const notice = { systemMessage: 'cco: 50% of the 5-hour quota reached', modelNote: 'plan smaller steps' };
    const s1 = `${outboxPrefix('s1')}000001795228234212-1-0`;
    const s2 = `${outboxPrefix('s2')}000001795228234212-1-1`;
    writeFileSync(path.join(outbox, `${s1}.json`), JSON.stringify({ notices: [notice] }));
    writeFileSync(path.join(outbox, `${s2}.json`), JSON.stringify({ notices: [{ ...notice, systemMessage: 'for s2', modelNote: 'note for s2' }] }));
    const env = h.env({ CCO_TRACKER: 'manual' });
    const race = async (hook: HookName, sid: string) => {
      const runs = await pool(
        Array.from({ length: 8 }, () => () => runBundle(HOOK_BUNDLES[hook], JSON.stringify({ session_id: sid, hook_event_name: 'x' }), env)),
        8,
      );
      for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
      return runs.filter((r) => r.stdout !== '').map((r) => JSON.parse(r.stdout) as Record<string, unknown>);
    };
    // PostToolUse runs async: what it prints reaches the model only, so it takes the note and leaves the line.
    expect(await race('post-tool-use', 's1')).toEqual([{ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'plan smaller steps' } }]);
    expect(readdirSync(outbox).sort()).toEqual([`${s1}.seen-model.json`, `${s2}.json`]);
    expect(await race('post-tool-use', 's1')).toEqual([]);
    // Stop shows the person the line, and gives the model nothing (that would make it go on).
    expect(await race('stop', 's1')).toEqual([{ systemMessage: notice.systemMessage }]);
    expect(readdirSync(outbox)).toEqual([`${s2}.json`]);
    expect(await race('user-prompt-submit', 's1')).toEqual([]);
    // s2: the line at Stop, the note at the next prompt.
    expect(await race('stop', 's2')).toEqual([{ systemMessage: 'for s2' }]);
    expect(readdirSync(outbox)).toEqual([`${s2}.seen-person.json`]);
    expect(await race('user-prompt-submit', 's2')).toEqual([{ hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'note for s2' } }]);
    expect(readdirSync(outbox)).toEqual([]);
    // UserPromptSubmit only shows: it spools nothing.
    expect(readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.includes('UserPromptSubmit'))).toEqual([]);
  });

  it('with CCO_TRACKER=manual the events wait in the spool, and `cco status` tracks them before it reports', async () => {
    h = tempHome();
    const t = writeOneResponse(h.configDir, 's', { model: 'claude-opus-4-5', usage: [1_234, 5, 0, 0] });
    const env = h.env({ CCO_TRACKER: 'manual', CLAUDE_CODE_SESSION_ID: 's' });
    expect(await runBundle(HOOK_BUNDLES.stop, JSON.stringify({ session_id: 's', transcript_path: t, cwd: '/w' }), env)).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect(readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    const status = await runBundle('cli.mjs', '', env, { args: ['status'] });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('1,239');
    expect(readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.endsWith('.json'))).toEqual([]);
  });
});
