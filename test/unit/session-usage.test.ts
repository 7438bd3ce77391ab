import { describe, expect, it } from 'vitest';
import { emptyDigest, type EntryTuple, type FileDigest } from '../../src/claude/transcript-digest.ts';
import { SESSION_BURN_SPAN_MS, sessionUsage } from '../../src/usage/session-usage.ts';
import { DEFAULT_WEIGHTS } from '../../src/usage/tokens.ts';

const MIN = 60_000;
const START = Date.UTC(2025, 8, 3, 10, 0, 0); // window start 10:00 UTC
const NOW = Date.UTC(2025, 8, 3, 12, 34, 0);
const WINDOW = { startMs: START };

const t = (key: string | null, ms: number | null, i: number, o: number, cc: number, cr: number): EntryTuple => [
  key,
  's1',
  ms,
  'claude-sonnet-4-5',
  i,
  o,
  cc,
  cr,
];

function digest(entries: EntryTuple[], loose: EntryTuple[] = []): FileDigest {
  return { ...emptyDigest(), entries, loose };
}

// Counted (default weights: input + output + cache creation, not cache reads), hand-derived:
const main = digest([
  t('k1', START - MIN, 100, 10, 1000, 5000), // 1,110: before the window
  t('k2', START, 200, 20, 0, 9000), //          220: at the window start (in)
  t('k3', NOW - 30 * MIN, 300, 30, 0, 0), //    330: in the window; exactly 30 min ago (out of the burn span)
  t('k4', NOW - 29 * MIN, 400, 40, 0, 0), //    440: smaller copy, replaced by the subagent's 480
  t('k5', NOW, 0, 50, 500, 0), //               550: now (in both)
  t('k6', null, 1000, 0, 0, 0), //              untimed: in neither
  t('k7', NOW + 1, 0, 1, 0, 0), //              after now (clock skew): in neither
]);
const sub = digest([t('k4', NOW - 29 * MIN, 400, 80, 0, 0)], [t(null, NOW - 10 * MIN, 5, 5, 0, 0)]); // 480; loose 10

describe('sessionUsage', () => {
  it('counts the window [start, now] and the burn (now - 30 min, now], deduplicated across main and subagent files', () => {
    const u = sessionUsage([main, sub], WINDOW, NOW, DEFAULT_WEIGHTS);
    expect(u.windowTokens).toBe(220 + 330 + 480 + 550 + 10); // 1,590
    expect(u.burnPerMin).toBeCloseTo((480 + 550 + 10) / 30, 10); // 34.67 tokens/min
    expect(u.entries).toBe(8); // k1..k7 once each, plus the loose one
    expect(u.untimed).toBe(1);
    expect(u.lastUsageMs).toBe(NOW + 1);
  });

  it('a duplicate key counts once, as its largest copy, whichever file holds it', () => {
    const a = sessionUsage([main], WINDOW, NOW, DEFAULT_WEIGHTS).windowTokens;
    const b = sessionUsage([main, sub], WINDOW, NOW, DEFAULT_WEIGHTS).windowTokens;
    expect(b - a).toBe(480 - 440 + 10);
    // the same digest read twice adds nothing
    expect(sessionUsage([main, main], WINDOW, NOW, DEFAULT_WEIGHTS).windowTokens).toBe(a);
  });

  it('no window open: 0 in the window, burn unchanged', () => {
    const u = sessionUsage([main, sub], null, NOW, DEFAULT_WEIGHTS);
    expect(u.windowTokens).toBe(0);
    expect(u.burnPerMin).toBeCloseTo(1040 / 30, 10);
  });

  it('uses the configured weights (cache reads at 0.1)', () => {
    const u = sessionUsage([main, sub], WINDOW, NOW, { ...DEFAULT_WEIGHTS, cacheRead: 0.1 });
    expect(u.windowTokens).toBe(1590 + 900); // k2's 9,000 cache reads now count 900; k1 is outside the window
  });

  it('the burn span is 30 minutes; no digests give zeros', () => {
    expect(SESSION_BURN_SPAN_MS).toBe(30 * MIN);
    expect(sessionUsage([], WINDOW, NOW, DEFAULT_WEIGHTS)).toEqual({ windowTokens: 0, burnPerMin: 0, lastUsageMs: null, entries: 0, untimed: 0 });
  });
});
