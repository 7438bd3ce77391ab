// Adversarial class "cli args" (issue 18): bad command lines and a queue whose two copies are both
// corrupt, through the built bundles. A bad command line is a usage error — exit 2, one line on stderr,
// nothing on stdout — for `cco report`, `cco statusline` and the status line front (dist/statusline.cjs)
// alike. `cco plan list` with both queue copies corrupt moves both aside as corrupt, says so, and exits 1;
// it never hands back an empty queue as if nothing happened. An edit (add, import, start, done, skip,
// remove, schedule) in that state changes nothing and exits 1, so nothing new needs merging by hand.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyQueue } from '../../src/plan/queue-schema.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { adversary } from './tally.ts';

const home = tempHomePerTest();

function run(h: TempHome, bundle: string, args: string[], stdin = '{}'): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', bundle), ...args], {
    env: h.env(),
    cwd: h.home,
    input: stdin,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function usageError(r: { code: number | null; stdout: string; stderr: string }, command: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2, r.stderr).toBe(true);
  expect(r.stderr).toMatch(new RegExp(`^cco ${command}: .*; see .*${command} --help\\n$`));
}

describe('adversarial: cli args', () => {
  it('bad command lines are usage errors; both queue copies corrupt is said and exits 1', async () => {
    const t = adversary('cli args');
    const h = home();

    for (const args of [['--bogus'], ['--bogus=1'], ['-x'], ['--json', '--bogus'], ['--no-cache=yes'], ['extra']]) {
      await t.case(`cco report ${args.join(' ')}`, () => usageError(run(h, 'cli.mjs', ['report', ...args]), 'report'));
    }
    for (const args of [['--wrap'], ['--wrap', '--wrap-mode', 'silent'], ['--wrap-mode'], ['--wrap-mode', 'sideways'], ['--frobnicate'], ['--wrap=']]) {
      await t.case(`cco statusline ${args.join(' ')}`, () => usageError(run(h, 'cli.mjs', ['statusline', ...args]), 'statusline'));
      await t.case(`dist/statusline.cjs ${args.join(' ')}`, () => usageError(run(h, 'statusline.cjs', args), 'statusline'));
    }
    await t.case('dist/statusline.cjs --wrap=--odd (a value starting with "-", given inline) is taken', () => {
      const r = run(h, 'statusline.cjs', ['--wrap=--odd']);
      expect(r.code).toBe(0);
    });

    const queueCases: [string, string, string][] = [
      ['not JSON / not JSON', '{"version":1,"sess', '[[['],
      ['schema / not JSON', JSON.stringify({ version: 1, sessions: [{ id: 3 }] }), '{'],
      ['not JSON / schema', 'null', JSON.stringify({ version: 'x' })],
      ['empty / empty', '', ''],
    ];
    for (const json of [true, false]) {
      for (const [name, queue, lastGood] of queueCases) {
        await t.case(`cco plan list${json ? ' --json' : ''}, queue and last good copy both corrupt (${name})`, () => {
          const hh = home();
          mkdirSync(path.join(hh.configDir, 'cco'), { recursive: true });
          const q = path.join(hh.configDir, 'session-queue.json');
          const g = path.join(hh.configDir, 'cco', 'session-queue.last-good.json');
          writeFileSync(q, queue);
          writeFileSync(g, lastGood);
          const r = run(hh, 'cli.mjs', ['plan', 'list', ...(json ? ['--json'] : [])]);
          expect(r.code, r.stderr).toBe(1);
          expect(r.stderr.split('\n')).toHaveLength(2);
          expect(r.stderr).toMatch(/^cco plan: the queue and its last good copy both failed the schema; both were moved aside/);
          // Both copies moved aside, byte for byte; neither was written over.
          const corrupt = (dir: string, base: string) =>
            readdirSync(dir)
              .filter((n) => n.startsWith(`${base}.corrupt-`))
              .map((n) => readFileSync(path.join(dir, n), 'utf8'));
          expect(corrupt(hh.configDir, 'session-queue.json')).toEqual([queue]);
          expect(corrupt(path.join(hh.configDir, 'cco'), 'session-queue.last-good.json')).toEqual([lastGood]);
          const note = json ? (JSON.parse(r.stdout) as { note: string }).note : r.stdout;
          expect(note).toMatch(/failed the schema too .*it was moved to .*session-queue\.last-good\.json\.corrupt-.*so the queue starts empty/);
          // The next run finds a valid (empty) queue: nothing more to say.
          const again = run(hh, 'cli.mjs', ['plan', 'list', '--json']);
          expect([again.code, again.stderr, (JSON.parse(again.stdout) as { note: unknown; sessions: unknown[] }).note]).toEqual([0, '', null]);
        });
      }
    }
    const md = (hh: TempHome) => {
      const f = path.join(hh.home, 'plan.md');
      writeFileSync(f, '## Imported\n- tokens: 1000\n- hours: 1\n');
      return f;
    };
    const edits: [string, (hh: TempHome) => string[]][] = [
      ['add', () => ['plan', 'add', '--title', 'New', '--tokens', '1000', '--hours', '1']],
      ['import', (hh) => ['plan', 'import', md(hh)]],
      ['start', () => ['plan', 'start', 's1']],
      ['done', () => ['plan', 'done', 's1']],
      ['skip', () => ['plan', 'skip', 's1']],
      ['remove', () => ['plan', 'remove', 's1']],
      ['schedule --all', () => ['plan', 'schedule', '--all']],
      ['schedule --at', () => ['plan', 'schedule', 's1', '--at', '2099-01-01T10:00:00Z']],
    ];
    for (const [action, args] of edits) {
      await t.case(`cco plan ${action}, queue and last good copy both corrupt: nothing changed, exit 1, then it works`, () => {
        const hh = home();
        mkdirSync(path.join(hh.configDir, 'cco'), { recursive: true });
        const queue = '{"version":1,"sessions":[{"id":"s1","title":"lost but kept"';
        writeFileSync(path.join(hh.configDir, 'session-queue.json'), queue);
        writeFileSync(path.join(hh.configDir, 'cco', 'session-queue.last-good.json'), '[');
        const r = run(hh, 'cli.mjs', args(hh));
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr.split('\n')).toHaveLength(2);
        expect(r.stderr).toMatch(/^cco plan: the queue and its last good copy both failed the schema; both were moved aside/);
        expect(r.stdout).toMatch(/so the queue starts empty/);
        expect(r.stdout).toContain('Nothing was changed');
        const corrupt = readdirSync(hh.configDir).filter((n) => n.startsWith('session-queue.json.corrupt-'));
        expect(corrupt.map((n) => readFileSync(path.join(hh.configDir, n), 'utf8'))).toEqual([queue]);
        // Nothing of the edit was applied: the queue is empty.
        const list = run(hh, 'cli.mjs', ['plan', 'list', '--json']);
        expect([list.code, (JSON.parse(list.stdout) as { sessions: unknown[] }).sessions]).toEqual([0, []]);
        // Once the person has seen it, an add works again (exit 0).
        if (action === 'add' || action === 'import') expect(run(hh, 'cli.mjs', args(hh)).code).toBe(0);
      });
    }
    await t.case('cco plan list --json, queue corrupt but the last good copy fine: exit 0, the copy used', () => {
      const hh = home();
      mkdirSync(path.join(hh.configDir, 'cco'), { recursive: true });
      writeFileSync(path.join(hh.configDir, 'session-queue.json'), '{');
      writeFileSync(path.join(hh.configDir, 'cco', 'session-queue.last-good.json'), JSON.stringify(emptyQueue('q')));
      const r = run(hh, 'cli.mjs', ['plan', 'list', '--json']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect((JSON.parse(r.stdout) as { note: string }).note).toContain('using the last good copy');
    });
    t.done();
  }, 300_000);
});
