// /cco:setup for a plugin Claude Code installed from a marketplace: the status line and the short commands
// through stable launchers that follow the installed plugin (src/install/launchers.ts, src/launcher/).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';

const newHome = tempHomePerTest();

/** A config dir where Claude Code installed cco (installed_plugins.json names `root`). */
function installed(root: string = ROOT): TempHome {
  const h = newHome();
  mkdirSync(path.join(h.configDir, 'plugins'), { recursive: true });
  writeInstalled(h, root);
  return h;
}

function writeInstalled(h: TempHome, root: string | null): void {
  const plugins = root === null ? {} : { 'cco@cco-local': [{ scope: 'user', installPath: root, version: '0.1.0', installedAt: '2026-12-01T00:00:00.000Z' }] };
  writeFileSync(path.join(h.configDir, 'plugins', 'installed_plugins.json'), JSON.stringify({ version: 2, plugins }));
}

function setup(h: TempHome, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'install.mjs'), 'setup', ...args], { env: h.env(), encoding: 'utf8', cwd: h.home });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const settingsOf = (h: TempHome) => JSON.parse(readFileSync(path.join(h.configDir, 'settings.json'), 'utf8')) as { statusLine?: { command: string } };
const launcher = (h: TempHome, f: string) => path.join(h.configDir, 'cco', 'plugin', 'dist', f);
const PAYLOAD = JSON.stringify({ session_id: 's1', context_window: { context_window_size: 200_000, used_percentage: 12 } });

/** Runs the status line command from settings.json the way Claude Code does (sh -c, payload on stdin). */
function statusLine(h: TempHome): string {
  const r = spawnSync('sh', ['-c', settingsOf(h).statusLine!.command], { input: PAYLOAD, env: h.env(), encoding: 'utf8', cwd: h.home });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('/cco:setup (node dist/install.mjs setup)', () => {
  it('sets the status line and the short commands through launchers, and undo puts settings.json back byte for byte', () => {
    const h = installed();
    const original = '{\n  "model": "opus",\n  "env": { "A": "1" }\n}\n';
    writeFileSync(path.join(h.configDir, 'settings.json'), original);
    const r = setup(h);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`set statusLine to cco statusline in ${path.join(h.configDir, 'settings.json')}`);
    expect(settingsOf(h).statusLine!.command).toBe(`node "${launcher(h, 'statusline.cjs')}"`);
    expect(statusLine(h)).toBe('5h n/a (no usage tracked yet) · ctx 12%●\n');
    const seed = readFileSync(path.join(h.configDir, 'commands', 'session-status.md'), 'utf8');
    expect(seed).toContain(`!\`node "${launcher(h, 'cli.mjs')}" status\``);
    const cli = spawnSync(process.execPath, [launcher(h, 'cli.mjs'), 'status'], { env: h.env(), encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^CLAUDE CODE SESSION STATUS/);
    // idempotent
    const again = setup(h);
    expect(again.stdout).toContain('statusLine already set by cco; not changed');
    const u = setup(h, 'undo');
    expect(u.code, u.stderr).toBe(0);
    expect(readFileSync(path.join(h.configDir, 'settings.json'), 'utf8')).toBe(original);
    expect(existsSync(path.join(h.configDir, 'cco', 'plugin'))).toBe(false);
    expect(existsSync(path.join(h.configDir, 'commands'))).toBe(false);
  });

  it("the person's own status line: kept, with how to wrap it; `wrap` keeps theirs first; undo gives it back", () => {
    const h = installed();
    const theirs = { statusLine: { type: 'command', command: 'echo MINE', padding: 2 } };
    writeFileSync(path.join(h.configDir, 'settings.json'), JSON.stringify(theirs, null, 2));
    const r = setup(h);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "your statusLine is kept (echo MINE). To add cco's line to it: /cco:setup wrap (yours first, then cco's segment), or /cco:setup replace",
    );
    expect(settingsOf(h)).toEqual(theirs);
    expect(setup(h, 'wrap').code).toBe(0);
    expect(statusLine(h)).toBe('MINE | 5h n/a (no usage tracked yet) · ctx 12%●\n');
    expect(setup(h, 'undo').code).toBe(0);
    expect(settingsOf(h)).toEqual(theirs);
  });

  it('follows the installed plugin to a new version folder, and says so in one line when it is gone', () => {
    const h = installed();
    expect(setup(h).code).toBe(0);
    // An update: Claude Code installs the next version elsewhere and the old folder disappears.
    const v2 = path.join(h.home, 'cache', 'cco', '0.2.0');
    mkdirSync(path.join(v2, 'dist'), { recursive: true });
    cpSync(path.join(ROOT, 'dist'), path.join(v2, 'dist'), { recursive: true });
    writeFileSync(path.join(v2, 'dist', 'statusline.cjs'), "process.stdout.write('v2 ' + process.argv.slice(2).join(' ') + '\\n');");
    writeInstalled(h, v2);
    expect(statusLine(h)).toBe('v2 \n');
    // Uninstalled without undo: the recorded root is the last resort; without it, one line says why.
    writeInstalled(h, null);
    writeFileSync(path.join(h.configDir, 'cco', 'plugin', 'plugin-root.json'), JSON.stringify({ root: path.join(h.home, 'gone') }));
    expect(statusLine(h)).toBe('cco n/a (plugin not installed: reinstall cco, or remove statusLine from settings.json)\n');
    const cli = spawnSync(process.execPath, [launcher(h, 'cli.mjs'), 'status'], { env: h.env(), encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toBe('cco: the cco plugin is not installed any more (reinstall it: claude plugin install cco@<marketplace>)\n');
  });

  it('refuses when ./install.sh installed cco in this config dir (hooks would run twice), and changes nothing', () => {
    const h = installed();
    const reg = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'install.mjs'), 'register', '--no-seed-commands', '--statusline', 'skip'], {
      env: h.env(),
      encoding: 'utf8',
    });
    expect(reg.status, reg.stderr).toBe(0);
    const before = readFileSync(path.join(h.configDir, 'settings.json'), 'utf8');
    const r = setup(h);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `cco install: cco is installed in ${h.configDir} by ./install.sh from ${ROOT}, which set up the status line and commands already; to use the plugin's instead, run ./install.sh --uninstall there first\n`,
    );
    expect(readFileSync(path.join(h.configDir, 'settings.json'), 'utf8')).toBe(before);
    rmSync(path.join(h.configDir, 'cco', 'install-manifest.json'));
  });

  it('a choice it does not know: exit 2 and the usage, nothing written', () => {
    const h = installed();
    const r = setup(h, 'sideways');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cco install: setup takes one of auto \| wrap \| wrap-silent \| replace \| keep \| undo, not "sideways"\n/);
    expect(existsSync(path.join(h.configDir, 'settings.json'))).toBe(false);
  });
});
