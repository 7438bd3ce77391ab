// The built `cco` (dist/cli.mjs, run with this node) keeps the usual manners for every subcommand and
// every action of the ones that have them, enumerated from the CLI's own command table: --help and -h
// print the usage on stdout and exit 0, --version prints package.json's version, an unknown option and
// an option without its value exit 2 with one line on stderr and nothing on stdout. None of these runs
// the command, nor waits for the background tracker: a hook event left in the spool stays there.
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import { writeSpoolEntry } from '../../src/front/spool.ts';
import { processRuntime } from '../../src/runtime.ts';
import { ROOT, tempHomePerTest } from '../helpers/sandbox-env.ts';
import { diffSnapshots, pool, runBundle, snapshot, type BundleRun } from '../helpers/spawn-bundle.ts';
import { spawnSync } from 'node:child_process';

const home = tempHomePerTest();
const CLI = path.join(ROOT, 'dist', 'cli.mjs');
/** How cco names itself when run by its path (src/cli/self-command.ts): the form its hints must use. */
const SELF = `node "${CLI}"`;
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Every subcommand, and every action of those that have them, with its spec. */
const INVOCATIONS: { words: string; spec: CommandSpec }[] = Object.entries(COMMANDS).flatMap(([name, e]) => [
  { words: name, spec: e.spec },
  ...Object.entries(e.actions ?? {}).map(([action, spec]) => ({ words: `${name} ${action}`, spec })),
]);

/** A temp home with one hook event waiting in the spool (a reporting command would track it first). */
function withSpool() {
  const h = home();
  const rt = processRuntime(h.env());
  writeSpoolEntry(rt.paths.spoolDir, {
    v: 1,
    event: 'Stop',
    receivedAt: new Date().toISOString(),
    input: { session_id: 's1', transcript_path: path.join(h.configDir, 'projects', '-w', 's1.jsonl'), cwd: '/w' },
    env: {},
    cwd: '/w',
  });
  return h;
}

function runAll(env: Record<string, string>, cwd: string, argvs: string[][]): Promise<BundleRun[]> {
  return pool(
    argvs.map((args) => () => runBundle('cli.mjs', '', env, { args, cwd })),
    4,
  );
}

describe('cco: the usual manners, for every subcommand and action', () => {
  it('the table has every subcommand main.ts runs, and the actions of handoff and plan', () => {
    expect(Object.keys(COMMANDS)).toEqual(
      expect.arrayContaining([
        'status',
        'report',
        'sessions',
        'tools',
        'context',
        'compact-plan',
        'handoff',
        'plan',
        'calendar',
        'doctor',
        'statusline',
        'sync',
      ]),
    );
    expect(INVOCATIONS.map((i) => i.words)).toEqual(
      expect.arrayContaining(['handoff save', 'handoff show', 'handoff list', 'plan add', 'plan import', 'plan schedule', 'plan next']),
    );
  });

  it('--help and -h print the usage and options on stdout, --version the version; exit 0; nothing runs', async () => {
    const h = withSpool();
    const before = snapshot(h.home);
    const argvs = INVOCATIONS.flatMap(({ words }) => [
      [...words.split(' '), '--help'],
      [...words.split(' '), '-h'],
      [...words.split(' '), '--version'],
    ]);
    const runs = await runAll(h.env(), h.home, argvs);
    INVOCATIONS.forEach(({ words, spec }, i) => {
      const [help, short, version] = runs.slice(3 * i, 3 * i + 3) as [BundleRun, BundleRun, BundleRun];
      const where = `cco ${words}`;
      expect({ where, code: help.code, stderr: help.stderr }).toEqual({ where, code: 0, stderr: '' });
      expect(help.stdout.split('\n')[0], where).toMatch(new RegExp(`^Usage: cco ${words}( |$)`));
      for (const name of Object.keys(spec.options)) expect(help.stdout, `${where}: --${name}`).toContain(`--${name}`);
      expect(help.stdout, where).toContain(`Here cco is run as: ${SELF}`);
      expect(short, where).toMatchObject({ code: 0, stdout: help.stdout, stderr: '' });
      expect(version, where).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    });
    expect(diffSnapshots(before, snapshot(h.home))).toEqual({ changed: [], removed: [] });
  }, 180_000);

  it('an unknown option and an option without its value: exit 2, one line on stderr naming the command and its --help, nothing on stdout', async () => {
    const h = withSpool();
    const before = snapshot(h.home);
    const cases = INVOCATIONS.flatMap(({ words, spec }) => [
      { words, args: ['--no-such-option'], what: 'unknown option --no-such-option' },
      ...Object.entries(spec.options)
        .filter(([, o]) => o.type === 'string')
        .map(([name]) => ({ words, args: [`--${name}`], what: `--${name} needs a value` })),
    ]);
    expect(cases.filter((c) => c.what.endsWith('needs a value')).length).toBeGreaterThan(10);
    const runs = await runAll(
      h.env(),
      h.home,
      cases.map((c) => [...c.words.split(' '), ...c.args]),
    );
    cases.forEach((c, i) => {
      const r = runs[i]!;
      const where = `cco ${c.words} ${c.args.join(' ')}`;
      expect({ where, code: r.code, stdout: r.stdout }).toEqual({ where, code: 2, stdout: '' });
      expect(r.stderr, where).toMatch(new RegExp(`^cco ${c.words}: ${c.what}.*; see ${SELF.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} ${c.words} --help\\n$`));
    });
    expect(diffSnapshots(before, snapshot(h.home))).toEqual({ changed: [], removed: [] });
    // The check above would see a command that ran: the same home, with a command that runs, changes.
    expect((await runBundle('cli.mjs', '', h.env(), { args: ['status'], cwd: h.home })).code).toBe(0);
    expect(diffSnapshots(before, snapshot(h.home)).changed.length).toBeGreaterThan(0);
  }, 180_000);

  it('cco alone, --help and help list every subcommand; help <command> is its --help; --version, -V and version print the version', async () => {
    const h = home();
    const [bare, help, word, helpPlanAdd, planAddHelp, v1, v2, v3, unknown, option] = (await runAll(h.env(), h.home, [
      [],
      ['--help'],
      ['help'],
      ['help', 'plan', 'add'],
      ['plan', 'add', '--help'],
      ['--version'],
      ['-V'],
      ['version'],
      ['frobnicate'],
      ['--frobnicate'],
    ])) as BundleRun[] & { length: 10 };
    for (const r of [bare, help, word]) {
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r!.stdout.split('\n')[0]).toBe('Usage: cco <command> [options]');
      for (const name of Object.keys(COMMANDS)) expect(r!.stdout).toMatch(new RegExp(`^  ${name}( |$)`, 'm'));
    }
    expect(helpPlanAdd).toMatchObject({ code: 0, stdout: planAddHelp!.stdout });
    for (const r of [v1, v2, v3]) expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: `cco: unknown command "frobnicate"; see ${SELF} --help\n` });
    expect(option).toMatchObject({ code: 2, stdout: '', stderr: `cco: unknown option --frobnicate; see ${SELF} --help\n` });
  }, 60_000);

  it('a bad value is a usage error too (exit 2); a failure exits 1; both one line on stderr', async () => {
    const h = home();
    const [keepTurns, waitMs, hours, noSession] = (await runAll(h.env(), h.home, [
      ['context', '--keep-turns', '0'],
      ['sync', '--wait-ms', 'soon'],
      ['plan', 'add', '--title', 'X', '--tokens', '5k', '--hours', '20'],
      ['status', '--session', 'nope'],
    ])) as BundleRun[] & { length: 4 };
    expect(keepTurns).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `cco context: --keep-turns needs a whole number of at least 1, not "0"; see ${SELF} context --help\n`,
    });
    expect(waitMs).toMatchObject({ code: 2, stdout: '', stderr: `cco sync: --wait-ms needs a whole number of ms, not "soon"; see ${SELF} sync --help\n` });
    expect(hours).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `cco plan add: hours must be a number from 0.5 to 12, not "20"; see ${SELF} plan add --help\n`,
    });
    expect(noSession).toMatchObject({ code: 1, stdout: '', stderr: 'cco status: no tracked session with id nope\n' });
  }, 60_000);
});

describe('dist/cli.mjs as a command', () => {
  it('starts with a shebang, runs by itself, and a copy of it elsewhere still knows its version', () => {
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const h = home();
    const bin = path.join(h.home, 'bin');
    mkdirSync(bin);
    copyFileSync(CLI, path.join(bin, 'cco'));
    chmodSync(path.join(bin, 'cco'), 0o755);
    const env = h.env({ PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` });
    const r = spawnSync(path.join(bin, 'cco'), ['--version'], { env, cwd: h.home, encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
    // Run as `cco` (not by a path ending in cli.mjs), it names itself cco in its hints.
    const bad = spawnSync(path.join(bin, 'cco'), ['status', '--bogus'], { env, cwd: h.home, encoding: 'utf8' });
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({ status: 2, stderr: 'cco status: unknown option --bogus; see cco status --help\n' });
  });
});
