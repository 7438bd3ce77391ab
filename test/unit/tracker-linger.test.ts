import { mkdtempSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleReplaced } from '../../src/tracker/bundle-identity.ts';
import { DEFAULT_LINGER, lingerFromEnv, lingerLeftMs } from '../../src/tracker/linger.ts';

describe('how long an idle tracker stays', () => {
  const policy = { idleMs: 30_000, whileClaudeRunsMs: 900_000 };

  it('stays the idle time when no Claude Code process it tracked runs, and the longer time while one does', () => {
    expect(lingerLeftMs(policy, 10_000, false, false)).toBe(20_000);
    expect(lingerLeftMs(policy, 30_000, false, false)).toBe(0);
    expect(lingerLeftMs(policy, 10_000, true, false)).toBe(890_000);
    expect(lingerLeftMs(policy, 899_000, true, false)).toBe(1_000);
    expect(lingerLeftMs(policy, 900_001, true, false)).toBeLessThan(0);
  });

  it('never stays less while Claude Code runs than when it does not', () => {
    expect(lingerLeftMs({ idleMs: 5_000, whileClaudeRunsMs: 1_000 }, 2_000, true, false)).toBe(3_000);
  });

  it('goes at once once its bundle was replaced, whatever else holds', () => {
    expect(lingerLeftMs(policy, 0, true, true)).toBe(0);
    expect(lingerLeftMs(policy, 0, false, true)).toBe(0);
  });

  it('reads its stays from the environment: one variable sets both unless the other is given too', () => {
    expect(lingerFromEnv({})).toEqual(DEFAULT_LINGER);
    expect(lingerFromEnv({ CCO_TRACKER_LINGER_MS: '2000' })).toEqual({ idleMs: 2_000, whileClaudeRunsMs: 2_000 });
    expect(lingerFromEnv({ CCO_TRACKER_LINGER_MS: '0', CCO_TRACKER_SESSION_LINGER_MS: '60000' })).toEqual({ idleMs: 0, whileClaudeRunsMs: 60_000 });
    expect(lingerFromEnv({ CCO_TRACKER_SESSION_LINGER_MS: '1000' })).toEqual({ idleMs: DEFAULT_LINGER.idleMs, whileClaudeRunsMs: 1_000 });
    for (const bad of ['', '-1', '1e3', '30s', ' 5']) expect(lingerFromEnv({ CCO_TRACKER_LINGER_MS: bad }), bad).toEqual(DEFAULT_LINGER);
  });
});

describe('a bundle replaced on disk', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is seen when the file is renamed over, rewritten, touched or removed, and not while it is left alone', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cco-bundle-'));
    const f = path.join(dir, 'tracker.mjs');
    const fresh = () => {
      writeFileSync(f, 'export {};\n');
      utimesSync(f, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
      return bundleReplaced(f);
    };
    let replaced = fresh();
    expect([replaced(), replaced()]).toEqual([false, false]);

    writeFileSync(path.join(dir, 'new.mjs'), 'export {};\n');
    renameSync(path.join(dir, 'new.mjs'), f); // how an install lays down a new bundle: a new inode
    expect(replaced()).toBe(true);

    replaced = fresh();
    writeFileSync(f, 'export { };\n'); // same inode, same size, new bytes and mtime
    expect(replaced()).toBe(true);

    replaced = fresh();
    utimesSync(f, new Date(), new Date());
    expect(replaced()).toBe(true);

    replaced = fresh();
    unlinkSync(f);
    expect(replaced()).toBe(true);
  });

  it('is never reported for a file that was not there to begin with', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cco-bundle-'));
    const replaced = bundleReplaced(path.join(dir, 'missing.mjs'));
    writeFileSync(path.join(dir, 'missing.mjs'), 'x');
    expect(replaced()).toBe(false);
  });
});
