// A short run of `npm run stress` (scripts/stress-core.ts) inside `npm test`, so CI holds the line:
// 8 hook processes at once on 4 sessions through the real bundles, a writer hanging on a lock, random
// SIGKILLs mid-run; then every counter must equal what the transcripts hold.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findLocks, runStress, STALE_LOCK_MS } from '../../scripts/stress-core.ts';
import { writeOneResponse } from '../helpers/one-response.ts';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { HOOK_BUNDLES, runBundle, syncTracker } from '../helpers/spawn-bundle.ts';

let h: TempHome | undefined;
afterEach(() => h?.cleanup());

describe('stress: 8 writers', () => {
  it('loses nothing, corrupts nothing, leaves no lock, and every hook exits 0', async () => {
    const f = await runStress({ writers: 8, events: 6, killEvents: 3, lockHoldMs: 2_500, seed: 20_261_121 });
    expect(f.failures).toEqual([]);
    expect(f.lost).toEqual({ entries: 0, toolCalls: 0, tokens: 0, blocks: 0, malformed: 0, sessions: 0 });
    expect(f.corrupt).toBe(0);
    expect(f.locksLeft).toBe(0);
    expect(f.badExits + f.stderrLines + f.logErrors).toBe(0);
    // The run did what it says: contention, deferrals against a held lock, kills, real volume.
    expect(f.contention.runs).toBe(8 * 6);
    expect(f.lockBudget).toMatchObject({ runs: 4 });
    expect(f.lockBudget!.spooled).toBeGreaterThan(0); // the tracker waited for the lock; the events waited for it
    expect(f.lockBudget!.maxMs).toBeLessThan(2_000); // the hooks take no lock at all
    expect(f.kill!.runs).toBe(8 * 3);
    expect(f.kill!.killed + f.kill!.trackersKilled).toBeGreaterThan(0);
    expect(f.kill!.trackerRuns).toBeGreaterThan(0);
    expect(f.staleLockRecoveries).toBe(f.kill!.locksLeft);
    expect(f.catchUp).toEqual({ runs: 4, deferred: 0, left: 0 });
    expect(f.usageEntries).toBeGreaterThan(40);
    expect(f.toolCalls).toBeGreaterThan(40);
    expect(existsSync(f.home)).toBe(false);
  }, 300_000);

  it('a lock left by a killed writer is taken over by the next trigger once stale', async () => {
    h = tempHome();
    const transcript = writeOneResponse(h.configDir, 's', { model: 'x', usage: [3, 4, 5, 6] });
    const old = new Date(Date.now() - STALE_LOCK_MS - 2_000);
    for (const f of [path.join(h.configDir, 'session-tracker.json'), path.join(h.accountDir, 'quota-tracker.json')]) {
      mkdirSync(`${f}.lock`, { recursive: true });
      utimesSync(`${f}.lock`, old, old);
    }
    expect(findLocks(h.configDir, h.accountDir)).toHaveLength(2);
    const r = await runBundle(HOOK_BUNDLES['post-tool-use'], JSON.stringify({ session_id: 's', transcript_path: transcript }), h.env());
    expect(r).toMatchObject({ code: 0, stderr: '' });
    await syncTracker(h.env());
    expect(findLocks(h.configDir, h.accountDir)).toEqual([]);
    const t = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { entries: number }> };
    expect(t.sessions.s!.entries).toBe(1);
  });

  it('a fresh lock (a live writer) is not taken: the hook returns at once, the event waits in the spool, and is tracked once the lock is free', async () => {
    h = tempHome();
    const lock = path.join(h.configDir, 'session-tracker.json.lock');
    mkdirSync(lock, { recursive: true });
    const r = await runBundle(HOOK_BUNDLES.stop, JSON.stringify({ session_id: 's' }), h.env());
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: '' });
    expect(r.ms).toBeLessThan(2_000);
    await new Promise((res) => setTimeout(res, 1_000));
    expect(existsSync(path.join(h.configDir, 'session-tracker.json'))).toBe(false);
    expect(readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    rmSync(lock, { recursive: true });
    await syncTracker(h.env());
    const t = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as {
      sessions: Record<string, { hookEvents: Record<string, number> }>;
    };
    expect(t.sessions.s!.hookEvents).toEqual({ Stop: 1 });
    expect(readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.endsWith('.json'))).toEqual([]);
  });
});
