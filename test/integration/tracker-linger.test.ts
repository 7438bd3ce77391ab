// The background tracker (dist/tracker.mjs) as a hook front starts it: it stays while the Claude Code
// process whose events it tracked runs (so that session's later hooks find it and start none), goes
// soon after that process ends, and goes at once when its bundle is replaced (a plugin update) or cco
// is uninstalled.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeProcess, processAlive } from '../../src/claude/process-memory.ts';
import { writeOneResponse } from '../helpers/one-response.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { HOOK_BUNDLES, runBundle } from '../helpers/spawn-bundle.ts';
import { nowSec, statuslinePayload } from '../helpers/statusline-payload.ts';

const newHome = tempHomePerTest();
const standIns: ChildProcess[] = [];
afterEach(() => {
  for (const p of standIns.splice(0)) p.kill('SIGKILL');
});

/** A process standing in for Claude Code: its pid is the hooks' CLAUDE_PID. */
function claudeStandIn(): ChildProcess {
  const p = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120_000)'], { stdio: 'ignore' });
  standIns.push(p);
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether `pid` runs. A detached tracker that exited is reaped by init, which may take a while (or,
 * where init does not reap, never): probeProcess counts a zombie as gone.
 */
function running(pid: number): boolean {
  return probeProcess(pid).alive === true;
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Runs the PostToolUse front of session `sid` (from `distDir`, default dist/). */
async function postToolUse(h: TempHome, env: Record<string, string>, sid: string, distDir?: string): Promise<void> {
  const t = writeOneResponse(h.configDir, sid, { model: 'claude-sonnet-4-5', usage: [10, 20, 0, 0] });
  const r = await runBundle(HOOK_BUNDLES['post-tool-use'], JSON.stringify({ session_id: sid, transcript_path: t, cwd: '/w', hook_event_name: 'PostToolUse', tool_name: 'Bash' }), env, { distDir });
  expect(r).toMatchObject({ code: 0, stderr: '' });
}

/** Whether session-tracker.json has session `sid` (its hook event was tracked). */
function tracked(h: TempHome, sid: string): boolean {
  try {
    return sid in (JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, unknown> }).sessions;
  } catch {
    return false;
  }
}

/** Runs the PostToolUse front of session `s` and returns the pid of the tracker it started, once that drained the event. */
async function startTracker(h: TempHome, env: Record<string, string>, distDir?: string): Promise<number> {
  await postToolUse(h, env, 's', distDir);
  const pidFile = path.join(h.configDir, 'cco', 'tracker.pid');
  await until('the tracker to drain the event', () => tracked(h, 's') && existsSync(pidFile), 15_000);
  return Number(readFileSync(pidFile, 'utf8').trim());
}

// 300 ms of plain linger, 60 s while "Claude Code" runs: the difference is what is under test.
const stays = { CCO_TRACKER_LINGER_MS: '300', CCO_TRACKER_SESSION_LINGER_MS: '60000' };

// Each case waits on a real tracker for several seconds; under load, more than the default 30 s.
const SLOW = 60_000;

describe('the background tracker lingers', () => {
  it('while the Claude Code process whose events it tracked runs, and goes within seconds (its next look, at most 5 s) once it ends', async () => {
    const h = newHome();
    const claude = claudeStandIn();
    const env = h.env({ ...stays, CLAUDE_PID: String(claude.pid) });
    const tracker = await startTracker(h, env);
    // The status line's events name the same tracker bundle as the hooks' (dist/tracker.mjs): it stays.
    const line = await runBundle('statusline.cjs', statuslinePayload(h.configDir, { rateLimits: { five_hour: { used_percentage: 40, resets_at: nowSec() + 3_600 } } }), env);
    expect(line.code).toBe(0);
    await until('the status line payload to be tracked', () => readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.endsWith('.json')).length === 0, 8_000);
    await sleep(1_500);
    expect(running(tracker)).toBe(true);
    const log = path.join(h.configDir, 'cco', 'logs', 'cco.log');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toContain('stops staying');
    claude.kill('SIGKILL');
    await until('the tracker to go', () => !running(tracker), 8_000);
    expect(existsSync(path.join(h.configDir, 'cco', 'tracker.lock'))).toBe(false);
  }, SLOW);

  it('only its short stay when the hooks name no Claude Code process, or one already gone', async () => {
    for (const pid of [null, 'gone']) {
      const h = newHome();
      let claudePid: Record<string, string> = {};
      if (pid === 'gone') {
        const p = claudeStandIn();
        claudePid = { CLAUDE_PID: String(p.pid) };
        p.kill('SIGKILL');
        await until('the stand-in to be reaped', () => processAlive(p.pid!) === false, 5_000);
      }
      const tracker = await startTracker(h, h.env({ ...stays, ...claudePid }));
      await until(`the tracker to go (${String(pid)})`, () => !running(tracker), 2_500);
    }
  }, SLOW);

  it('no longer once its bundle is replaced: the next hook starts the new code', async () => {
    const h = newHome();
    const dist = path.join(h.home, 'plugin', 'dist');
    cpSync(path.join(ROOT, 'dist'), dist, { recursive: true });
    const claude = claudeStandIn();
    const tracker = await startTracker(h, h.env({ ...stays, CLAUDE_PID: String(claude.pid) }), dist);
    await sleep(1_200);
    expect(running(tracker)).toBe(true);
    const bundle = path.join(dist, 'tracker.mjs');
    writeFileSync(`${bundle}.new`, readFileSync(bundle, 'utf8') + '// updated\n');
    cpSync(`${bundle}.new`, bundle);
    await until('the tracker to go', () => !running(tracker), 8_000);
    expect(running(claude.pid!)).toBe(true);
  }, SLOW);

  it('no longer once cco is uninstalled: the uninstall stops it', async () => {
    const h = newHome();
    const installer = (cmd: string) => spawnSync(process.execPath, [path.join(ROOT, 'dist', 'install.mjs'), cmd, '--config-dir', h.configDir, ...(cmd === 'register' ? ['--repo', ROOT, '--mode', 'settings', '--statusline', 'skip'] : [])], { env: h.env(), encoding: 'utf8' });
    expect(installer('register').status).toBe(0);
    const claude = claudeStandIn();
    const tracker = await startTracker(h, h.env({ ...stays, CLAUDE_PID: String(claude.pid) }));
    const u = installer('unregister');
    expect(u.status).toBe(0);
    expect(u.stdout).toContain(`stopped the background tracker (pid ${tracker})`);
    await until('the tracker to go', () => !running(tracker), 5_000);
    expect(existsSync(path.join(h.configDir, 'cco', 'tracker.lock'))).toBe(false);
    // Nothing left to stop: a second uninstall says nothing of a tracker.
    expect(installer('unregister').stdout).not.toContain('background tracker');
  }, SLOW);

  it('no longer once it tracked a hook of a newer install in another dir: that hook\'s next event starts the new tracker', async () => {
    const h = newHome();
    const old = path.join(h.home, 'plugins', 'cache', 'cco', '1.0.0', 'dist');
    cpSync(path.join(ROOT, 'dist'), old, { recursive: true });
    const claude = claudeStandIn();
    const env = h.env({ ...stays, CLAUDE_PID: String(claude.pid) });
    const oldTracker = await startTracker(h, env, old);
    // The new install's hook finds the old tracker running and leaves its event to it.
    await postToolUse(h, env, 's2');
    await until('the old tracker to track the new hook\'s event', () => tracked(h, 's2'), 8_000);
    await until('the old tracker to go', () => !running(oldTracker), 8_000);
    await postToolUse(h, env, 's3');
    await until('a tracker to track the next event', () => tracked(h, 's3'), 8_000);
    const now = Number(readFileSync(path.join(h.configDir, 'cco', 'tracker.pid'), 'utf8').trim());
    expect(now).not.toBe(oldTracker);
    if (process.platform === 'linux') expect(readFileSync(`/proc/${now}/cmdline`, 'utf8').split('\0')).toContain(path.join(ROOT, 'dist', 'tracker.mjs'));
    expect(readFileSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'), 'utf8')).toContain(`hooks now start ${path.join(ROOT, 'dist', 'tracker.mjs')}`);
  }, SLOW);
});
