// Adversarial class "install" (issue 18): ./install.sh on settings.json files a person really has —
// comments, trailing commas, numbers past 2^53, odd spacing, CRLF, a byte order mark, a read-only file, a
// symlinked one. Install changes only its own keys (the rest of the file, byte for byte, stays where it
// was); uninstall gives the original bytes back, also when the user changed another key meanwhile (then
// the bytes are the original with that change). A read-only file is refused with one line unless --force.
// A replaced statusLine is put back as the user spelled it (numbers past 2^53, comments) also when the
// file no longer matches the install's backup (the manifest keeps its source text).
// Runs install.sh on a temp copy of the repository with a temp HOME and config dir only.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'jsonc-parser/lib/esm/main.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adversary } from './tally.ts';
import { copyForInstall } from '../helpers/install-copy.ts';

const BASH = '/bin/bash';
let work: string;
let repo: string;
let bin: string;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-adv-install-')));
  ({ repo, bin } = await copyForInstall(work));
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function sandbox(): { home: string; cfg: string; file: string } {
  const dir = mkdtempSync(path.join(work, 'sb-'));
  const home = path.join(dir, 'home');
  const cfg = path.join(dir, 'config');
  mkdirSync(home);
  mkdirSync(cfg);
  return { home, cfg, file: path.join(cfg, 'settings.json') };
}

function run(
  args: string[],
  s: { home: string; cfg: string },
  o: { cwd?: string; configDirs?: string } = {},
): { code: number | null; stdout: string; stderr: string } {
  const env = { PATH: bin, HOME: s.home, CLAUDE_CONFIG_DIR: o.configDirs ?? s.cfg };
  const r = spawnSync(BASH, [path.join(repo, 'install.sh'), ...args], { cwd: o.cwd ?? work, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const INSTALL = ['--yes', '--no-claude-cli', '--no-seed-commands'];
const UNINSTALL = ['--uninstall', '--yes', '--no-claude-cli'];
const OURS = ['extraKnownMarketplaces', 'enabledPlugins', 'statusLine'];

/** The file's value as JSONC, with `drop` (our keys) taken out; numbers as their source text so a big one is compared exactly. */
function valueWithout(text: string, drop: readonly string[]): unknown {
  const v = parse(text.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true }) as Record<string, unknown>;
  const out = { ...v };
  for (const k of drop) delete out[k];
  if (typeof v.enabledPlugins === 'object' && v.enabledPlugins !== null) {
    const rest = Object.fromEntries(Object.entries(v.enabledPlugins).filter(([k]) => k !== 'cco@cco-local'));
    if (Object.keys(rest).length > 0) out.enabledPlugins = rest;
  }
  return out;
}

/** The source pieces of `text` install must keep verbatim: comments, number literals, and each line that is not ours. */
function keptPieces(text: string): string[] {
  return [...text.matchAll(/\/\/[^\r\n]*|\/\*[\s\S]*?\*\/|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)].map((m) => m[0]);
}

const SAMPLES: { name: string; text: string }[] = [
  {
    name: 'line and block comments, trailing commas',
    text: '{\n  // the model I pay for\n  "model": "opus", /* keep */\n  "env": {\n    "A": "1", // inline\n  },\n  "permissions": { "allow": ["Bash(ls:*)",], },\n}\n',
  },
  {
    name: 'numbers past 2^53 and odd decimals',
    text: '{\n  "cleanupPeriodDays": 12345678901234567890,\n  "x": 0.1000000000000000055511151231257827,\n  "y": 1e400,\n  "z": -0.0\n}\n',
  },
  { name: 'unusual spacing: tabs, blank lines, spaces before colons', text: '{\n\t"model" :  "sonnet"  ,\n\n\n\t"includeCoAuthoredBy":false\n}' },
  { name: 'three-space indent, no newline at end', text: '{\n   "a": {\n      "b": [1, 2,    3]\n   }\n}' },
  { name: 'CRLF line ends', text: '{\r\n  "model": "opus",\r\n  "env": {\r\n    "A": "1"\r\n  }\r\n}\r\n' },
  { name: 'byte order mark', text: '\uFEFF{\n  "model": "opus"\n}\n' },
  { name: 'BOM, CRLF, comments and a big number together', text: '\uFEFF{\r\n\t// mine\r\n\t"n": 98765432109876543210,\r\n}\r\n' },
  { name: 'an enabledPlugins object of the user', text: '{\n  "enabledPlugins": {\n    "other@market": true // mine\n  }\n}\n' },
  { name: 'everything on one line', text: '{"model":"opus","n":12345678901234567890}' },
];

describe('adversarial: install', () => {
  it('install edits only its keys, uninstall gives the bytes back; read-only and symlinked files', async () => {
    const t = adversary('install');
    for (const sample of SAMPLES) {
      await t.case(`${sample.name}: install changes only cco's keys, uninstall restores the bytes`, () => {
        const s = sandbox();
        writeFileSync(s.file, sample.text);
        const r = run(INSTALL, s);
        expect(r.code, r.stderr).toBe(0);
        const during = readFileSync(s.file, 'utf8');
        expect(valueWithout(during, OURS)).toEqual(valueWithout(sample.text, []));
        expect(parse(during.replace(/^\uFEFF/, '')).enabledPlugins['cco@cco-local']).toBe(true);
        for (const piece of keptPieces(sample.text)) expect(during).toContain(piece);
        expect(during.startsWith('\uFEFF')).toBe(sample.text.startsWith('\uFEFF'));
        if (sample.text.includes('\r\n')) expect(during.replace(/\r\n/g, '')).not.toContain('\n');
        // Every line of the original is still there, in order (ours are whole lines added, or one line grew).
        const origLines = sample.text.split(/\r?\n/);
        if (origLines.length > 2) {
          let at = 0;
          const lines = during.split(/\r?\n/);
          for (const l of origLines.slice(0, -2)) {
            // A line may have gained one comma (before a comment of its own, or at its end) when cco's key went after it.
            const found = lines.findIndex((x, i) => i >= at && (x === l || [...x].some((c, j) => c === ',' && x.slice(0, j) + x.slice(j + 1) === l)));
            expect(found, `line ${JSON.stringify(l)}`).toBeGreaterThanOrEqual(0);
            at = found + 1;
          }
        }
        const u = run(UNINSTALL, s);
        expect(u.code, u.stderr).toBe(0);
        expect(readFileSync(s.file, 'utf8')).toBe(sample.text);
      });
      await t.case(`${sample.name}: uninstall after the user changed another key keeps that change and every other byte`, () => {
        const s = sandbox();
        writeFileSync(s.file, sample.text);
        expect(run(INSTALL, s).code).toBe(0);
        // The user adds a key of their own by hand, at the very start of the object.
        const add = (text: string) => text.replace('{', '{"mine": 1, ');
        writeFileSync(s.file, add(readFileSync(s.file, 'utf8')));
        const u = run(UNINSTALL, s);
        expect(u.code, u.stderr).toBe(0);
        expect(readFileSync(s.file, 'utf8')).toBe(add(sample.text));
      });
    }

    await t.case('a read-only settings.json: refused with one line, nothing changed; --force installs, uninstall --force restores', () => {
      const s = sandbox();
      const text = '{\n  "model": "opus" // read-only on purpose\n}\n';
      writeFileSync(s.file, text);
      chmodSync(s.file, 0o444);
      const r = run(INSTALL, s);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('read-only');
      expect(r.stderr).toContain('--force');
      expect(readFileSync(s.file, 'utf8')).toBe(text);
      expect(statSync(s.file).mode & 0o777).toBe(0o444);
      expect(existsSync(path.join(s.cfg, 'cco', 'install-manifest.json'))).toBe(false);
      expect(readdirSync(s.cfg).sort()).toEqual(['settings.json']);
      const f = run([...INSTALL, '--force'], s);
      expect(f.code, f.stderr).toBe(0);
      expect(readFileSync(s.file, 'utf8')).toContain('"cco@cco-local": true');
      expect(statSync(s.file).mode & 0o777).toBe(0o444);
      // Uninstall refuses it too without --force, and leaves it as it is.
      const installed = readFileSync(s.file, 'utf8');
      const u1 = run(UNINSTALL, s);
      expect([u1.code, u1.stderr.trimEnd().split('\n').length]).toEqual([1, 1]);
      expect(readFileSync(s.file, 'utf8')).toBe(installed);
      const u2 = run([...UNINSTALL, '--force'], s);
      expect(u2.code, u2.stderr).toBe(0);
      expect(readFileSync(s.file, 'utf8')).toBe(text);
    });

    await t.case('install.sh --help documents --force', () => {
      const r = run(['--help'], sandbox());
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/--force\s+write settings\.json even when it is read-only/);
    });

    await t.case('a symlinked settings.json: the link stays a link, its target is edited and restored', () => {
      const s = sandbox();
      const target = path.join(path.dirname(s.cfg), 'dotfiles-settings.json');
      const text = '{\n  // from my dotfiles repo\n  "model": "opus",\n  "n": 12345678901234567890\n}\n';
      writeFileSync(target, text);
      symlinkSync(target, s.file);
      expect(run(INSTALL, s).code).toBe(0);
      expect(lstatSync(s.file).isSymbolicLink()).toBe(true);
      expect(readFileSync(target, 'utf8')).toContain('"cco@cco-local": true');
      expect(readFileSync(target, 'utf8')).toContain('12345678901234567890');
      expect(run(UNINSTALL, s).code).toBe(0);
      expect(lstatSync(s.file).isSymbolicLink()).toBe(true);
      expect(readFileSync(target, 'utf8')).toBe(text);
    });

    await t.case('a read-only target behind a symlink is refused too', () => {
      const s = sandbox();
      const target = path.join(path.dirname(s.cfg), 'ro-target.json');
      writeFileSync(target, '{}\n');
      chmodSync(target, 0o444);
      symlinkSync(target, s.file);
      const r = run(INSTALL, s);
      expect([r.code, r.stderr.trimEnd().split('\n').length]).toEqual([1, 1]);
      expect(readFileSync(target, 'utf8')).toBe('{}\n');
    });

    await t.case("the user's statusLine replaced and put back: only statusLine changes during install", () => {
      const s = sandbox();
      const text =
        '{\n  "statusLine": {\n    "type": "command", // mine\n    "command": "echo hi",\n    "padding": 12345678901234567890\n  },\n  "model": "opus"\n}\n';
      writeFileSync(s.file, text);
      expect(run([...INSTALL, '--statusline', 'replace'], s).code).toBe(0);
      const during = readFileSync(s.file, 'utf8');
      expect(valueWithout(during, OURS)).toEqual(valueWithout(text, ['statusLine']));
      expect(during).toContain('dist/statusline.cjs');
      expect(during).toContain('\n    "type": "command", // mine\n');
      expect(during).toContain('\n  },\n  "model": "opus",\n');
      expect(run(UNINSTALL, s).code).toBe(0);
      expect(readFileSync(s.file, 'utf8')).toBe(text);
    });

    await t.case("the user's replaced statusLine (a number past 2^53, a comment) put back as spelled after the user changed another key", () => {
      const s = sandbox();
      const text =
        '{\n  "statusLine": {\n    "type": "command", // mine\n    "command": "echo hi",\n    "padding": 12345678901234567890\n  },\n  "model": "opus"\n}\n';
      writeFileSync(s.file, text);
      expect(run([...INSTALL, '--statusline', 'replace'], s).code).toBe(0);
      expect(readFileSync(s.file, 'utf8')).not.toContain('12345678901234567890');
      // Installed twice (a reinstall keeps the first install's record of the user's line).
      expect(run([...INSTALL, '--statusline', 'replace'], s).code).toBe(0);
      writeFileSync(s.file, readFileSync(s.file, 'utf8').replace('"model": "opus"', '"model": "sonnet"'));
      const u = run(UNINSTALL, s);
      expect(u.code, u.stderr).toBe(0);
      expect(readFileSync(s.file, 'utf8')).toBe(text.replace('"model": "opus"', '"model": "sonnet"'));
    });
    t.done();
  }, 300_000);

  it('a relative CLAUDE_CONFIG_DIR entry is refused with one line, nothing written', async () => {
    const t = adversary('install');
    const lists = (s: { cfg: string }): string[] => ['rel/dir', '.', './cfg', '~other/x', `rel/dir,${s.cfg}`, ` , cfg ,${s.cfg}`, `${s.cfg},..`];
    for (const pick of lists({ cfg: '<abs>' }).keys()) {
      for (const args of [INSTALL, UNINSTALL]) {
        const s = sandbox();
        const list = lists(s)[pick]!;
        await t.case(`CLAUDE_CONFIG_DIR=${JSON.stringify(list.replace(s.cfg, '<abs>'))}, ${args[0]}: exit 1, one line, nothing written`, () => {
          // The working directory is a project of the user's: nothing may land in it.
          const project = mkdtempSync(path.join(work, 'project-'));
          const r = run(args, s, { cwd: project, configDirs: list });
          expect(r.code).toBe(1);
          expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
          expect(r.stderr).toMatch(/CLAUDE_CONFIG_DIR entry ".+" is not an absolute path: refused/);
          expect(readdirSync(project)).toEqual([]);
          expect(readdirSync(s.cfg)).toEqual([]);
          expect(readdirSync(s.home)).toEqual([]);
        });
      }
    }
    await t.case('~/cfg with HOME set is absolute: installed under HOME', () => {
      const s = sandbox();
      const r = run(INSTALL, s, { configDirs: '~/cfg' });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(path.join(s.home, 'cfg', 'settings.json'), 'utf8')).toContain('"cco@cco-local": true');
    });
    t.done();
  }, 300_000);
});
