import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeOneResponse } from '../helpers/one-response.ts';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { runHookSync, type HookName } from '../helpers/spawn-bundle.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

function hook(name: HookName, payload: object) {
  const r = runHookSync(name, JSON.stringify(payload), h.env());
  expect(r.code).toBe(0);
  return r;
}

describe('SessionEnd while the session tracker is locked', () => {
  it('records the end as a marker that the next tracker write folds in', () => {
    h = tempHome();
    const t = (sid: string) => writeOneResponse(h.configDir, sid, { model: 'm', usage: [1, 1, 0, 0], id: `m-${sid}` });
    const a = 'aaaaaaaa-1111-4111-8111-000000000001';
    const b = 'bbbbbbbb-1111-4111-8111-000000000002';
    hook('stop', { session_id: a, transcript_path: t(a), cwd: '/w' });
    const lock = path.join(h.configDir, 'session-tracker.json.lock');
    mkdirSync(lock); // a live holder: fresh, so not taken over as stale
    const end = hook('session-end', { session_id: a, reason: 'prompt_input_exit' });
    expect(end.stderr).toBe('');
    expect(readdirSync(path.join(h.configDir, 'cco', 'ended'))).toHaveLength(1);
    rmSync(lock, { recursive: true });
    hook('post-tool-use', { session_id: b, transcript_path: t(b), cwd: '/w' }); // another session's trigger
    const tracker = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { endedAt: string | null; endReason: string | null }> };
    expect(tracker.sessions[a]!.endedAt).not.toBeNull();
    expect(tracker.sessions[a]!.endReason).toBe('prompt_input_exit');
    expect(tracker.sessions[b]!.endedAt).toBeNull();
    expect(existsSync(path.join(h.configDir, 'cco', 'ended')) ? readdirSync(path.join(h.configDir, 'cco', 'ended')) : []).toEqual([]);
  });
});
