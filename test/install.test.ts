// Tests of install.sh and its settings editor. Every process test runs with a fresh temp HOME and
// CLAUDE_CONFIG_DIR and a PATH that holds only `node` (and, where said, a fake `claude`), inside a temp
// copy of the repository (install.sh, .claude-plugin/, a freshly bundled dist/install.mjs), so the real
// ~/.claude and the shared working tree are never touched.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInstallConfigDir } from '../src/install/config-dir.ts';
import { copyForInstall } from './helpers/install-copy.ts';
import { mergeCommand, type CommandRecord } from '../src/install/manifest.ts';
import {
  addRegistration,
  formatSettings,
  jsonEqual,
  mergeAdded,
  parseSettingsText,
  removeRegistration,
  SettingsParseError,
  SettingsShapeError,
  type JsonObject,
  type Registration,
} from '../src/install/settings-edit.ts';
import { ourStatusLineCommand, planStatusLine, removeStatusLine, shQuote, statusLineState, type StatusLineChange } from '../src/install/statusline-edit.ts';

const BASH = '/bin/bash';
const ID = 'cco@cco-local';

const reg: Registration = { marketplace: 'cco-local', plugin: 'cco', repoRoot: '/opt/cco' };
const ours = (root: string): JsonObject => ({
  extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: root } } },
  enabledPlugins: { [ID]: true },
});
/** Our statusLine for a checkout at `root`. */
const ourLine = (root: string): JsonObject => ({ type: 'command', command: `node "${root}/dist/statusline.cjs"`, padding: 0 });
/** What a default install writes into settings.json that had no statusLine. */
const installed = (root: string): JsonObject => ({ ...ours(root), statusLine: ourLine(root) });

// ---------------------------------------------------------------------------------------------------
// Pure functions
// ---------------------------------------------------------------------------------------------------

describe('addRegistration', () => {
  it('adds both entries to empty settings and reports them as created with their objects', () => {
    const { settings, added } = addRegistration({}, reg);
    expect(settings).toEqual(ours('/opt/cco'));
    expect(added.map((a) => [a.object, a.key, a.status, a.objectCreated])).toEqual([
      ['extraKnownMarketplaces', 'cco-local', 'created', true],
      ['enabledPlugins', ID, 'created', true],
    ]);
  });

  it('keeps every other key, value and key order, and does not mutate its input', () => {
    const input: JsonObject = {
      model: 'opus',
      env: { FOO: '1' },
      enabledPlugins: { 'other@market': true, 'off@market': false },
      extraKnownMarketplaces: { market: { source: { source: 'github', repo: 'a/b' } } },
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'echo hi' }] }] },
    };
    const snapshot = structuredClone(input);
    const { settings, added } = addRegistration(input, reg);
    expect(input).toEqual(snapshot);
    expect(Object.keys(settings)).toEqual(['model', 'env', 'enabledPlugins', 'extraKnownMarketplaces', 'hooks']);
    expect(settings).toEqual({
      ...snapshot,
      enabledPlugins: { 'other@market': true, 'off@market': false, [ID]: true },
      extraKnownMarketplaces: { market: { source: { source: 'github', repo: 'a/b' } }, 'cco-local': { source: { source: 'directory', path: '/opt/cco' } } },
    });
    expect(added.every((a) => a.status === 'created' && !a.objectCreated)).toBe(true);
  });

  it('is idempotent: a second application changes nothing and reports everything present', () => {
    const first = addRegistration({ model: 'x', enabledPlugins: { 'a@b': true } }, reg);
    const second = addRegistration(first.settings, reg);
    expect(second.settings).toEqual(first.settings);
    expect(second.added.map((a) => a.status)).toEqual(['present', 'present']);
  });

  it('replaces a disabled plugin or a marketplace pointing elsewhere, keeping the old value and extra fields', () => {
    const input = {
      enabledPlugins: { [ID]: false },
      extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: '/old/clone' }, autoUpdate: true } },
    };
    const { settings, added } = addRegistration(input, reg);
    expect(settings.enabledPlugins).toEqual({ [ID]: true });
    expect(settings.extraKnownMarketplaces).toEqual({ 'cco-local': { source: { source: 'directory', path: '/opt/cco' }, autoUpdate: true } });
    expect(added.map((a) => [a.status, a.previous])).toEqual([
      ['replaced', { source: { source: 'directory', path: '/old/clone' }, autoUpdate: true }],
      ['replaced', false],
    ]);
  });

  it('treats a marketplace whose source already matches as present and keeps its extra fields', () => {
    const input = { extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: '/opt/cco' }, autoUpdate: false } } };
    const { settings, added } = addRegistration(input, reg);
    expect(settings.extraKnownMarketplaces).toEqual(input.extraKnownMarketplaces);
    expect(added[0]?.status).toBe('present');
  });

  it('refuses settings that are not an object, or objects of the wrong type', () => {
    expect(() => addRegistration([], reg)).toThrow(SettingsShapeError);
    expect(() => addRegistration(null, reg)).toThrow(SettingsShapeError);
    expect(() => addRegistration({ enabledPlugins: ['cco'] }, reg)).toThrow(/"enabledPlugins" is an array/);
    expect(() => addRegistration({ extraKnownMarketplaces: 'x' }, reg)).toThrow(/"extraKnownMarketplaces" is a string/);
  });
});

describe('removeRegistration', () => {
  const cases: Array<[string, JsonObject]> = [
    ['empty settings', {}],
    [
      'user keys and another plugin',
      { model: 'opus', enabledPlugins: { 'other@m': true }, extraKnownMarketplaces: { m: { source: { source: 'github', repo: 'a/b' } } } },
    ],
    [
      'our plugin disabled, marketplace elsewhere',
      { enabledPlugins: { [ID]: false }, extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: '/old' } } } },
    ],
    ['already registered', ours('/opt/cco')],
    ['empty objects of the user', { enabledPlugins: {}, extraKnownMarketplaces: {} }],
  ];
  it.each(cases)('restores the original value: %s', (_name, original) => {
    const { settings, added } = addRegistration(original, reg);
    const restored = removeRegistration(settings, added);
    expect(restored).toEqual(original);
    expect(jsonEqual(restored, original)).toBe(true);
  });

  it('keeps what the user added after install, and an object we created that is no longer empty', () => {
    const { settings, added } = addRegistration({ model: 'opus' }, reg);
    const edited = structuredClone(settings);
    (edited.enabledPlugins as JsonObject)['mine@m'] = true;
    edited.theme = 'dark';
    expect(removeRegistration(edited, added)).toEqual({ model: 'opus', enabledPlugins: { 'mine@m': true }, theme: 'dark' });
  });

  it('removes a created key even if the user changed its value, but keeps a user change of a replaced one', () => {
    const { settings, added } = addRegistration(
      { enabledPlugins: { 'x@y': true }, extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: '/old' } } } },
      reg,
    );
    const edited = structuredClone(settings);
    (edited.enabledPlugins as JsonObject)[ID] = false;
    (edited.extraKnownMarketplaces as JsonObject)['cco-local'] = { source: { source: 'directory', path: '/newer' } };
    expect(removeRegistration(edited, added)).toEqual({
      enabledPlugins: { 'x@y': true },
      extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: '/newer' } } },
    });
  });

  it('does not mutate its input and skips objects the user deleted', () => {
    const { settings, added } = addRegistration({}, reg);
    const snapshot = structuredClone(settings);
    delete settings.enabledPlugins;
    const before = structuredClone(settings);
    expect(removeRegistration(settings, added)).toEqual({});
    expect(settings).toEqual(before);
    expect(snapshot).toEqual(ours('/opt/cco'));
  });
});

describe('mergeAdded / mergeCommand', () => {
  it('a second install (everything present) does not forget what the first one created', () => {
    const first = addRegistration({ model: 'm' }, reg);
    const second = addRegistration(first.settings, reg);
    const merged = mergeAdded(first.added, second.added);
    expect(merged.map((a) => [a.status, a.objectCreated])).toEqual([
      ['created', true],
      ['created', true],
    ]);
    expect(removeRegistration(second.settings, merged)).toEqual({ model: 'm' });
  });

  it('takes the new record when the earlier one had nothing to undo', () => {
    const pre = addRegistration(ours('/opt/cco'), reg); // user had registered it by hand
    const after = addRegistration({}, reg); // ... then deleted it; we create it now
    expect(mergeAdded(pre.added, after.added).map((a) => a.status)).toEqual(['created', 'created']);
  });

  it('keeps a succeeded command over a later skipped one', () => {
    const ok: CommandRecord = { argv: ['plugin', 'install'], status: 'succeeded', exitCode: 0, at: 't1' };
    const skipped: CommandRecord = { argv: ['plugin', 'install'], status: 'skipped-present', exitCode: null, at: 't2' };
    expect(mergeCommand(ok, skipped)).toBe(ok);
    expect(mergeCommand(skipped, ok)).toBe(ok);
    expect(mergeCommand(undefined, skipped)).toBe(skipped);
  });
});

describe('parseSettingsText / formatSettings', () => {
  it('parses objects, treats a blank file as {} and ignores a BOM', () => {
    expect(parseSettingsText('{"a":1}')).toEqual({ a: 1 });
    expect(parseSettingsText('  \n')).toEqual({});
    expect(parseSettingsText('\uFEFF{"a":2}')).toEqual({ a: 2 });
  });

  it('throws SettingsParseError for invalid JSON and SettingsShapeError for non-objects', () => {
    expect(() => parseSettingsText('{"a": 1,')).toThrow(SettingsParseError);
    expect(() => parseSettingsText('{"a": 1 "b": 2}')).toThrow(SettingsParseError);
    // JSONC, as VS Code and Claude Code users write it: comments and trailing commas are not errors.
    expect(parseSettingsText('// comment\n{"a": [1,], /* b */ "c": 2,}')).toEqual({ a: [1], c: 2 });
    expect(() => parseSettingsText('[1]')).toThrow(SettingsShapeError);
    expect(() => parseSettingsText('"x"')).toThrow(SettingsShapeError);
  });

  it('keeps the indentation and trailing newline of the original text', () => {
    expect(formatSettings({ a: { b: 1 } })).toBe('{\n  "a": {\n    "b": 1\n  }\n}\n');
    expect(formatSettings({ a: 1 }, '{\n    "x": 0\n}')).toBe('{\n    "a": 1\n}');
    expect(formatSettings({ a: 1 }, '{\n\t"x": 0\n}\n')).toBe('{\n\t"a": 1\n}\n');
  });
});

describe('planStatusLine / removeStatusLine', () => {
  const root = '/opt/cco';
  const theirs: JsonObject = { type: 'command', command: "~/bin/line.sh --color 'a b'", padding: 2, refreshInterval: 5 };
  const set = (settings: unknown, choice: Parameters<typeof planStatusLine>[1]['choice'], prior?: StatusLineChange) => {
    const p = planStatusLine(settings, { repoRoot: root, choice, prior });
    if (p.action !== 'set') throw new Error(`expected set, got keep (${p.why})`);
    return p;
  };

  it('sets ours when none is set (any choice but skip), and removal deletes exactly that key', () => {
    const input: JsonObject = { model: 'opus', env: { A: '1' } };
    for (const choice of ['auto', 'wrap', 'wrap-silent', 'replace'] as const) {
      const p = set(input, choice);
      expect(p.settings).toEqual({ ...input, statusLine: { type: 'command', command: 'node "/opt/cco/dist/statusline.cjs"', padding: 0 } });
      expect(p.change).toEqual({ status: 'created', mode: 'own', value: p.settings.statusLine });
      const back = removeStatusLine(p.settings, p.change);
      expect(back.changed).toBe(true);
      expect(back.settings).toEqual(input);
    }
    expect(input).toEqual({ model: 'opus', env: { A: '1' } });
    expect(planStatusLine(input, { repoRoot: root, choice: 'skip' })).toMatchObject({ action: 'keep', why: 'skip' });
  });

  it("auto keeps the user's own statusLine and says how to opt in", () => {
    const p = planStatusLine({ statusLine: theirs }, { repoRoot: root, choice: 'auto' });
    expect(p).toMatchObject({ action: 'keep', why: 'theirs' });
    expect(p.action === 'keep' && p.message).toContain('./install.sh --statusline wrap');
    expect(p.action === 'keep' && p.message).toContain('--statusline replace');
  });

  it('wrap keeps their other keys, records their exact value, and removal puts it back in place', () => {
    const input: JsonObject = { a: 1, statusLine: theirs, z: 2 };
    const p = set(input, 'wrap');
    expect(p.settings.statusLine).toEqual({ ...theirs, command: `node "/opt/cco/dist/statusline.cjs" --wrap '~/bin/line.sh --color '\\''a b'\\'''` });
    expect(p.change).toMatchObject({ status: 'replaced', mode: 'wrap', previous: theirs });
    expect(Object.keys(p.settings)).toEqual(['a', 'statusLine', 'z']);
    const back = removeStatusLine(p.settings, p.change);
    expect(back.settings).toEqual(input);
    expect(Object.keys(back.settings)).toEqual(['a', 'statusLine', 'z']);
    expect(set(input, 'wrap-silent').settings.statusLine).toMatchObject({ command: expect.stringMatching(/ --wrap '.*' --wrap-mode silent$/) });
  });

  it('the wrap command passes their command through sh verbatim, whatever quotes and $ it holds', () => {
    for (const cmd of [`echo "it's $HOME" | tr a-z A-Z`, "printf '%s' \\; `x`", 'a\nb']) {
      const full = ourStatusLineCommand(root, { command: cmd, silent: false });
      const prefix = 'node "/opt/cco/dist/statusline.cjs"';
      expect(full.startsWith(prefix)).toBe(true);
      const r = spawnSync('/bin/sh', ['-c', `printf '%s\\n' ${full.slice(prefix.length)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(`--wrap\n${cmd}\n`);
    }
    expect(shQuote('/a b/c')).toBe('"/a b/c"');
    expect(shQuote('/a$b')).toBe("'/a$b'");
  });

  it('replace sets ours and keeps theirs for uninstall; a statusLine that is not a command cannot be wrapped', () => {
    const p = set({ statusLine: theirs }, 'replace');
    expect(p.settings.statusLine).toEqual({ type: 'command', command: 'node "/opt/cco/dist/statusline.cjs"', padding: 0 });
    expect(p.change).toMatchObject({ status: 'replaced', mode: 'replace', previous: theirs });
    expect(removeStatusLine(p.settings, p.change).settings).toEqual({ statusLine: theirs });
    expect(planStatusLine({ statusLine: { type: 'static', text: 'x' } }, { repoRoot: root, choice: 'wrap' })).toMatchObject({
      action: 'keep',
      why: 'not-wrappable',
    });
    expect(planStatusLine({ statusLine: 'echo hi' }, { repoRoot: root, choice: 'wrap-silent' })).toMatchObject({ action: 'keep', why: 'not-wrappable' });
  });

  it("is idempotent, and recomputes from the user's original when the choice or the repo path changes", () => {
    const first = set({ statusLine: theirs }, 'wrap');
    for (const choice of ['auto', 'wrap'] as const) {
      expect(planStatusLine(first.settings, { repoRoot: root, choice, prior: first.change })).toMatchObject({ action: 'keep', why: 'present' });
    }
    const replaced = set(first.settings, 'replace', first.change);
    expect(replaced.change).toMatchObject({ status: 'replaced', mode: 'replace', previous: theirs });
    const moved = planStatusLine(first.settings, { repoRoot: '/new/cco', choice: 'auto', prior: first.change });
    expect(moved).toMatchObject({ action: 'set', change: { mode: 'wrap', previous: theirs } });
    expect(moved.action === 'set' && (moved.settings.statusLine as JsonObject).command).toMatch(/^node "\/new\/cco\/dist\/statusline.cjs" --wrap /);
    // Set by hand (no record): left alone, and nothing to undo.
    expect(
      planStatusLine(
        { statusLine: { type: 'command', command: 'node "/opt/cco/dist/cli.mjs" statusline --wrap-mode silent' } },
        { repoRoot: root, choice: 'replace' },
      ),
    ).toMatchObject({ action: 'keep', why: 'present' });
  });

  it("a reinstall moves an earlier install's `cli.mjs statusline` to the status line front, keeping what it wraps", () => {
    const legacy = { ...theirs, command: `node "/opt/cco/dist/cli.mjs" statusline --wrap '~/bin/line.sh'` };
    const prior = { status: 'replaced' as const, mode: 'wrap' as const, value: legacy, previous: theirs };
    const p = planStatusLine({ statusLine: legacy }, { repoRoot: root, choice: 'auto', prior });
    expect(p).toMatchObject({ action: 'set', change: { mode: 'wrap', previous: theirs } });
    expect(p.action === 'set' && (p.settings.statusLine as JsonObject).command).toMatch(/^node "\/opt\/cco\/dist\/statusline\.cjs" --wrap /);
  });

  it('removal leaves a statusLine the user changed since install, and one that is gone', () => {
    const p = set({}, 'auto');
    const edited = { statusLine: { type: 'command', command: 'mine' } };
    expect(removeStatusLine(edited, p.change)).toEqual({ settings: edited, changed: false, why: expect.stringContaining('changed since install') });
    expect(removeStatusLine({ model: 'x' }, p.change)).toMatchObject({ settings: { model: 'x' }, changed: false });
  });

  it('statusLineState tells none, ours and theirs', () => {
    expect(statusLineState({}, root)).toEqual({ kind: 'none' });
    expect(statusLineState({ statusLine: { type: 'command', command: 'node "/opt/cco/dist/cli.mjs" statusline' } }, root)).toEqual({ kind: 'ours' }); // an earlier install's
    expect(statusLineState({ statusLine: { type: 'command', command: 'node "/opt/cco/dist/statusline.cjs" --wrap x' } }, root)).toEqual({ kind: 'ours' });
    expect(statusLineState({ statusLine: theirs }, root)).toEqual({ kind: 'theirs', description: "~/bin/line.sh --color 'a b'" });
  });
});

describe('resolveInstallConfigDir', () => {
  it('uses the first non-blank entry of CLAUDE_CONFIG_DIR, ~/ meaning HOME', () => {
    expect(resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: '/a,/b', HOME: '/h' }, '/cwd')).toBe('/a');
    expect(resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: ' , /a/../c/ , /b', HOME: '/h' }, '/cwd')).toBe('/c');
    expect(resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: '~/cfg', HOME: '/h' }, '/cwd')).toBe('/h/cfg');
  });

  it('refuses a relative entry anywhere in the list instead of resolving it against cwd', () => {
    expect(() => resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: ' , rel/dir , /b', HOME: '/h' }, '/cwd')).toThrow(
      'CLAUDE_CONFIG_DIR entry "rel/dir" is not an absolute path: refused',
    );
    expect(() => resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: '/a,./c', HOME: '/h' }, '/cwd')).toThrow(/"\.\/c" is not an absolute path/);
    expect(() => resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: '~other/x', HOME: '/h' }, '/cwd')).toThrow(/"~other\/x"/);
    // Without HOME, ~ cannot be expanded: refused too, not taken as a folder named "~".
    expect(() => resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: '~/cfg' }, '/cwd')).toThrow(/"~\/cfg" is not an absolute path/);
  });

  it('falls back to $HOME/.claude and refuses without HOME', () => {
    expect(resolveInstallConfigDir({ CLAUDE_CONFIG_DIR: ' , ', HOME: '/h' }, '/cwd')).toBe('/h/.claude');
    expect(resolveInstallConfigDir({ HOME: '/h/' }, '/cwd')).toBe('/h/.claude');
    expect(() => resolveInstallConfigDir({}, '/cwd')).toThrow(/neither CLAUDE_CONFIG_DIR nor HOME/);
  });
});

// ---------------------------------------------------------------------------------------------------
// install.sh as a process
// ---------------------------------------------------------------------------------------------------

let work: string; // temp root for everything below
let repo: string; // temp copy of the repository
let bin: string; // PATH: node only
let binClaude: string; // PATH: node + fake claude
let claudeLog: string;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-install-test-')));
  ({ repo, bin } = await copyForInstall(work));
  binClaude = path.join(work, 'bin-claude');
  mkdirSync(binClaude);
  symlinkSync(process.execPath, path.join(binClaude, 'node'));
  claudeLog = path.join(work, 'claude.log');
  // A fake `claude`: logs its argv and config dir; fails when its argv contains $FAKE_CLAUDE_FAIL.
  writeFileSync(
    path.join(binClaude, 'claude'),
    [
      '#!/bin/sh',
      'printf "%s | CLAUDE_CONFIG_DIR=%s\\n" "$*" "${CLAUDE_CONFIG_DIR-unset}" >> "$FAKE_CLAUDE_LOG"',
      'if [ -n "${FAKE_CLAUDE_FAIL-}" ]; then case "$*" in *"$FAKE_CLAUDE_FAIL"*) echo "boom: $*" >&2; exit 3;; esac; fi',
      'echo "ok: $*"',
      '',
    ].join('\n'),
  );
  chmodSync(path.join(binClaude, 'claude'), 0o755);
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Sandbox {
  home: string;
  cfg: string;
}

/** A fresh HOME and config dir (the config dir is not created). */
function sandbox(): Sandbox {
  const dir = mkdtempSync(path.join(work, 'sb-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  return { home, cfg: path.join(dir, 'config') };
}

function runInstall(args: string[], env: { HOME: string; CLAUDE_CONFIG_DIR?: string; PATH?: string; [k: string]: string | undefined }): Run {
  const fullEnv: Record<string, string> = { PATH: bin, FAKE_CLAUDE_LOG: claudeLog };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) fullEnv[k] = v;
  const r = spawnSync(BASH, [path.join(repo, 'install.sh'), ...args], { cwd: work, env: fullEnv, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const REG = ['--register-only', '--yes', '--no-claude-cli'];
const read = (f: string): string => readFileSync(f, 'utf8');
const readJson = (f: string): unknown => JSON.parse(read(f));
const backups = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('settings.json.cco-backup-'));
const manifestOf = (cfg: string): Record<string, unknown> => readJson(path.join(cfg, 'cco', 'install-manifest.json')) as Record<string, unknown>;

describe('install.sh --register-only --no-claude-cli (settings.json path)', () => {
  it('fresh config dir: creates settings.json with exactly our two entries and our statusLine, a manifest, and no backup', () => {
    const { home, cfg } = sandbox();
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
    expect(r.stdout).toContain(`registered ${ID} in ${path.join(cfg, 'settings.json')} (new file)`);
    expect(backups(cfg)).toEqual([]);
    const m = manifestOf(cfg);
    expect(m).toMatchObject({ version: 1, plugin: ID, marketplace: 'cco-local', repoRoot: repo, configDir: cfg });
    expect(m.settings).toMatchObject({ file: path.join(cfg, 'settings.json'), fileCreated: true, backups: [] });
    expect(m.statusLine).toEqual({
      file: path.join(cfg, 'settings.json'),
      fileCreated: true,
      backups: [],
      status: 'created',
      mode: 'own',
      value: ourLine(repo),
    });
    expect(r.stdout).toContain('set statusLine to cco statusline');
    expect((m.settings as { added: Array<{ status: string; objectCreated: boolean }> }).added.map((a) => [a.status, a.objectCreated])).toEqual([
      ['created', true],
      ['created', true],
    ]);
    // Nothing outside the config dir: no ~/.claude, no ~/.claude.json.
    expect(readdirSync(home)).toEqual([]);
    expect(readdirSync(cfg).sort()).toEqual(['cco', 'commands', 'settings.json']);
    // The seeds' command names as user-level commands, each calling this checkout's cli.mjs.
    expect(readdirSync(path.join(cfg, 'commands')).sort()).toEqual([
      'compact-context.md',
      'context-status.md',
      'create-calendar-events.md',
      'save-and-restart.md',
      'session-status.md',
      'start-next-session.md',
    ]);
    expect(read(path.join(cfg, 'commands', 'session-status.md'))).toContain(`!\`node "${repo}/dist/cli.mjs" status\``);
    expect(r.stdout).toContain(
      `added the commands /session-status, /context-status, /compact-context, /save-and-restart, /start-next-session, /create-calendar-events in ${path.join(cfg, 'commands')}`,
    );

    // Uninstall removes the file and the directories install created.
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(existsSync(cfg)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('existing settings.json: keeps user keys and other plugins, backs up the original bytes', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    const original = { model: 'opus', env: { A: '1' }, enabledPlugins: { 'other@market': true }, statusLine: { type: 'command', command: 'x' } };
    const originalText = JSON.stringify(original, null, 2) + '\n';
    writeFileSync(path.join(cfg, 'settings.json'), originalText);
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(0);
    const after = readJson(path.join(cfg, 'settings.json'));
    expect(after).toEqual({
      ...original,
      enabledPlugins: { 'other@market': true, [ID]: true },
      extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: repo } } },
    });
    const b = backups(cfg);
    expect(b).toHaveLength(1);
    expect(b[0]).toMatch(/^settings\.json\.cco-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(read(path.join(cfg, b[0]!))).toBe(originalText);
    expect(r.stdout).toContain(`(backup: ${path.join(cfg, b[0]!)})`);
    const added = (manifestOf(cfg).settings as { added: Array<{ object: string; status: string; objectCreated: boolean }> }).added;
    expect(added.map((a) => [a.object, a.status, a.objectCreated])).toEqual([
      ['extraKnownMarketplaces', 'created', true],
      ['enabledPlugins', 'created', false],
    ]);
  });

  it('a second run changes nothing: same bytes, no second backup, same manifest', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'settings.json'), '{"model":"sonnet"}');
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const settingsText = read(path.join(cfg, 'settings.json'));
    const manifestText = read(path.join(cfg, 'cco', 'install-manifest.json'));
    expect(backups(cfg)).toHaveLength(1);

    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('already registered');
    expect(read(path.join(cfg, 'settings.json'))).toBe(settingsText);
    expect(read(path.join(cfg, 'cco', 'install-manifest.json'))).toBe(manifestText);
    expect(backups(cfg)).toHaveLength(1);
    expect(readdirSync(cfg).sort()).toEqual(['cco', 'commands', 'settings.json', backups(cfg)[0]!].sort());
  });

  it('refuses a settings.json that is not valid JSON, exits 1 with one line, and leaves everything as it was', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    const corrupt = '{\n  "model": "opus",\n  "enabledPlugins": {\n';
    writeFileSync(path.join(cfg, 'settings.json'), corrupt);
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${path.join(cfg, 'settings.json')} is not valid JSON`);
    expect(read(path.join(cfg, 'settings.json'))).toBe(corrupt);
    expect(readdirSync(cfg)).toEqual(['settings.json']); // no backup, no manifest, no lock left behind
  });

  it('refuses valid JSON of the wrong shape (enabledPlugins is an array) the same way', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    const text = '{"enabledPlugins": ["x"]}';
    writeFileSync(path.join(cfg, 'settings.json'), text);
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"enabledPlugins" is an array');
    expect(read(path.join(cfg, 'settings.json'))).toBe(text);
    expect(readdirSync(cfg)).toEqual(['settings.json']);
  });

  it('--uninstall restores the exact original file and removes the manifest, the cco dir and the backup', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    // Unusual formatting and key order on purpose: the bytes must come back.
    const originalText = '{\n    "enabledPlugins": {"other@m": true, "cco@cco-local": false},\n    "model": "opus"\n}';
    writeFileSync(path.join(cfg, 'settings.json'), originalText);
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect((readJson(path.join(cfg, 'settings.json')) as JsonObject).enabledPlugins).toEqual({ 'other@m': true, [ID]: true });

    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`removed ${ID} from ${path.join(cfg, 'settings.json')}`);
    expect(read(path.join(cfg, 'settings.json'))).toBe(originalText);
    expect(readdirSync(cfg)).toEqual(['settings.json']);

    // A second uninstall has nothing to do.
    const again = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to uninstall');
    expect(read(path.join(cfg, 'settings.json'))).toBe(originalText);
  });

  it('--uninstall after the user edited settings removes only our entries and keeps their edits', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'settings.json'), JSON.stringify({ enabledPlugins: { 'other@m': true } }));
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const edited = readJson(path.join(cfg, 'settings.json')) as JsonObject;
    edited.theme = 'dark';
    (edited.enabledPlugins as JsonObject)['new@m'] = true;
    writeFileSync(path.join(cfg, 'settings.json'), JSON.stringify(edited, null, 2));

    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual({ enabledPlugins: { 'other@m': true, 'new@m': true }, theme: 'dark' });
    expect(existsSync(path.join(cfg, 'cco'))).toBe(false);
    // Backups are kept when the file could not simply be put back: the install one and the uninstall one.
    expect(backups(cfg)).toHaveLength(2);
  });

  it('uses the FIRST entry of a comma-separated CLAUDE_CONFIG_DIR and nothing else', () => {
    const { home, cfg } = sandbox();
    const second = `${cfg}-second`;
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: ` ${cfg} ,${second}` });
    expect(r.code).toBe(0);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
    expect(existsSync(second)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: `${cfg},${second}` });
    expect(u.code).toBe(0);
    expect(existsSync(cfg)).toBe(false);
  });

  it('without CLAUDE_CONFIG_DIR uses $HOME/.claude and never creates $HOME/.claude.json', () => {
    const { home } = sandbox();
    const r = runInstall(REG, { HOME: home });
    expect(r.code).toBe(0);
    expect(readJson(path.join(home, '.claude', 'settings.json'))).toEqual(installed(repo));
    expect(readdirSync(home)).toEqual(['.claude']);
    expect(runInstall(['--uninstall', '-y', '--no-claude-cli'], { HOME: home }).code).toBe(0);
    expect(readdirSync(home)).toEqual([]);
  });

  it('takes over a stale lock on settings.json', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'settings.json'), '{}');
    const lockDir = path.join(cfg, 'settings.json.lock');
    mkdirSync(lockDir);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockDir, old, old);
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(0);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
    expect(existsSync(lockDir)).toBe(false);
  });

  it('gives up with exit 1 when another process holds a fresh lock, changing nothing', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'settings.json'), '{}');
    mkdirSync(path.join(cfg, 'settings.json.lock')); // mtime now: held
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is locked by another process');
    expect(read(path.join(cfg, 'settings.json'))).toBe('{}');
    expect(readdirSync(cfg).sort()).toEqual(['settings.json', 'settings.json.lock']);
  });
});

describe('install.sh with the claude CLI (fake claude on PATH)', () => {
  const logLines = (): string[] => (existsSync(claudeLog) ? read(claudeLog).trim().split('\n').filter(Boolean) : []);

  it('runs marketplace add + plugin install, records them, and --uninstall runs the reverse in order', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'settings.json'), '{"model":"opus"}\n');
    const r = runInstall(['--register-only', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: `${cfg},/elsewhere`, PATH: binClaude });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(logLines()).toEqual([`plugin marketplace add ${repo} | CLAUDE_CONFIG_DIR=${cfg}`, `plugin install ${ID} -s user | CLAUDE_CONFIG_DIR=${cfg}`]);
    // The fake CLI does not edit settings.json; we backed it up first and then set only our statusLine
    // (the CLI does not manage it), without a second backup.
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual({ model: 'opus', statusLine: ourLine(repo) });
    expect(backups(cfg)).toHaveLength(1);
    expect(read(path.join(cfg, backups(cfg)[0]!))).toBe('{"model":"opus"}\n');
    const cli = manifestOf(cfg).cli as Record<string, { status: string; argv: string[] }>;
    expect(manifestOf(cfg).settings).toBeUndefined();
    expect(manifestOf(cfg).statusLine).toMatchObject({ status: 'created', mode: 'own', backups: [path.join(cfg, backups(cfg)[0]!)], fileCreated: false });
    expect(cli.marketplaceAdd).toMatchObject({ status: 'succeeded', argv: ['plugin', 'marketplace', 'add', repo] });
    expect(cli.pluginInstall).toMatchObject({ status: 'succeeded', argv: ['plugin', 'install', ID, '-s', 'user'] });

    rmSync(claudeLog, { force: true });
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(u.code).toBe(0);
    expect(logLines()).toEqual([`plugin uninstall ${ID} | CLAUDE_CONFIG_DIR=${cfg}`, `plugin marketplace remove cco-local | CLAUDE_CONFIG_DIR=${cfg}`]);
    expect(existsSync(path.join(cfg, 'cco'))).toBe(false);
    // The original bytes are back, and the backup (equal to them) was dropped as redundant.
    expect(read(path.join(cfg, 'settings.json'))).toBe('{"model":"opus"}\n');
    expect(readdirSync(cfg)).toEqual(['settings.json']);
  });

  it('leaves CLAUDE_CONFIG_DIR unset for claude when the default ~/.claude is used', () => {
    rmSync(claudeLog, { force: true });
    const { home } = sandbox();
    expect(runInstall(['--register-only', '--yes'], { HOME: home, PATH: binClaude }).code).toBe(0);
    expect(logLines()).toEqual([`plugin marketplace add ${repo} | CLAUDE_CONFIG_DIR=unset`, `plugin install ${ID} -s user | CLAUDE_CONFIG_DIR=unset`]);
    expect(existsSync(path.join(home, '.claude', 'cco', 'install-manifest.json'))).toBe(true);
    expect(existsSync(path.join(home, '.claude.json'))).toBe(false);
  });

  it('a failed plugin install exits 1, and --uninstall then reverses only the marketplace add', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg } = sandbox();
    const r = runInstall(['--register-only', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude, FAKE_CLAUDE_FAIL: 'plugin install' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`claude plugin install ${ID} -s user failed: boom`);
    const cli = manifestOf(cfg).cli as Record<string, { status: string; exitCode: number }>;
    expect(cli.marketplaceAdd?.status).toBe('succeeded');
    expect(cli.pluginInstall).toMatchObject({ status: 'failed', exitCode: 3 });

    rmSync(claudeLog, { force: true });
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(u.code).toBe(0);
    expect(logLines()).toEqual([`plugin marketplace remove cco-local | CLAUDE_CONFIG_DIR=${cfg}`]);
    expect(existsSync(cfg)).toBe(false);
  });

  it('--uninstall of a CLI install without claude on PATH refuses and keeps the manifest', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg } = sandbox();
    expect(runInstall(['--register-only', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude }).code).toBe(0);
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('registered with the claude CLI');
    expect(existsSync(path.join(cfg, 'cco', 'install-manifest.json'))).toBe(true);
  });

  it('skips commands whose result is already there, and then has nothing of its own to uninstall', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg } = sandbox();
    mkdirSync(path.join(cfg, 'plugins'), { recursive: true });
    const text = JSON.stringify({ ...installed(repo), model: 'opus' });
    writeFileSync(path.join(cfg, 'settings.json'), text);
    writeFileSync(path.join(cfg, 'plugins', 'installed_plugins.json'), JSON.stringify({ version: 2, plugins: { [ID]: [{ scope: 'user' }] } }));
    const r = runInstall(['--register-only', '--yes', '--no-seed-commands'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('already installed through the claude CLI');
    expect(logLines()).toEqual([]);
    expect(read(path.join(cfg, 'settings.json'))).toBe(text);
    expect(readdirSync(cfg).sort()).toEqual(['plugins', 'settings.json']);
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('nothing to uninstall');
    expect(logLines()).toEqual([]);
  });

  it('switching from a settings.json install to the CLI undoes the settings entries first', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'settings.json'), '{"model":"opus"}');
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const r = runInstall(['--register-only', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('switching from the settings.json registration');
    // Our registration entries were gone before claude ran; the statusLine set by the first install stays ours.
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual({ model: 'opus', statusLine: ourLine(repo) });
    expect(logLines()).toHaveLength(2);
    const m = manifestOf(cfg);
    expect(m.settings).toBeUndefined();
    expect(m.statusLine).toMatchObject({ status: 'created', value: ourLine(repo) });
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(u.code).toBe(0);
    expect(read(path.join(cfg, 'settings.json'))).toBe('{"model":"opus"}');
    expect(m.cli).toMatchObject({ marketplaceAdd: { status: 'succeeded' }, pluginInstall: { status: 'succeeded' } });
  });

  it('--no-claude-cli ignores a claude on PATH and edits settings.json', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg } = sandbox();
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude }).code).toBe(0);
    expect(logLines()).toEqual([]);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
  });
});

describe('install.sh and the seed commands (/session-status, ...)', () => {
  const seedFiles = [
    'compact-context.md',
    'context-status.md',
    'create-calendar-events.md',
    'save-and-restart.md',
    'session-status.md',
    'start-next-session.md',
  ];

  it('keeps a command of the same name the person has, says so, and --uninstall leaves their commands dir exactly as it was', () => {
    const { home, cfg } = sandbox();
    mkdirSync(path.join(cfg, 'commands'), { recursive: true });
    const theirs = '---\ndescription: my own status\n---\nShow my status.\n';
    writeFileSync(path.join(cfg, 'commands', 'session-status.md'), theirs);
    writeFileSync(path.join(cfg, 'commands', 'deploy.md'), 'Deploy it.\n');
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`kept your own /session-status (${path.join(cfg, 'commands', 'session-status.md')}); cco's is /cco:session-status`);
    expect(read(path.join(cfg, 'commands', 'session-status.md'))).toBe(theirs);
    expect(readdirSync(path.join(cfg, 'commands')).sort()).toEqual([...seedFiles, 'deploy.md'].sort());
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code, u.stderr).toBe(0);
    expect(readdirSync(path.join(cfg, 'commands')).sort()).toEqual(['deploy.md', 'session-status.md']);
    expect(read(path.join(cfg, 'commands', 'session-status.md'))).toBe(theirs);
  });

  it('a command the person took over (marker removed) survives uninstall; --no-seed-commands writes none', () => {
    const { home, cfg } = sandbox();
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const mine = path.join(cfg, 'commands', 'context-status.md');
    writeFileSync(
      mine,
      read(mine)
        .split('\n')
        .filter((l) => !l.startsWith('# claude-code-optimizer seed command'))
        .join('\n'),
    );
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`kept ${mine}: it is yours now (no cco marker)`);
    expect(readdirSync(path.join(cfg, 'commands'))).toEqual(['context-status.md']);

    const other = sandbox();
    expect(runInstall([...REG, '--no-seed-commands'], { HOME: other.home, CLAUDE_CONFIG_DIR: other.cfg }).code).toBe(0);
    expect(existsSync(path.join(other.cfg, 'commands'))).toBe(false);
  });

  const MARK = '# claude-code-optimizer seed command: removed by ./install.sh --uninstall';
  const UNINSTALL = ['--uninstall', '--yes', '--no-claude-cli'];
  /** Each entry of a commands dir: a symlink as `-> target`, a directory as `dir/`, a file as its text. */
  const snapshot = (dir: string): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dir)
        .sort()
        .map((n) => {
          const f = path.join(dir, n);
          const st = lstatSync(f);
          return [n, st.isSymbolicLink() ? `-> ${readlinkSync(f)}` : st.isDirectory() ? 'dir/' : read(f)];
        }),
    );
  const seedRecords = (cfg: string): Array<{ name: string; status: string; sha256?: string }> =>
    (manifestOf(cfg).seedCommands as { commands: Array<{ name: string; status: string; sha256?: string }> }).commands;

  it('never replaces or deletes a symlink (dangling or to a copy with the marker), a file with the marker elsewhere, or one the person edited', () => {
    const { home, cfg } = sandbox();
    const commands = path.join(cfg, 'commands');
    mkdirSync(commands, { recursive: true });
    const dotfiles = path.join(home, 'dotfiles');
    mkdirSync(dotfiles);
    writeFileSync(path.join(dotfiles, 'ctx.md'), 'my context cmd\n');
    const dotCopy = `---\n${MARK}\ndescription: dotfiles copy\n---\nMY DOTFILES VERSION\n`;
    writeFileSync(path.join(dotfiles, 'cc.md'), dotCopy);
    symlinkSync(path.join(dotfiles, 'ctx.md'), path.join(commands, 'context-status.md'));
    symlinkSync(path.join(dotfiles, 'cc.md'), path.join(commands, 'compact-context.md'));
    symlinkSync(path.join(dotfiles, 'not-mounted-yet.md'), path.join(commands, 'save-and-restart.md'));
    writeFileSync(path.join(commands, 'start-next-session.md'), `---\n${MARK}\ndescription: x\n---\nMY OWN EDITED BODY, keep me\n`);
    writeFileSync(path.join(commands, 'create-calendar-events.md'), `---\ndescription: mine\n---\nmy notes\n<!-- ${MARK} -->\n    ${MARK}\n`);
    const before = snapshot(commands);
    const dotBefore = snapshot(dotfiles);

    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code, r.stderr).toBe(0);
    const f = (n: string): string => path.join(commands, `${n}.md`);
    expect(r.stdout).toContain(`added the commands /session-status in ${commands}`);
    for (const n of ['context-status', 'compact-context', 'save-and-restart'])
      expect(r.stdout).toContain(`kept your own /${n} (${f(n)}, a symlink); cco's is /cco:${n}`);
    expect(r.stdout).toContain(`kept /start-next-session (${f('start-next-session')}): you edited it; delete it and run install again to get cco's version`);
    expect(r.stdout).toContain(`kept your own /create-calendar-events (${f('create-calendar-events')}); cco's is /cco:create-calendar-events`);
    const { 'session-status.md': added, ...rest } = snapshot(commands);
    expect(added).toContain(`!\`node "${repo}/dist/cli.mjs" status\``);
    expect(rest).toEqual(before);
    expect(snapshot(dotfiles)).toEqual(dotBefore);
    expect(
      seedRecords(cfg)
        .filter((c) => c.status === 'written')
        .map((c) => c.name),
    ).toEqual(['session-status']);

    const u = runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code, u.stderr).toBe(0);
    expect(snapshot(commands)).toEqual(before);
    expect(snapshot(dotfiles)).toEqual(dotBefore);
  });

  it('an edited seed command is kept by a rerun and by uninstall; an unedited one an older cco wrote is updated', () => {
    const { home, cfg } = sandbox();
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const f = (n: string): string => path.join(cfg, 'commands', `${n}.md`);
    const current = read(f('session-status'));
    const wrote = seedRecords(cfg).find((c) => c.name === 'start-next-session')!.sha256;
    const edited = read(f('start-next-session')).replace('\n---\n', '\n---\nMY OWN FIRST LINE\n');
    writeFileSync(f('start-next-session'), edited);
    // As an older cco would have left it: other bytes, recorded in the manifest.
    const older = current.replace('description: ', 'description: (older cco) ');
    writeFileSync(f('session-status'), older);
    const mfile = path.join(cfg, 'cco', 'install-manifest.json');
    const m = manifestOf(cfg) as { seedCommands: { commands: Array<{ name: string; sha256?: string }> } };
    m.seedCommands.commands.find((c) => c.name === 'session-status')!.sha256 = createHash('sha256').update(older).digest('hex');
    writeFileSync(mfile, JSON.stringify(m));

    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `kept /start-next-session (${f('start-next-session')}): you edited it; delete it and run install again to get cco's version (cco's is /cco:start-next-session)`,
    );
    expect(read(f('start-next-session'))).toBe(edited);
    expect(read(f('session-status'))).toBe(current);
    // The record of what install wrote stays, so uninstall can tell the edit.
    expect(seedRecords(cfg).find((c) => c.name === 'start-next-session')).toMatchObject({ status: 'written', sha256: wrote });
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).stdout).toContain('kept /start-next-session');
    expect(read(f('start-next-session'))).toBe(edited);

    const u = runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toContain(`kept ${f('start-next-session')}: you edited it after install; delete it yourself if you no longer want /start-next-session`);
    expect(u.stdout).toContain(`removed /session-status (${f('session-status')})`);
    expect(readdirSync(path.join(cfg, 'commands'))).toEqual(['start-next-session.md']);
    expect(read(f('start-next-session'))).toBe(edited);
  });

  it('without a manifest record, a file with the marker is ours only when it is exactly the current seed text', () => {
    const { home, cfg } = sandbox();
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const f = (n: string): string => path.join(cfg, 'commands', `${n}.md`);
    const texts = Object.fromEntries(readdirSync(path.join(cfg, 'commands')).map((n) => [n, read(path.join(cfg, 'commands', n))]));
    rmSync(path.join(cfg, 'cco', 'install-manifest.json'));
    const older = texts['context-status.md']!.replace('description: ', 'description: (older cco) ');
    writeFileSync(f('context-status'), older);
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`kept /context-status (${f('context-status')}): you edited it`);
    expect(read(f('context-status'))).toBe(older);
    expect(seedRecords(cfg).find((c) => c.name === 'context-status')).toEqual({ name: 'context-status', file: f('context-status'), status: 'theirs' });
    expect(seedRecords(cfg).filter((c) => c.status === 'written')).toHaveLength(5);
    expect(runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(readdirSync(path.join(cfg, 'commands'))).toEqual(['context-status.md']);
  });

  it('a directory where a seed command goes: that one is skipped with one line, install finishes and exits 0, uninstall leaves it', () => {
    const { home, cfg } = sandbox();
    const f = (n: string): string => path.join(cfg, 'commands', `${n}.md`);
    mkdirSync(f('session-status'), { recursive: true });
    writeFileSync(path.join(f('session-status'), 'notes.txt'), 'mine\n');
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `left ${f('session-status')} as it is: it is not a regular file (cco's /session-status is still available as /cco:session-status)`,
    );
    expect(r.stdout).toContain('added the commands /context-status, /compact-context, /save-and-restart, /start-next-session, /create-calendar-events in');
    expect(r.stdout).toContain('done: start a new Claude Code session to load cco');
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
    expect(seedRecords(cfg).find((c) => c.name === 'session-status')?.status).toBe('theirs');
    const u = runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code, u.stderr).toBe(0);
    expect(snapshot(path.join(cfg, 'commands'))).toEqual({ 'session-status.md': 'dir/' });
  });

  it('a file where the commands directory goes: every seed is skipped with one line, install finishes and exits 0', () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    writeFileSync(path.join(cfg, 'commands'), 'not a directory\n');
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`could not create ${path.join(cfg, 'commands')} (EEXIST); cco's commands are still available as /cco:<name>`);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
    expect(seedRecords(cfg)).toEqual([]);
    expect(runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(read(path.join(cfg, 'commands'))).toBe('not a directory\n');
  });

  // Root reads and writes through any mode bits: these two need an ordinary user (the directory cases above do not).
  it.skipIf(process.getuid?.() === 0)('a command file install cannot read is kept (not treated as absent), and uninstall leaves it', () => {
    const { home, cfg } = sandbox();
    const f = (n: string): string => path.join(cfg, 'commands', `${n}.md`);
    mkdirSync(path.join(cfg, 'commands'), { recursive: true });
    writeFileSync(f('session-status'), 'MY SECRET session-status\n');
    chmodSync(f('session-status'), 0o000);
    try {
      const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        `could not read ${f('session-status')} (EACCES); left it as it is (cco's /session-status is still available as /cco:session-status)`,
      );
      expect(runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
      expect(readdirSync(path.join(cfg, 'commands'))).toEqual(['session-status.md']);
      chmodSync(f('session-status'), 0o600);
      expect(read(f('session-status'))).toBe('MY SECRET session-status\n');
    } finally {
      chmodSync(f('session-status'), 0o600);
    }
  });

  it.skipIf(process.getuid?.() === 0)('a read-only commands directory: each seed is skipped with one line, install finishes and exits 0', () => {
    const { home, cfg } = sandbox();
    const commands = path.join(cfg, 'commands');
    mkdirSync(commands, { recursive: true });
    chmodSync(commands, 0o555);
    try {
      const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `could not write ${path.join(commands, 'session-status.md')} (EACCES); /session-status is still available as /cco:session-status`,
      );
      expect(r.stdout).not.toContain('added the commands');
      expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
      expect(seedRecords(cfg)).toEqual([]);
      expect(runInstall(UNINSTALL, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
      expect(readdirSync(commands)).toEqual([]);
    } finally {
      chmodSync(commands, 0o755);
    }
  });
});

describe('install.sh and the statusLine', () => {
  const theirs = { type: 'command', command: '~/bin/my-line.sh', padding: 1, refreshInterval: 5 };
  const withTheirs = (): { home: string; cfg: string; file: string; text: string } => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    const file = path.join(cfg, 'settings.json');
    // Odd formatting on purpose: uninstall must give these bytes back.
    const text = `{\n\t"statusLine": ${JSON.stringify(theirs)},\n\t"model": "opus"\n}`;
    writeFileSync(file, text);
    return { home, cfg, file, text };
  };
  const statusLineOf = (file: string): unknown => (readJson(file) as JsonObject).statusLine;

  it("none set: adds ours next to the user's keys; --uninstall restores the original bytes", () => {
    const { home, cfg } = sandbox();
    mkdirSync(cfg);
    const file = path.join(cfg, 'settings.json');
    writeFileSync(file, '{ "model": "opus" }\n');
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(0);
    expect(readJson(file)).toEqual({ model: 'opus', ...installed(repo) });
    expect(backups(cfg)).toHaveLength(1); // one backup for the whole run
    expect(manifestOf(cfg).statusLine).toMatchObject({ status: 'created', mode: 'own', fileCreated: false, backups: [path.join(cfg, backups(cfg)[0]!)] });
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(read(file)).toBe('{ "model": "opus" }\n');
    expect(readdirSync(cfg)).toEqual(['settings.json']);
  });

  it("the user's own statusLine with --yes: left untouched, with how to opt in; uninstall gives the bytes back", () => {
    const { home, cfg, file, text } = withTheirs();
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(0);
    expect(statusLineOf(file)).toEqual(theirs);
    expect(r.stdout).toContain('your statusLine is kept (~/bin/my-line.sh)');
    expect(r.stdout).toContain('./install.sh --statusline wrap');
    expect(manifestOf(cfg).statusLine).toBeUndefined();
    // The same when stdin is not a terminal and --yes is not given.
    const again = runInstall(['--register-only', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(again.code).toBe(0);
    expect(statusLineOf(file)).toEqual(theirs);
    expect(runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(read(file)).toBe(text);
  });

  it('--statusline wrap: wraps theirs keeping their keys, is idempotent, and --uninstall restores it exactly', () => {
    const { home, cfg, file, text } = withTheirs();
    const r = runInstall([...REG, '--statusline', 'wrap'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrapped your statusLine');
    expect(statusLineOf(file)).toEqual({ ...theirs, command: `node "${repo}/dist/statusline.cjs" --wrap '~/bin/my-line.sh'` });
    expect(manifestOf(cfg).statusLine).toMatchObject({ status: 'replaced', mode: 'wrap', previous: theirs });
    const settingsText = read(file);
    const manifestText = read(path.join(cfg, 'cco', 'install-manifest.json'));
    for (const args of [[...REG, '--statusline', 'wrap'], REG]) {
      const again = runInstall(args, { HOME: home, CLAUDE_CONFIG_DIR: cfg });
      expect(again.code).toBe(0);
      expect(read(file)).toBe(settingsText);
      expect(read(path.join(cfg, 'cco', 'install-manifest.json'))).toBe(manifestText);
    }
    expect(backups(cfg)).toHaveLength(1);
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('restored your statusLine');
    expect(read(file)).toBe(text);
    expect(readdirSync(cfg)).toEqual(['settings.json']);
  });

  it('opting in later (--statusline replace after a --yes install) and switching to wrap-silent still restore theirs', () => {
    const { home, cfg, file, text } = withTheirs();
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(runInstall([...REG, '--statusline=replace'], { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(statusLineOf(file)).toEqual(ourLine(repo));
    expect(runInstall([...REG, '--statusline', 'wrap-silent'], { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(statusLineOf(file)).toEqual({ ...theirs, command: `node "${repo}/dist/statusline.cjs" --wrap '~/bin/my-line.sh' --wrap-mode silent` });
    expect(manifestOf(cfg).statusLine).toMatchObject({ mode: 'wrap-silent', previous: theirs });
    expect(runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(read(file)).toBe(text);
  });

  it('uninstall keeps a statusLine the user changed after install', () => {
    const { home, cfg } = sandbox();
    expect(runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    const file = path.join(cfg, 'settings.json');
    const edited = { ...(readJson(file) as JsonObject), statusLine: { type: 'command', command: 'newer.sh' } };
    writeFileSync(file, JSON.stringify(edited));
    const u = runInstall(['--uninstall', '--yes', '--no-claude-cli'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('statusLine was changed since install; left as it is');
    expect(readJson(file)).toEqual({ statusLine: { type: 'command', command: 'newer.sh' } });
  });

  it('--statusline skip never touches it; a bad value exits 2 before anything happens', () => {
    const { home, cfg } = sandbox();
    expect(runInstall([...REG, '--statusline', 'skip'], { HOME: home, CLAUDE_CONFIG_DIR: cfg }).code).toBe(0);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(ours(repo));
    expect(manifestOf(cfg).statusLine).toBeUndefined();
    const { home: h2, cfg: c2 } = sandbox();
    const bad = runInstall([...REG, '--statusline', 'sideways'], { HOME: h2, CLAUDE_CONFIG_DIR: c2 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--statusline must be wrap, wrap-silent, replace or skip');
    expect(runInstall([...REG, '--statusline'], { HOME: h2, CLAUDE_CONFIG_DIR: c2 }).code).toBe(2);
    expect(existsSync(c2)).toBe(false);
  });

  it('with the claude CLI too: --statusline wrap wraps theirs, and --uninstall restores the file', () => {
    rmSync(claudeLog, { force: true });
    const { home, cfg, file, text } = withTheirs();
    const r = runInstall(['--register-only', '--yes', '--statusline', 'wrap'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(r.code).toBe(0);
    expect((statusLineOf(file) as JsonObject).command).toBe(`node "${repo}/dist/statusline.cjs" --wrap '~/bin/my-line.sh'`);
    expect(manifestOf(cfg)).toMatchObject({ cli: { pluginInstall: { status: 'succeeded' } }, statusLine: { mode: 'wrap', previous: theirs } });
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude });
    expect(u.code).toBe(0);
    expect(read(file)).toBe(text);
    expect(readdirSync(cfg)).toEqual(['settings.json']);
  });

  it('--uninstall of a CLI install without claude on PATH refuses before touching the statusLine', () => {
    const { home, cfg } = sandbox();
    expect(runInstall(['--register-only', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude }).code).toBe(0);
    const before = read(path.join(cfg, 'settings.json'));
    expect(JSON.parse(before)).toEqual({ statusLine: ourLine(repo) });
    const u = runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(u.code).toBe(1);
    expect(read(path.join(cfg, 'settings.json'))).toBe(before);
    expect(manifestOf(cfg).statusLine).toBeDefined();
    // With claude back on PATH it finishes, and removes the file install created.
    expect(runInstall(['--uninstall', '--yes'], { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: binClaude }).code).toBe(0);
    expect(existsSync(cfg)).toBe(false);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('on a terminal it asks about the user\'s own statusLine: "w" wraps it', () => {
    const { home, cfg, file } = withTheirs();
    const cmd = `${BASH} ${path.join(repo, 'install.sh')} --register-only --no-claude-cli`;
    const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], {
      input: 'y\nw\n',
      env: { PATH: bin, HOME: home, CLAUDE_CONFIG_DIR: cfg, SHELL: BASH },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).toContain('You already have a status line: ~/bin/my-line.sh');
    expect(r.stdout).toContain('Wrap, replace or leave it? [w/r/L]');
    expect(r.status).toBe(0);
    expect((statusLineOf(file) as JsonObject).command).toBe(`node "${repo}/dist/statusline.cjs" --wrap '~/bin/my-line.sh'`);
  });
});

describe('install.sh checks and arguments', () => {
  it('refuses Node older than 20.17 with one line and exit 1', () => {
    const oldBin = path.join(work, 'bin-old-node');
    mkdirSync(oldBin, { recursive: true });
    writeFileSync(path.join(oldBin, 'node'), '#!/bin/sh\necho v20.16.0\n');
    chmodSync(path.join(oldBin, 'node'), 0o755);
    const { home, cfg } = sandbox();
    const r = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: oldBin });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('install.sh: error: Node.js >= 20.17 is required, found 20.16.0\n');
    expect(existsSync(cfg)).toBe(false);
  });

  it('refuses when node is missing, and when npm is missing for --build (a plain install needs no npm)', () => {
    const { home, cfg } = sandbox();
    const noNode = runInstall(REG, { HOME: home, CLAUDE_CONFIG_DIR: cfg, PATH: path.join(work, 'empty-bin') });
    expect(noNode.code).toBe(1);
    expect(noNode.stderr).toContain("'node' is not on PATH");
    const noNpm = runInstall(['--yes', '--no-claude-cli', '--build'], { HOME: home, CLAUDE_CONFIG_DIR: cfg });
    expect(noNpm.code).toBe(1);
    expect(noNpm.stderr).toBe("install.sh: error: npm is required (it comes with Node.js), but 'npm' is not on PATH\n");
    expect(existsSync(cfg)).toBe(false);
  });

  // util-linux `script` gives install.sh a terminal, so it asks its one question.
  it.skipIf(!existsSync('/usr/bin/script'))('asks once on a terminal without --yes: "n" aborts, "y" installs', () => {
    const { home, cfg } = sandbox();
    const onTty = (answer: string): Run => {
      const cmd = `${BASH} ${path.join(repo, 'install.sh')} --register-only --no-claude-cli`;
      const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], {
        input: `${answer}\n`,
        env: { PATH: bin, HOME: home, CLAUDE_CONFIG_DIR: cfg, SHELL: BASH },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const no = onTty('n');
    expect(no.stdout).toContain(`register it in ${cfg}/settings.json. Continue? [Y/n]`);
    expect(no.stdout).toContain('aborted, nothing changed');
    expect(no.code).toBe(1);
    expect(existsSync(cfg)).toBe(false);
    const yes = onTty('y');
    expect(yes.code).toBe(0);
    expect(readJson(path.join(cfg, 'settings.json'))).toEqual(installed(repo));
  });

  it('rejects unknown options with exit 2 and prints help with --help', () => {
    const { home } = sandbox();
    const bad = runInstall(['--frobnicate'], { HOME: home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option: --frobnicate');
    const help = runInstall(['--help'], { HOME: home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--register-only');
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('dropEmptyContainers (after the claude CLI uninstalls)', () => {
  it('drops empty objects the user did not have, keeps ones the user had, and never touches non-empty ones', async () => {
    const { dropEmptyContainers } = await import('../src/install/settings-edit.ts');
    const left = { model: 'x', extraKnownMarketplaces: {}, enabledPlugins: {} };
    expect(dropEmptyContainers(left, { model: 'x' })).toEqual({ model: 'x' });
    expect(dropEmptyContainers(left, { model: 'x', enabledPlugins: {} })).toEqual({ model: 'x', enabledPlugins: {} });
    expect(dropEmptyContainers(left, undefined)).toEqual({ model: 'x' });
    const kept = { enabledPlugins: { 'a@b': true } };
    expect(dropEmptyContainers(kept, {})).toEqual(kept);
  });
});
