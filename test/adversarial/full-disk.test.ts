// Adversarial class "full disk" (issue 18): every write under the temp home fails with ENOSPC, the way a
// full disk fails it — the temp file is created, its bytes are not written — injected through the fs
// layer (node:fs, which write-file-atomic and our own writers use), no root tricks. `cco status` still
// prints its report and says in one stderr line that it could not save; `cco report` prints what a fresh
// scan prints; no temp file of a failed write is left behind; and `cco doctor` names any temp file that is
// (a writer killed mid-write, or cleanup that failed too).
import fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run as doctor } from '../../src/cli/doctor.ts';
import { run as report } from '../../src/cli/report-command.ts';
import { run as status } from '../../src/cli/status.ts';
import { processRuntime } from '../../src/runtime.ts';
import { writeCacheFile } from '../../src/store/cache-write.ts';
import { clearCursorMemo } from '../../src/store/transcript-cache.ts';
import { captureIo } from '../helpers/command-io.ts';
import { assistantLine } from '../helpers/one-response.ts';
import { tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { adversary } from './tally.ts';

const home = tempHomePerTest();
const SID = 'dddddddd-4444-4444-8444-dddddddddddd';

const real = { writeFileSync: fs.writeFileSync, writeSync: fs.writeSync, write: fs.write, appendFileSync: fs.appendFileSync };

/** The path an open fd names (Linux: /proc/self/fd). */
function fdPath(fd: number): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}

const enospc = (p: string) =>
  Object.assign(new Error(`ENOSPC: no space left on device, write '${p}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: p });

/**
 * Makes every write to a file under `root` whose path `full(path)` accepts fail with ENOSPC (the file is
 * created first, empty, as on a full disk); `restore` undoes it.
 */
function fillDisk(root: string, full: (p: string) => boolean = () => true): { restore: () => void } {
  const hit = (p: string) => p.startsWith(root) && full(p);
  const f = fs as unknown as Record<string, unknown>;
  f.writeFileSync = (file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    const p = typeof file === 'number' ? fdPath(file) : String(file);
    if (!hit(p)) return (real.writeFileSync as (...a: unknown[]) => void)(file, ...rest);
    if (typeof file !== 'number') (real.writeFileSync as (...a: unknown[]) => void)(file, '', rest[1] as object);
    throw enospc(p);
  };
  f.appendFileSync = (file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    const p = typeof file === 'number' ? fdPath(file) : String(file);
    if (hit(p)) throw enospc(p);
    return (real.appendFileSync as (...a: unknown[]) => void)(file, ...rest);
  };
  f.writeSync = (fd: number, ...rest: unknown[]) => {
    if (hit(fdPath(fd))) throw enospc(fdPath(fd));
    return (real.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  };
  f.write = (fd: number, ...rest: unknown[]) => {
    const cb = rest[rest.length - 1] as (e: Error | null) => void;
    if (hit(fdPath(fd))) {
      const e = enospc(fdPath(fd));
      process.nextTick(() => cb(e));
      return;
    }
    (real.write as (...a: unknown[]) => void)(fd, ...rest);
  };
  syncBuiltinESMExports();
  return {
    restore() {
      Object.assign(f, real);
      syncBuiltinESMExports();
    },
  };
}

let disk: { restore: () => void } | null = null;
afterEach(() => {
  disk?.restore();
  disk = null;
});

const asst = (id: string, out: number, minutesAgo: number): string =>
  assistantLine({ sessionId: SID, id, timestamp: new Date(Date.now() - minutesAgo * 60_000).toISOString(), usage: [3, out, 40, 400] }) + '\n';

function setup(): { h: TempHome; transcript: string } {
  const h = home();
  const transcript = path.join(h.configDir, 'projects', '-w', `${SID}.jsonl`);
  mkdirSync(path.dirname(transcript), { recursive: true });
  writeFileSync(transcript, asst('a', 700, 30) + asst('b', 900, 20));
  clearCursorMemo();
  return { h, transcript };
}

/** Temp files of failed writes under `dir`: write-file-atomic's `<name>.<number>` and ours `*.tmp`. */
function leftTemps(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tmp$/.test(n) || /\.(json|jsonl|bin|md|ics)\.\d+$/.test(n)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe('adversarial: full disk', () => {
  it('status prints, report prints, failed writes leave no temp file, doctor names those that are left', async () => {
    const t = adversary('full disk');

    for (const json of [false, true]) {
      await t.case(
        `cco status${json ? ' --json' : ''} on a full disk before anything was saved: the report, and one line saying it was not saved`,
        async () => {
          const { h } = setup();
          const rt = processRuntime(h.env());
          disk = fillDisk(h.home);
          const io = captureIo();
          const code = await status(rt, json ? ['--json'] : [], { ...io, cwd: '/w' });
          disk.restore();
          expect(code).toBe(0);
          expect(io.err().trimEnd().split('\n')).toHaveLength(1);
          expect(io.err()).toMatch(/^cco: could not save in .* \(ENOSPC: the disk is full\); the report shows the figures saved before\n$/);
          if (json) expect(() => JSON.parse(io.out()) as unknown).not.toThrow();
          else expect(io.out()).toMatch(/\S/);
          expect(leftTemps(h.home)).toEqual([]);
        },
      );
    }

    await t.case('cco status after a saved run, the disk full and the transcript grown: the saved figures, one line, state files intact', async () => {
      const { h, transcript } = setup();
      const rt = processRuntime(h.env());
      const first = captureIo();
      expect(await status(rt, ['--json'], { ...first, cwd: '/w' })).toBe(0);
      const tracker = path.join(h.configDir, 'session-tracker.json');
      const saved = readFileSync(tracker, 'utf8');
      writeFileSync(transcript, asst('c', 5_000, 1), { flag: 'a' });
      clearCursorMemo();
      disk = fillDisk(h.home);
      const io = captureIo();
      expect(await status(rt, ['--json'], { ...io, cwd: '/w' })).toBe(0);
      disk.restore();
      expect(io.err()).toContain('(ENOSPC: the disk is full)');
      expect(() => JSON.parse(io.out()) as unknown).not.toThrow();
      expect(readFileSync(tracker, 'utf8')).toBe(saved);
      expect(leftTemps(h.home)).toEqual([]);
    });

    await t.case('only the session tracker write fails (write-file-atomic): status prints, its temp file is gone, the old file intact', async () => {
      const { h } = setup();
      const rt = processRuntime(h.env());
      const tracker = path.join(h.configDir, 'session-tracker.json');
      disk = fillDisk(h.home, (p) => path.basename(p).startsWith('session-tracker.json.'));
      const io = captureIo();
      expect(await status(rt, [], { ...io, cwd: '/w' })).toBe(0);
      disk.restore();
      expect(io.err()).toContain('ENOSPC');
      expect(fs.existsSync(tracker)).toBe(false);
      expect(leftTemps(h.home)).toEqual([]);
    });

    await t.case('cco report --json on a full disk: exit 0, what a fresh scan prints, no temp file left', async () => {
      const { h } = setup();
      const rt = processRuntime(h.env());
      const fresh = captureIo();
      expect(await report(rt, ['--json', '--no-cache'], fresh)).toBe(0);
      disk = fillDisk(h.home);
      const io = captureIo();
      expect(await report(rt, ['--json'], io)).toBe(0);
      disk.restore();
      expect(io.out()).toBe(fresh.out());
      expect(io.err()).toMatch(
        /^cco: could not save the report cache in .* \(ENOSPC: the disk is full\); the report is complete; the next one reads every transcript again\n$/,
      );
      expect(leftTemps(h.home)).toEqual([]);
    });

    await t.case('cco report on a full disk after a transcript grew (the cache updated in place): the same report, one line', async () => {
      const { h, transcript } = setup();
      const rt = processRuntime(h.env());
      const first = captureIo();
      expect(await report(rt, ['--json'], first)).toBe(0); // writes the cache
      expect(first.err()).toBe('');
      fs.appendFileSync(transcript, asst('c', 500, 10));
      clearCursorMemo();
      const fresh = captureIo();
      expect(await report(rt, ['--json', '--no-cache'], fresh)).toBe(0);
      disk = fillDisk(h.home, (p) => p.includes(`${path.sep}cco${path.sep}cache${path.sep}`));
      const io = captureIo();
      expect(await report(rt, ['--json'], io)).toBe(0);
      disk.restore();
      expect(io.out()).toBe(fresh.out());
      expect(io.err()).toMatch(/^cco: could not save the report cache in .* \(ENOSPC: the disk is full\); /);
      expect(io.err().split('\n')).toHaveLength(2);
      // The next report, disk free again, is right and silent.
      const after = captureIo();
      expect(await report(rt, ['--json'], after)).toBe(0);
      expect([after.out(), after.err()]).toEqual([fresh.out(), '']);
      expect(leftTemps(h.home)).toEqual([]);
    });

    await t.case('cco report on a read-only cache dir says it in the same words', async () => {
      const { h } = setup();
      const rt = processRuntime(h.env());
      const fresh = captureIo();
      expect(await report(rt, ['--json', '--no-cache'], fresh)).toBe(0);
      const f = fs as unknown as Record<string, unknown>;
      const realMkdir = fs.mkdirSync;
      const cacheDir = path.dirname(rt.paths.transcriptCacheDir);
      // EACCES on everything the report cache writes (mkdir included), the way a read-only dir refuses.
      disk = fillDisk(cacheDir);
      const eacces = (p: string) => Object.assign(new Error(`EACCES: permission denied, mkdir '${p}'`), { code: 'EACCES', path: p });
      f.mkdirSync = (p: fs.PathLike, ...rest: unknown[]) => {
        if (String(p).startsWith(cacheDir)) throw eacces(String(p));
        return (realMkdir as (...a: unknown[]) => unknown)(p, ...rest);
      };
      syncBuiltinESMExports();
      const io = captureIo();
      try {
        expect(await report(rt, ['--json'], io)).toBe(0);
      } finally {
        f.mkdirSync = realMkdir;
        syncBuiltinESMExports();
      }
      expect(io.out()).toBe(fresh.out());
      expect(io.err()).toMatch(/^cco: could not save the report cache in .* \((EACCES|ENOSPC): (not writable|the disk is full)\); .*\n$/);
      expect(io.err().split('\n')).toHaveLength(2);
    });

    for (const size of [0, 10, 1 << 20]) {
      await t.case(`a cache write of ${size} bytes failing with ENOSPC: thrown, its temp file removed, the old file kept`, () => {
        const h = home();
        const dir = path.join(h.home, 'cache');
        mkdirSync(dir);
        const file = path.join(dir, 'x.json');
        writeFileSync(file, 'old');
        disk = fillDisk(h.home);
        expect(() => writeCacheFile(file, Buffer.alloc(size, 0x61))).toThrow(/ENOSPC/);
        disk.restore();
        expect(readFileSync(file, 'utf8')).toBe('old');
        expect(readdirSync(dir)).toEqual(['x.json']);
      });
    }

    for (const [where, name] of [
      ['config', 'cco/cache/transcripts/0a1b.json.4242-k3j2h1g0.tmp'],
      ['config', 'session-tracker.json.1234567'],
      ['account', 'quota-tracker.json.987654'],
      ['config', 'cco/cache/report-cache.json.31337-abcdef12.tmp'],
    ] as const) {
      await t.case(`cco doctor names a temp file left behind: ${name}`, async () => {
        const { h } = setup();
        const rt = processRuntime(h.env());
        const p = path.join(where === 'account' ? h.accountDir : h.configDir, name);
        mkdirSync(path.dirname(p), { recursive: true });
        writeFileSync(p, '{"half":', { mode: 0o600 });
        const old = new Date(Date.now() - 3_600_000);
        utimesSync(p, old, old);
        const io = captureIo();
        await doctor(rt, ['--exit-zero'], io);
        expect(io.out()).toMatch(/^fix  state +1 temp file left by writes that never finished/m);
        expect(io.out()).toContain(p);
      });
    }
    t.done();
  }, 120_000);
});
