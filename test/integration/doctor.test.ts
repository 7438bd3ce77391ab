// `cco doctor` through its `run` (fake CommandIo) on temp config dirs, with the facts made real on disk:
// a hook that ran, settings as install.sh writes them, broken and stale things.
import { copyFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorResults, pluginRoot, run } from '../../src/cli/doctor.ts';
import { bundlesNeeded } from '../../src/doctor/dist.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { processRuntime } from '../../src/runtime.ts';
import { captureIo } from '../helpers/command-io.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { diffSnapshots, HOOK_BUNDLES, runBundle, snapshot, syncTracker } from '../helpers/spawn-bundle.ts';
import { assistantLine } from '../helpers/one-response.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

/** A config dir as after ./install.sh and one hook run on a clean transcript. */
async function healthy(): Promise<{ transcript: string }> {
  h = tempHome();
  mkdirSync(path.join(h.configDir, 'projects', '-work-p'), { recursive: true });
  writeFileSync(
    path.join(h.configDir, 'settings.json'),
    JSON.stringify({
      enabledPlugins: { 'cco@cco-local': true },
      extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: ROOT } } },
      statusLine: { type: 'command', command: `node "${ROOT}/dist/statusline.cjs"`, padding: 0 },
    }),
  );
  const transcript = path.join(h.configDir, 'projects', '-work-p', 's1.jsonl');
  writeFileSync(transcript, assistantLine({ sessionId: 's1', requestId: 'r1', messageId: 'm1', model: 'x', usage: [1, 1, 0, 0] }) + '\n');
  // No background tracker (CCO_TRACKER=manual): `cco sync` tracks the event in the foreground, so no
  // lingering tracker writes after the snapshots the tests compare.
  const r = await runBundle(
    HOOK_BUNDLES.stop,
    JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd: '/work/p' }),
    h.env({ CCO_TRACKER: 'manual' }),
  );
  await syncTracker(h.env());
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return { transcript };
}

/** A plugin root with hooks.json, built bundles and sources, with the given mtimes (epoch s). */
function fakeRoot(bundleTime: number, sourceTime: number): string {
  const root = path.join(h.home, 'plugin');
  mkdirSync(path.join(root, '.claude-plugin'), { recursive: true });
  mkdirSync(path.join(root, 'hooks'), { recursive: true });
  mkdirSync(path.join(root, 'dist', 'hooks'), { recursive: true });
  mkdirSync(path.join(root, 'dist', 'chunks'), { recursive: true });
  mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  writeFileSync(path.join(root, '.claude-plugin', 'plugin.json'), '{"name":"cco"}');
  copyFileSync(path.join(ROOT, 'hooks', 'hooks.json'), path.join(root, 'hooks', 'hooks.json'));
  const bundles = [...bundlesNeeded(readFileSync(path.join(ROOT, 'hooks', 'hooks.json'), 'utf8')), 'dist/chunks/chunk-A.mjs'];
  for (const b of bundles) writeFileSync(path.join(root, b), b === 'dist/cli.mjs' ? 'import "./chunks/chunk-A.mjs";' : '');
  writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), '');
  for (const b of bundles) utimesSync(path.join(root, b), bundleTime, bundleTime);
  utimesSync(path.join(root, 'src', 'cli', 'main.ts'), sourceTime, sourceTime);
  return root;
}

describe('cco doctor', () => {
  it('says ok on every line for a healthy install, and changes nothing on disk', async () => {
    await healthy();
    const root = fakeRoot(2_000_000_000, 1_900_000_000);
    const before = snapshot(h.home);
    const results = doctorResults(processRuntime(h.env()), { root, nodeVersion: 'v20.20.2' });
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(results.map((r) => r.check)).toEqual([
      'node',
      'plugin',
      'statusline',
      'dist',
      'hooks',
      'state',
      'account',
      'locks',
      'tracker',
      'transcripts',
      'log',
    ]);
    expect(results.find((r) => r.check === 'account')!.detail).toBe(`account default: its quota picture is in ${h.accountDir} (1 config dir: ${h.configDir})`);
    expect(results.find((r) => r.check === 'hooks')!.detail).toMatch(/^last hook \d+ s ago; 1 session in the last 24 h: Stop 1$/);
    expect(results.find((r) => r.check === 'state')!.detail).toMatch(/^[2-9] state files readable and valid; files 0600, folders 0700$/);
    expect(results.find((r) => r.check === 'dist')!.detail).toBe(`16 bundles present (${path.join(h.home, 'plugin', 'dist')})`);
    expect(diffSnapshots(before, snapshot(h.home))).toEqual({ changed: [], removed: [] });
  });

  it('prints one line per check starting with ok or fix, exits 1 only with a fix, and --json gives the same results', async () => {
    await healthy();
    const io = captureIo();
    const code = await run(processRuntime(h.env()), [], io);
    const lines = io.out().trimEnd().split('\n');
    expect(code).toBe(lines.some((l) => l.startsWith('fix')) ? 1 : 0);
    expect(lines[0]).toBe(`cco doctor (state dir ${h.configDir})`);
    expect(lines.at(-1)).toMatch(/^(all \d+ checks ok|\d+ of \d+ checks need a fix)$/);
    for (const l of lines.slice(1, -1)) expect(l).toMatch(/^(ok {3}\S|fix {2}\S.*; fix: \S)/);
    const json = captureIo();
    expect(await run(processRuntime(h.env()), ['--json'], json)).toBe(code);
    const parsed = JSON.parse(json.out()) as { stateDir: string; results: { check: string; status: string }[] };
    expect(parsed.stateDir).toBe(h.configDir);
    expect(parsed.results.map((r) => r.check)).toEqual(lines.slice(1, -1).map((l) => l.split(/\s+/)[1]));
    await expect(run(processRuntime(h.env()), ['--fix'], captureIo())).rejects.toThrow(UsageError);
  });

  it('the built CLI exits 0 on a healthy setup, 1 when a check needs a fix (a state file that is a directory), 0 with --exit-zero', async () => {
    await healthy();
    const root = fakeRoot(2_000_000_000, 1_900_000_000);
    // The real bundle in the fake plugin root: it finds that root from its own location, with current bundles.
    for (const b of ['cli.mjs', 'scan-worker.mjs']) {
      copyFileSync(path.join(ROOT, 'dist', b), path.join(root, 'dist', b));
      utimesSync(path.join(root, 'dist', b), 2_000_000_000, 2_000_000_000);
    }
    const doctor = (...args: string[]) => runBundle('cli.mjs', '', h.env(), { args: ['doctor', ...args], distDir: path.join(root, 'dist') });
    const healthyRun = await doctor();
    expect(healthyRun.stdout.split('\n').filter((l) => !l.startsWith('ok '))).toEqual([
      `cco doctor (state dir ${h.configDir})`,
      expect.stringMatching(/^all \d+ checks ok$/),
      '',
    ]);
    expect(healthyRun).toMatchObject({ code: 0, stderr: '' });
    expect(healthyRun.stdout).toMatch(/\nall \d+ checks ok\n$/);
    rmSync(path.join(h.configDir, 'session-tracker.json'));
    mkdirSync(path.join(h.configDir, 'session-tracker.json'));
    const broken = await doctor();
    expect(broken).toMatchObject({ code: 1, stderr: '' });
    expect(broken.stdout).toMatch(/^fix {2}state .*session-tracker\.json/m);
    const zero = await doctor('--exit-zero');
    const fixes = (out: string) =>
      out
        .split('\n')
        .filter((l) => l.startsWith('fix'))
        .map((l) => l.split(/\s+/)[1]);
    expect(zero).toMatchObject({ code: 0, stderr: '' });
    expect(fixes(zero.stdout)).toEqual(fixes(broken.stdout));
  });

  it('finds the plugin root from its own location', () => {
    expect(pluginRoot()).toBe(ROOT);
    expect(pluginRoot('/')).toBeNull();
  });

  it('names a fix for each thing that is wrong', async () => {
    await healthy();
    const c = h.configDir;
    writeFileSync(path.join(c, 'settings.json'), JSON.stringify({ enabledPlugins: { 'cco@cco-local': false }, disableAllHooks: true }));
    writeFileSync(path.join(c, 'session-tracker.json'), '{"version":1,"sessions":{"x":');
    writeFileSync(path.join(c, 'quota-tracker.json.corrupt-2026-11-20T10-00-00.000Z'), '[]');
    writeFileSync(path.join(c, 'session-tracker.json.123456'), '{}', { mode: 0o600 });
    utimesSync(path.join(c, 'session-tracker.json.123456'), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    mkdirSync(path.join(h.accountDir, 'quota-tracker.json.lock'));
    utimesSync(path.join(h.accountDir, 'quota-tracker.json.lock'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    mkdirSync(path.join(c, 'cco', 'cache', 'transcripts', 'x.json.lock')); // fresh: a writer at work
    mkdirSync(path.join(c, 'cco', 'logs'), { mode: 0o700 });
    writeFileSync(
      path.join(c, 'cco', 'logs', 'cco.log'),
      JSON.stringify({ at: new Date().toISOString(), level: 'error', where: 'PostToolUse', msg: 'EACCES: permission denied' }) + '\n',
      { mode: 0o600 },
    );
    const io = captureIo();
    expect(await run(processRuntime(h.env()), [], io)).toBe(1);
    expect(await run(processRuntime(h.env()), ['--exit-zero'], captureIo())).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^fix  plugin +cco@cco-local is disabled in .*settings\.json; fix: claude plugin enable cco@cco-local/m);
    expect(out).toMatch(/^fix  plugin +disableAllHooks is true/m);
    expect(out).toMatch(/^fix  statusline +no status line/m);
    expect(out).toMatch(/^fix  state +.*session-tracker\.json: not JSON .*; fix: the next hook moves it aside/m);
    expect(out).toMatch(/^fix  state +1 quarantined file/m);
    expect(out).toMatch(
      /^fix  state +1 temp file left by writes that never finished \(a writer killed mid-write, or a full disk\) .*; fix: delete them: rm .*session-tracker\.json\.123456$/m,
    );
    expect(out).toMatch(/^fix  locks +1 lock left behind: .*quota-tracker\.json\.lock: last refreshed 60 s ago; fix: rmdir /m);
    expect(out).not.toMatch(/x\.json\.lock/);
    expect(out).toMatch(/^fix  log +1 error in the last 24 h; last \d+ s ago in PostToolUse: EACCES: permission denied; fix: read /m);
  });

  it('flags a chunk the CLI imports that is missing; bundles older than the sources are fine (a git checkout sets every time)', async () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    expect(doctorResults(rt, { root: fakeRoot(1_900_000_000, 2_000_000_000), nodeVersion: 'v22.9.0' }).find((r) => r.check === 'dist')!.status).toBe('ok');
    const root = fakeRoot(2_000_000_000, 1_900_000_000);
    writeFileSync(path.join(root, 'dist', 'cli.mjs'), 'import "./chunks/chunk-A.mjs"; import("./chunks/status-B.mjs");');
    utimesSync(path.join(root, 'dist', 'cli.mjs'), 2_000_000_000, 2_000_000_000);
    const missing = doctorResults(rt, { root, nodeVersion: 'v22.9.0' }).find((r) => r.check === 'dist')!;
    expect(missing).toMatchObject({ status: 'fix', detail: expect.stringContaining('dist/chunks/status-B.mjs') });
    expect(doctorResults(rt, { root: null, nodeVersion: 'v22.9.0' }).find((r) => r.check === 'dist')!.status).toBe('fix');
  });

  it('flags state files and folders other users can read', async () => {
    await healthy();
    const { chmodSync } = await import('node:fs');
    chmodSync(path.join(h.accountDir, 'quota-tracker.json'), 0o644);
    chmodSync(path.join(h.configDir, 'cco', 'cache'), 0o755);
    const state = doctorResults(processRuntime(h.env()), { root: null, nodeVersion: 'v20.20.2' }).filter((r) => r.check === 'state');
    expect(state.map((r) => r.fix)).toEqual([
      `chmod 600 ${path.join(h.accountDir, 'quota-tracker.json')}`,
      `chmod 700 ${path.join(h.configDir, 'cco', 'cache')}`,
    ]);
  });

  it("reports an unusable cco home, a directory in the registry's place and odd CCO_* settings instead of dying of them", async () => {
    await healthy();
    const ccoHome = path.join(h.home, '.local', 'state', 'claude-code-optimizer');
    rmSync(path.join(ccoHome, 'config-dirs.json'));
    mkdirSync(path.join(ccoHome, 'config-dirs.json', 'x'), { recursive: true }); // a directory where the registry belongs
    const blocker = path.join(h.home, 'a-file');
    writeFileSync(blocker, '');
    writeFileSync(path.join(h.configDir, 'settings.json'), JSON.stringify({ env: { CCO_ACCOUNT: 'work account' } }));
    const results = doctorResults(processRuntime(h.env({ CCO_HOME: blocker })), { root: null, nodeVersion: 'v20.20.2' });
    const account = results.filter((r) => r.check === 'account');
    expect(account[0]!.detail).toMatch(/^account work-account-[0-9a-f]{8}: /);
    expect(account.slice(1).map((r) => r.detail)).toEqual([
      `cco cannot keep the account's state in ${path.join(blocker, 'accounts', account[0]!.detail.split(':')[0]!.slice('account '.length))}: ${blocker} is not a directory`,
      expect.stringMatching(/^CCO_ACCOUNT="work account" is not a plain name/),
    ]);
    const withRegistryDir = doctorResults(processRuntime(h.env()), { root: null, nodeVersion: 'v20.20.2' });
    expect(withRegistryDir.map((r) => r.check)).toContain('log');
    const io = captureIo();
    expect(await run(processRuntime(h.env({ CCO_HOME: blocker })), [], io)).toBe(1);
  });
});
