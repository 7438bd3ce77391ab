// The per-tool-call and session-end hooks as hooks.json runs them (POSIX sh fronts, issue 17): what they
// write, when they start a tracker, when they hand over to node, and that tracking goes on from them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookCommand, hookEnv, runBundle, syncTracker, type HookName } from '../helpers/spawn-bundle.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { until } from '../helpers/until.ts';
import { assistantLine } from '../helpers/one-response.ts';

const newHome = tempHomePerTest();

/**
 * Runs the hooks.json command of `name` under /bin/sh as Claude Code does; resolves with its result and
 * its wall time (ms) as measured inside that shell (the test runner's own spawn delays left out).
 */
function runHook(name: HookName, payload: object, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return runCommand(hookCommand(name), payload, env);
}

function runCommand(
  command: string,
  payload: object,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const stdin = JSON.stringify(payload);
  // bash only for its clock ($EPOCHREALTIME: no process of its own); the hook command runs as written.
  // In a subshell: the hook command may `exec` (hooks.json does), which would end the timing shell.
  const timed = `t0=$EPOCHREALTIME; ( ${command} ); rc=$?; echo "cco-test-ms $t0 $EPOCHREALTIME" >&2; exit $rc`;
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', timed], { env: hookEnv(stdin, env), cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    p.stdin.on('error', () => undefined);
    p.on('close', (code) => {
      const m = /cco-test-ms (\S+) (\S+)\n/.exec(stderr);
      const ms = m === null ? NaN : (Number(m[2]) - Number(m[1])) * 1000;
      resolve({ code, stdout, stderr: stderr.replace(/cco-test-ms \S+ \S+\n/, ''), ms });
    });
    p.stdin.end(stdin);
  });
}

const usageLine = (sid: string, id: string, out: number): string =>
  assistantLine({ sessionId: sid, id: `${sid}_${id}`, cwd: '/work/p', isSidechain: false, content: [{ type: 'text', text: 'x' }], usage: [1, out, 0, 0] }) +
  '\n';

function session(h: TempHome, sid: string): { transcript: string; payload: (event: string) => object } {
  const dir = path.join(h.configDir, 'projects', '-work-p');
  mkdirSync(dir, { recursive: true });
  const transcript = path.join(dir, `${sid}.jsonl`);
  writeFileSync(transcript, usageLine(sid, '1', 10));
  return {
    transcript,
    payload: (event) => ({
      session_id: sid,
      transcript_path: transcript,
      cwd: '/work/p',
      hook_event_name: event,
      source: 'startup',
      reason: 'prompt_input_exit',
    }),
  };
}

/** A temp home with session `sid` started (its SessionStart hook run and tracked), as most tests begin. */
async function started(sid: string): Promise<{ h: TempHome; env: Record<string, string>; s: ReturnType<typeof session> }> {
  const h = newHome();
  const env = h.env();
  const s = session(h, sid);
  expect(await runHook('session-start', s.payload('SessionStart'), env)).toMatchObject({ code: 0, stderr: '' });
  await syncTracker(env);
  return { h, env, s };
}

type Rec = { tokens: { output_tokens: number }; endedAt: string | null; endReason: string | null; hookEvents: Record<string, number> };
const record = (h: TempHome, sid: string): Rec | undefined => {
  try {
    return (JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, Rec> }).sessions[sid];
  } catch {
    return undefined;
  }
};

describe('PostToolUse shell front', () => {
  it('marks the session with a poke, starts a tracker only when one is due, and the tracker catches the session up', async () => {
    const { h, env, s } = await started('sess-a');
    const cco = path.join(h.configDir, 'cco');
    // A tracker just finished: `kick` says when the next may start (throttled).
    expect(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')).toContain('sess-a');
    writeFileSync(s.transcript, usageLine('sess-a', '2', 20), { flag: 'a' });
    const r = await runHook('post-tool-use', s.payload('PostToolUse'), env);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(path.join(cco, 'spool', 'poke.sess-a'))).toBe(true);
    expect(existsSync(path.join(cco, 'kick'))).toBe(true); // throttled: not claimed, no tracker started
    expect(record(h, 'sess-a')!.tokens.output_tokens).toBe(10);
    // The throttle over: the next tool call claims the kick and starts a tracker, which tracks the poke.
    utimesSync(path.join(cco, 'kick'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    writeFileSync(s.transcript, usageLine('sess-a', '3', 40), { flag: 'a' });
    expect(await runHook('post-tool-use', s.payload('PostToolUse'), env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await until(() => record(h, 'sess-a')?.tokens.output_tokens === 70, 15_000)).toBe(true);
    expect(record(h, 'sess-a')!.hookEvents.PostToolUse).toBeGreaterThanOrEqual(1);
    expect(await until(() => !existsSync(path.join(cco, 'spool', 'poke.sess-a')) && existsSync(path.join(cco, 'kick')), 15_000)).toBe(true);
  }, 60_000);

  it('hands over to the node front when notices wait: the model gets the note mid-turn, the person the line at Stop', async () => {
    const { h, env, s } = await started('sess-n');
    mkdirSync(path.join(h.configDir, 'cco', 'outbox'), { recursive: true });
    writeFileSync(
      path.join(h.configDir, 'cco', 'outbox', 'sess-n.1-0.json'),
      JSON.stringify({ notices: [{ systemMessage: 'cco: 75% of the 5-hour window used', modelNote: 'quota at 75%' }] }),
    );
    writeFileSync(path.join(h.configDir, 'cco', 'outbox', 'other.1-0.json'), JSON.stringify({ notices: [{ systemMessage: 'not yours', modelNote: null }] }));
    const r = await runHook('post-tool-use', s.payload('PostToolUse'), env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'quota at 75%' } });
    // The note given, the next tool call is the shell's again (no output), though the line still waits.
    expect(await runHook('post-tool-use', s.payload('PostToolUse'), env)).toMatchObject({ code: 0, stdout: '' });
    const stop = await runHook('stop', s.payload('Stop'), env);
    expect(JSON.parse(stop.stdout)).toEqual({ systemMessage: 'cco: 75% of the 5-hour window used' });
    // Shown once: the next turn's prompt and turn end say nothing.
    expect(await runHook('user-prompt-submit', s.payload('UserPromptSubmit'), env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await runHook('stop', s.payload('Stop'), env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(path.join(h.configDir, 'cco', 'outbox'))).toEqual(['other.1-0.json']);
  }, 60_000);

  it('UserPromptSubmit shows what waits to both (the line and the note), and says nothing otherwise', async () => {
    const { h, env, s } = await started('sess-u');
    expect(await runHook('user-prompt-submit', s.payload('UserPromptSubmit'), env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    mkdirSync(path.join(h.configDir, 'cco', 'outbox'), { recursive: true });
    writeFileSync(
      path.join(h.configDir, 'cco', 'outbox', 'sess-u.1-0.json'),
      JSON.stringify({ notices: [{ systemMessage: 'cco: context 80% full', modelNote: 'compact soon' }] }),
    );
    const r = await runHook('user-prompt-submit', s.payload('UserPromptSubmit'), env);
    expect(JSON.parse(r.stdout)).toEqual({
      systemMessage: 'cco: context 80% full',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'compact soon' },
    });
    expect(readdirSync(path.join(h.configDir, 'cco', 'outbox'))).toEqual([]);
  }, 60_000);

  it('hands over to node when only node can resolve the config dir (a trailing slash, a list), and tracking is the same', async () => {
    const h = newHome();
    for (const cfg of [`${h.configDir}/`, `${h.configDir},/nonexistent-cco-dir`]) {
      const env = h.env({ CLAUDE_CONFIG_DIR: cfg });
      const s = session(h, 'sess-c');
      await runHook('session-start', s.payload('SessionStart'), env);
      const r = await runHook('post-tool-use', s.payload('PostToolUse'), env);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      await syncTracker(env);
      expect(record(h, 'sess-c')!.hookEvents.PostToolUse).toBeGreaterThanOrEqual(1);
    }
  }, 60_000);

  it("a FIFO in the poke's place does not block the tool call: node spools instead, and the tracker clears it away", async () => {
    const { h, env, s } = await started('sess-ff');
    const poke = path.join(h.configDir, 'cco', 'spool', 'poke.sess-ff');
    expect(spawnSync('mkfifo', [poke]).status).toBe(0);
    const r = await runHook('post-tool-use', s.payload('PostToolUse'), env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.ms).toBeLessThan(5_000);
    await syncTracker(env);
    expect(existsSync(poke)).toBe(false);
    expect(record(h, 'sess-ff')!.hookEvents.PostToolUse).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('costs a tool call a few shell builtins: no node process starts while the throttle holds', async () => {
    const { h, env, s } = await started('sess-t');
    // A PATH with the shell tools but no node: the hook would fail the moment it tried to start node.
    const bin = path.join(h.home, 'bin-without-node');
    mkdirSync(bin);
    for (const tool of ['bash', 'mv', 'cat', 'rm'])
      symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const noNode = { ...env, PATH: bin };
    for (let i = 0; i < 5; i++) expect(await runHook('post-tool-use', s.payload('PostToolUse'), noNode)).toMatchObject({ code: 0, stdout: '', stderr: '' });
  }, 60_000);
});

describe('Stop shell front', () => {
  it("spools the turn end as it came and starts a tracker (no throttle: the turn's final response is tracked now)", async () => {
    const { h, env, s } = await started('sess-s');
    writeFileSync(s.transcript, usageLine('sess-s', '2', 5), { flag: 'a' });
    expect(await runHook('stop', s.payload('Stop'), env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await until(() => record(h, 'sess-s')?.tokens.output_tokens === 15, 15_000)).toBe(true);
    expect(record(h, 'sess-s')!.hookEvents.Stop).toBe(1);
  }, 60_000);

  it('hands over to the node front when notices wait, which shows them to the person only (context on Stop would make the model go on)', async () => {
    const { h, env, s } = await started('sess-sn');
    mkdirSync(path.join(h.configDir, 'cco', 'outbox'), { recursive: true });
    writeFileSync(
      path.join(h.configDir, 'cco', 'outbox', 'sess-sn.1-0.json'),
      JSON.stringify({ notices: [{ systemMessage: 'cco: 90% of the 5-hour window used', modelNote: 'quota at 90%' }] }),
    );
    const r = await runHook('stop', s.payload('Stop'), env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.systemMessage).toContain('90% of the 5-hour window used');
    expect(JSON.stringify(out)).not.toContain('additionalContext');
  }, 60_000);
});

describe('SessionEnd shell front', () => {
  it('spools the end as it came; the tracker marks the session ended with its reason', async () => {
    const { h, env, s } = await started('sess-e');
    expect(await runHook('session-end', s.payload('SessionEnd'), env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await until(() => record(h, 'sess-e')?.endedAt != null, 15_000)).toBe(true);
    expect(record(h, 'sess-e')).toMatchObject({ endReason: 'prompt_input_exit' });
  }, 60_000);

  it('with 32 sessions ending at once, each SessionEnd costs about what an empty shell hook costs (well inside the 1.5 s Claude Code gives it), and every end is recorded', async () => {
    const h = newHome();
    const env = h.env();
    const sessions = Array.from({ length: 32 }, (_, i) => session(h, `sess-${String(i).padStart(2, '0')}`));
    for (const s of sessions) await runHook('session-start', s.payload('SessionStart'), env);
    await syncTracker(env);
    // The floor on this machine: 32 hooks at once that only read their stdin (process starts dominate).
    const floor = await Promise.all(sessions.map((s) => runCommand('/bin/sh -c "cat >/dev/null"', s.payload('SessionEnd'), env)));
    const runs = await Promise.all(sessions.map((s) => runHook('session-end', s.payload('SessionEnd'), env)));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
    const sorted = (xs: number[]) => xs.map(Math.round).sort((a, b) => a - b);
    const ours = sorted(runs.map((r) => r.ms));
    const empty = sorted(floor.map((r) => r.ms));
    const msg = `SessionEnd x32 (ms): ${ours.join(' ')}; empty shell hook x32: ${empty.join(' ')}`;
    console.log(msg);
    // Against the floor measured the same way at the same moment: an absolute limit fails on a loaded
    // machine, where the empty hook itself took 1.4 s for its slowest of 32.
    expect(ours[16]!, msg).toBeLessThan(empty[16]! + 150);
    expect(ours[31]!, msg).toBeLessThan(empty[31]! + 300);
    await syncTracker(env);
    for (let i = 0; i < 32; i++) expect(record(h, `sess-${String(i).padStart(2, '0')}`)?.endedAt, `session ${i}`).not.toBeNull();
  }, 120_000);
});

describe('node fronts still serve as the fallback', () => {
  it('session-end.cjs spools the end for the tracker (the same path)', async () => {
    const h = newHome();
    const env = h.env();
    const s = session(h, 'sess-f');
    expect(await runBundle('hooks/session-end.cjs', JSON.stringify(s.payload('SessionEnd')), env)).toMatchObject({ code: 0, stderr: '' });
    await syncTracker(env);
    expect(record(h, 'sess-f')).toMatchObject({ endReason: 'prompt_input_exit', tokens: { output_tokens: 10 } });
  }, 60_000);
});
