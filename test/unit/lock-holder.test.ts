import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FUTURE_SLACK_MS, judgeLock, NEW_LOCK_MS, parseHolder } from '../../src/store/lock-holder.ts';
import { acquireLock, LockBusyError } from '../../src/store/update.ts';

const HOST = 'here';
const NOW = Date.parse('2026-12-07T12:00:00Z');
const STALE = 10_000;

describe('judgeLock (pure, with an injected clock)', () => {
  it('keeps a live holder of this host, even with a time stepped into the future', () => {
    expect(judgeLock(NOW - 1_000, { pid: 5, host: HOST }, true, HOST, NOW, STALE)).toBe('held');
    expect(judgeLock(NOW + 3_600_000, { pid: 5, host: HOST }, true, HOST, NOW, STALE)).toBe('held');
    expect(judgeLock(NOW - STALE - 1, { pid: 5, host: HOST }, true, HOST, NOW, STALE)).toBe('stale');
  });

  it('takes a dead holder of this host at once, unless the lock is brand new (its holder file may be the previous one)', () => {
    expect(judgeLock(NOW - NEW_LOCK_MS, { pid: 5, host: HOST }, false, HOST, NOW, STALE)).toBe('dead');
    expect(judgeLock(NOW - 100, { pid: 5, host: HOST }, false, HOST, NOW, STALE)).toBe('held');
    // SIGKILLed holder, then the clock stepped back 1 h: its lock time is an hour ahead; it is still dead.
    expect(judgeLock(NOW + 3_600_000, { pid: 5, host: HOST }, false, HOST, NOW, STALE)).toBe('dead');
  });

  it('calls a time in the future suspect, not fresh, when no live holder of this host vouches for it', () => {
    expect(judgeLock(NOW + FUTURE_SLACK_MS + 1, null, null, HOST, NOW, STALE)).toBe('suspect');
    expect(judgeLock(NOW + 3_600_000, { pid: 5, host: 'elsewhere' }, null, HOST, NOW, STALE)).toBe('suspect');
    // Within the slack (two clocks a little apart), fresh.
    expect(judgeLock(NOW + FUTURE_SLACK_MS, null, null, HOST, NOW, STALE)).toBe('held');
    expect(judgeLock(NOW - 2_000, null, null, HOST, NOW, STALE)).toBe('held');
    expect(judgeLock(NOW - STALE - 1, null, null, HOST, NOW, STALE)).toBe('stale');
  });

  it('reads only "<pid> <host>" holder files', () => {
    expect(parseHolder('123 box\n')).toEqual({ pid: 123, host: 'box' });
    for (const bad of ['', 'x box', '0 box', '-1 box', '12', '12 a b', `${'9'.repeat(11)} box`]) expect(parseHolder(bad), bad).toBeNull();
  });
});

describe('acquireLock on disk', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });
  const deadPid = (): number => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(r.stdout);
  };
  const plantLock = (file: string, mtimeMs: number, holder: string | null) => {
    mkdirSync(`${file}.lock`);
    utimesSync(`${file}.lock`, mtimeMs / 1000, mtimeMs / 1000);
    if (holder !== null) writeFileSync(`${file}.lock.holder`, holder);
  };

  it('takes over at once a lock whose holder died on this host, also after a clock step back of 1 h', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cco-lock-'));
    const file = path.join(dir, 'tracker');
    plantLock(file, Date.now() + 3_600_000, `${deadPid()} ${os.hostname()}\n`);
    const t0 = Date.now();
    const release = await acquireLock(file, 0, STALE);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(readFileSync(`${file}.lock.holder`, 'utf8')).toBe(`${process.pid} ${os.hostname()}\n`);
    await release();
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(existsSync(`${file}.lock.holder`)).toBe(false);
  });

  it('takes over a lock dated in the future that no holder vouches for', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cco-lock-'));
    const file = path.join(dir, 'session-tracker.json');
    plantLock(file, Date.now() + 3_600_000, null);
    const release = await acquireLock(file, 0, STALE);
    await release();
  });

  it('waits for a live holder (a fresh lock, or one dated in the future by a clock step), then gives up with LockBusyError', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cco-lock-'));
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      for (const [name, mtime] of [
        ['a', Date.now()],
        ['b', Date.now() + 3_600_000],
      ] as const) {
        const file = path.join(dir, name);
        plantLock(file, mtime, `${sleeper.pid} ${os.hostname()}\n`);
        await expect(acquireLock(file, 100, STALE)).rejects.toBeInstanceOf(LockBusyError);
      }
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
