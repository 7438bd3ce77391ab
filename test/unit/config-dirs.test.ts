import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigDirError, resolveConfigDirs } from '../../src/claude/config-dirs.ts';

// Every path lives under a fresh temp dir that stands in for $HOME; the real home is never touched.
let home: string;
const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
const mk = (...parts: string[]) => {
  const p = path.join(home, ...parts);
  fs.mkdirSync(p, { recursive: true });
  return p;
};

beforeEach(() => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cco-dirs-')));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

describe('resolveConfigDirs with CLAUDE_CONFIG_DIR', () => {
  it('reads every listed dir that has projects/, in order; the first entry is the state dir even without projects/', () => {
    const a = mk('a');
    const b = mk('b');
    mk('b', 'projects');
    const c = mk('c');
    mk('c', 'projects');
    const r = resolveConfigDirs({ CLAUDE_CONFIG_DIR: `${a},${b},${c}` }, home, isDir);
    expect(r.transcriptRoots).toEqual([b, c]);
    expect(r.stateDir).toBe(a);
  });

  it('trims spaces, skips empty entries and duplicates', () => {
    const a = mk('a');
    mk('a', 'projects');
    const b = mk('b');
    mk('b', 'projects');
    const r = resolveConfigDirs({ CLAUDE_CONFIG_DIR: ` ${a} ,, ${b},${a}/ , ` }, home, isDir);
    expect(r.transcriptRoots).toEqual([a, b]);
    expect(r.stateDir).toBe(a);
  });

  it('expands ~ and ~/ against the given home', () => {
    mk('.claude-work', 'projects');
    mk('projects');
    const r = resolveConfigDirs({ CLAUDE_CONFIG_DIR: '~/.claude-work,~' }, home, isDir);
    expect(r.transcriptRoots).toEqual([path.join(home, '.claude-work'), home]);
    expect(r.stateDir).toBe(path.join(home, '.claude-work'));
  });

  it('does not expand ~user forms: one alone is refused', () => {
    expect(() => resolveConfigDirs({ CLAUDE_CONFIG_DIR: '~other/x' }, home, isDir)).toThrow(ConfigDirError);
  });

  it('a listed dir that does not exist is still the state dir (no transcripts)', () => {
    const missing = path.join(home, 'not-yet');
    const r = resolveConfigDirs({ CLAUDE_CONFIG_DIR: missing }, home, isDir);
    expect(r).toEqual({ transcriptRoots: [], stateDir: missing, refused: [] });
  });

  it('refuses a list of relative entries, naming the first, instead of resolving them against the working directory', () => {
    for (const v of ['rel/dir', '.', './c', '..', 'a, b']) {
      expect(() => resolveConfigDirs({ CLAUDE_CONFIG_DIR: v }, home, isDir)).toThrow(/is not an absolute path|are not absolute paths/);
    }
    try {
      resolveConfigDirs({ CLAUDE_CONFIG_DIR: './c' }, home, isDir);
    } catch (e) {
      expect((e as ConfigDirError).entry).toBe('./c');
    }
  });

  it('uses the absolute entries beside relative ones and lists the refused', () => {
    const abs = mk('abs');
    const r = resolveConfigDirs({ CLAUDE_CONFIG_DIR: `a,${abs},./b` }, home, isDir);
    expect(r.stateDir).toBe(abs);
    expect(r.refused).toEqual(['a', './b']);
  });

  it('a blank list falls back to the defaults', () => {
    const claude = mk('.claude');
    mk('.claude', 'projects');
    const r = resolveConfigDirs({ CLAUDE_CONFIG_DIR: ' , ,' }, home, isDir);
    expect(r).toEqual({ transcriptRoots: [claude], stateDir: claude, refused: [] });
  });
});

describe('resolveConfigDirs defaults', () => {
  it('reads ~/.config/claude then ~/.claude; state in the first that exists', () => {
    const xdg = mk('.config', 'claude');
    mk('.config', 'claude', 'projects');
    const claude = mk('.claude');
    mk('.claude', 'projects');
    const r = resolveConfigDirs({}, home, isDir);
    expect(r.transcriptRoots).toEqual([xdg, claude]);
    expect(r.stateDir).toBe(xdg);
  });

  it('only ~/.claude: it is both', () => {
    const claude = mk('.claude');
    mk('.claude', 'projects');
    expect(resolveConfigDirs({}, home, isDir)).toEqual({ transcriptRoots: [claude], stateDir: claude, refused: [] });
  });

  it('~/.config/claude exists without projects/: not read, but it holds the state', () => {
    const xdg = mk('.config', 'claude');
    const claude = mk('.claude');
    mk('.claude', 'projects');
    const r = resolveConfigDirs({}, home, isDir);
    expect(r.transcriptRoots).toEqual([claude]);
    expect(r.stateDir).toBe(xdg);
  });

  it('neither exists: no transcripts, state falls back to ~/.claude', () => {
    const r = resolveConfigDirs({}, home, isDir);
    expect(r).toEqual({ transcriptRoots: [], stateDir: path.join(home, '.claude'), refused: [] });
    expect(fs.existsSync(path.join(home, '.claude'))).toBe(false); // resolving creates nothing
  });

  it('only reads CLAUDE_CONFIG_DIR from the env it is given', () => {
    mk('.claude', 'projects');
    const r = resolveConfigDirs({ HOME: '/somewhere/else', CLAUDE_CONFIG_DIR: undefined }, home, isDir);
    expect(r.stateDir).toBe(path.join(home, '.claude'));
  });
});
