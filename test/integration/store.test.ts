import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LockBusyError, readState, StateWriteError, update } from '../../src/store/update.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';

const run = promisify(execFile);
const Counter = z.object({ n: z.number(), by: z.record(z.string(), z.number()) });
const init = () => ({ n: 0, by: {} as Record<string, number> });
let h: TempHome;
afterEach(() => h?.cleanup());

describe('update(file, schema, fn)', () => {
  it('loses no update when 6 processes increment the same file 40 times each', async () => {
    h = tempHome();
    const file = path.join(h.configDir, 'counter.json');
    const worker = path.join(ROOT, 'test', 'helpers', 'counter-worker.ts');
    await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', worker, file, '40'], { cwd: ROOT, env: h.env() })));
    const c = Counter.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(c.n).toBe(240);
    expect(Object.values(c.by)).toEqual([40, 40, 40, 40, 40, 40]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  }, 120_000);

  it('writes files 0600 in a 0700 dir, and writes nothing when fn returns undefined', async () => {
    h = tempHome();
    const file = path.join(h.configDir, 'deep', 'state.json');
    await update(file, Counter, init, (c) => ({ ...c, n: 1 }));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const before = statSync(file).mtimeMs;
    const got = await update(file, Counter, init, () => undefined);
    expect(got.n).toBe(1);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('refuses to write a value its own schema would refuse on read (NaN, Infinity become null): the file stays as it was, nothing is quarantined, the lock is released', async () => {
    h = tempHome();
    const file = path.join(h.configDir, 'state.json');
    await update(file, Counter, init, (c) => ({ ...c, n: 7 }));
    const before = readFileSync(file, 'utf8');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      await expect(update(file, Counter, init, (c) => ({ ...c, n: bad }))).rejects.toBeInstanceOf(StateWriteError);
      await expect(update(file, Counter, init, (c) => ({ ...c, by: { x: bad } }))).rejects.toThrow(/would not pass its reader: by\.x/);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(h.configDir).filter((n) => n.includes('.corrupt-') || n.endsWith('.lock'))).toEqual([]);
    // The next writer still gets the file as it was.
    expect((await update(file, Counter, init, (c) => ({ ...c, n: c.n + 1 }))).n).toBe(8);
  });

  it('the next update of the same file reads what is there now: an edit of the same length, a corrupt edit, a value fn changed in place without writing', async () => {
    h = tempHome();
    const file = path.join(h.configDir, 'state.json');
    await update(file, Counter, init, (c) => ({ ...c, n: 1 }));
    // An edit of the same length between two updates of this process is read, not the value it last wrote.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"n":1', '"n":5'));
    expect((await update(file, Counter, init, (c) => ({ ...c, n: c.n + 1 }))).n).toBe(6);
    // fn changes the value it is given and writes nothing: the next update starts from the file, not from that value.
    await update(file, Counter, init, (c) => {
      c.n = 99;
      return undefined;
    });
    expect((await update(file, Counter, init, (c) => ({ ...c, n: c.n + 1 }))).n).toBe(7);
    // A corrupt edit after a write of this process is still quarantined.
    writeFileSync(file, '{"n": "seven", "by": {}}');
    const seen: string[] = [];
    const got = await update(file, Counter, init, (c) => ({ ...c, n: c.n + 1 }), { onQuarantine: (_f, _t, why) => seen.push(why) });
    expect(got.n).toBe(1);
    expect(seen).toEqual([expect.stringMatching(/^schema: n:/)]);
  });

  it('moves a corrupt file aside as *.corrupt-<time> and starts fn from init', async () => {
    h = tempHome();
    mkdirSync(h.configDir, { recursive: true });
    const file = path.join(h.configDir, 'state.json');
    writeFileSync(file, '{"n": 3, "by": {}');
    const seen: string[] = [];
    const got = await update(file, Counter, init, (c) => ({ ...c, n: c.n + 1 }), {
      onQuarantine: (_f, to, why) => seen.push(`${path.basename(to)} ${why}`),
      now: () => new Date('2026-11-20T10:00:00.000Z'),
    });
    expect(got.n).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^state\.json\.corrupt-2026-11-20T10-00-00\.000Z not JSON/);
    expect(readFileSync(path.join(h.configDir, 'state.json.corrupt-2026-11-20T10-00-00.000Z'), 'utf8')).toBe('{"n": 3, "by": {}');
  });

  it('quarantines a file that parses but fails the schema', async () => {
    h = tempHome();
    mkdirSync(h.configDir, { recursive: true });
    const file = path.join(h.configDir, 'state.json');
    writeFileSync(file, '{"n": "three", "by": {}}');
    let reason = '';
    await update(file, Counter, init, (c) => c, {
      onQuarantine: (_f, _t, why) => {
        reason = why;
      },
    });
    expect(reason).toMatch(/^schema: n:/);
    expect(readdirSync(h.configDir).filter((f) => f.startsWith('state.json.corrupt-'))).toHaveLength(1);
  });

  it('gives up with LockBusyError within the budget when another holder keeps the lock', async () => {
    h = tempHome();
    mkdirSync(h.configDir, { recursive: true });
    const file = path.join(h.configDir, 'state.json');
    const release = await lockfile.lock(file, { realpath: false, stale: 10_000 });
    try {
      const t0 = Date.now();
      await expect(update(file, Counter, init, (c) => c, { lockBudgetMs: 200 })).rejects.toBeInstanceOf(LockBusyError);
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      await release();
    }
  });

  it('takes over a stale lock left by a dead holder', async () => {
    h = tempHome();
    mkdirSync(h.configDir, { recursive: true });
    const file = path.join(h.configDir, 'state.json');
    mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const got = await update(file, Counter, init, (c) => ({ ...c, n: 7 }), { lockBudgetMs: 500, staleMs: 5_000 });
    expect(got.n).toBe(7);
  });

  it('readState returns init for a missing file and reports an invalid one without moving it', () => {
    h = tempHome();
    mkdirSync(h.configDir, { recursive: true });
    const file = path.join(h.configDir, 'state.json');
    expect(readState(file, Counter, init)).toEqual(init());
    writeFileSync(file, 'nope');
    const reasons: string[] = [];
    expect(readState(file, Counter, init, (r) => reasons.push(r))).toEqual(init());
    expect(reasons[0]).toMatch(/not JSON/);
    expect(existsSync(file)).toBe(true);
  });

  it('a directory, a FIFO or a file in the path where a state file belongs: read as invalid or missing (never blocks), moved aside by readState and by update', async () => {
    h = tempHome();
    mkdirSync(h.configDir, { recursive: true });
    const dirFile = path.join(h.configDir, 'dir.json');
    mkdirSync(dirFile);
    const reasons: string[] = [];
    expect(readState(dirFile, Counter, init, (r) => reasons.push(r))).toEqual(init());
    expect(reasons[0]).toMatch(/^not a regular file \(a directory\); moved aside to .*dir\.json\.corrupt-/);
    expect(existsSync(dirFile)).toBe(false); // every later reader finds the place free
    expect(statSync(reasons[0]!.split('moved aside to ')[1]!).isDirectory()).toBe(true); // kept, aside
    const fifo = path.join(h.configDir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(readState(fifo, Counter, init, (r) => reasons.push(r))).toEqual(init()); // a read would block forever
    expect(reasons[1]).toMatch(/^not a regular file \(a FIFO\); moved aside to /);
    const under = path.join(h.configDir, 'plain');
    writeFileSync(under, 'x');
    expect(readState(path.join(under, 'state.json'), Counter, init, (r) => reasons.push(r))).toEqual(init()); // ENOTDIR: cannot exist
    expect(reasons).toHaveLength(2);
    const dir2 = path.join(h.configDir, 'dir2.json');
    mkdirSync(dir2);
    const quarantined: string[] = [];
    await update(dir2, Counter, init, (c) => ({ ...c, n: c.n + 1 }), { onQuarantine: (_f, to) => quarantined.push(to) });
    expect(JSON.parse(readFileSync(dir2, 'utf8'))).toMatchObject({ n: 1 });
    expect(statSync(quarantined[0]!).isDirectory()).toBe(true); // kept, aside
  });
});
