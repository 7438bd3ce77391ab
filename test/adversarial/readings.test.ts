// Adversarial class "readings" (issue 18): official `rate_limits` readings in the status line payload that
// Claude Code would never send (reference §5.2: used_percentage = min(round(util x 1000) / 10, 100),
// resets_at in epoch seconds, a window present only while its reset is ahead). Each runs end to end: the
// built status line front (dist/statusline.cjs), the background tracker that saves what it spools
// (`cco sync`), `cco statusline`, then `cco status --json` and the saved files. A refused window is never
// saved (so it can neither stay current forever nor feed calibration), and both status lines show
// `n/a (bad reading)` for it; the other window of the same payload is still saved and shown.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSnapshot } from '../../src/render/statusline-snapshot.ts';
import { DurableQuotaSchema, QuotaTrackerSchema, SessionTrackerSchema } from '../../src/store/schemas.ts';
import { ROOT, stateFile, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { syncTrackerSync } from '../helpers/spawn-bundle.ts';
import { nowSec, statuslinePayload } from '../helpers/statusline-payload.ts';
import { adversary } from './tally.ts';
import { corruptFilesUnder } from '../helpers/files-under.ts';

const newHome = tempHomePerTest();
const H_S = 3_600;

/** What must become of one window: refused (`bad`), saved and shown as this % (a number), or neither (`none`). */
type Outcome = 'bad' | number | 'none';

function run(h: TempHome, file: string, args: string[], stdin: string, extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', file), ...args], {
    input: stdin,
    env: h.env(extra),
    encoding: 'utf8',
    timeout: 60_000,
    cwd: h.home,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The status line's 5h and 7d parts as they must read for these outcomes. */
function expectLine(line: string, five: Outcome, seven: Outcome, who: string): void {
  if (five === 'bad') expect(line, who).toMatch(/^5h n\/a \(bad reading\) · ctx /);
  // Neither official nor refused: what the state gives without a reading (n/a with why, or an estimate `~`).
  else if (five === 'none') expect(line, who).toMatch(/^5h (n\/a \((?!bad reading)[^)]*\)|\d+%~) /);
  else expect(line, who).toMatch(new RegExp(`^5h ${Math.round(five)}%● `));
  if (five === 'bad' || five === 'none') return; // no 7-day part without a 5-hour figure
  if (seven === 'bad') expect(line, who).toContain(' · 7d n/a (bad reading) · ');
  else if (typeof seven === 'number') expect(line, who).toContain(` · 7d ${Math.round(seven)}%● · `);
}

/**
 * Runs a payload with these `rate_limits` through the front, the tracker and `cco statusline`, and checks
 * the lines, the saved readings, every state file against its reader, and `cco status --json`.
 */
function readingCase(rateLimits: Record<string, unknown>, five: Outcome, seven: Outcome): void {
  const h = newHome();
  const payload = JSON.parse(statuslinePayload(h.configDir)) as Record<string, unknown>;
  payload.rate_limits = rateLimits;
  const body = JSON.stringify(payload);
  const front = run(h, 'statusline.cjs', [], body, { CCO_TRACKER: 'manual' });
  expect(front.code).toBe(0);
  expect(front.stderr).toBe('');
  expectLine(front.stdout, five, seven, 'front');
  syncTrackerSync(h.env());
  const cli = run(h, 'cli.mjs', ['statusline'], body);
  expect(cli.code).toBe(0);
  expectLine(cli.stdout, five, seven, 'cco statusline');
  // Saved: exactly the windows that were good, with the % as read (100.4 as 100).
  const qFile = stateFile(h, 'quota-tracker.json');
  const readings = existsSync(qFile) ? QuotaTrackerSchema.parse(JSON.parse(readFileSync(qFile, 'utf8'))).readings : [];
  const saved = (w: string) => readings.filter((r) => r.window === w).map((r) => r.usedPercentage);
  expect(saved('five_hour'), 'five_hour saved').toEqual(typeof five === 'number' ? [Math.min(five, 100)] : []);
  expect(saved('seven_day'), 'seven_day saved').toEqual(typeof seven === 'number' ? [Math.min(seven, 100)] : []);
  for (const r of readings) {
    expect(r.usedPercentage).toBeGreaterThanOrEqual(0);
    expect(r.usedPercentage).toBeLessThanOrEqual(100);
    expect(Date.parse(r.resetsAt) - Date.now()).toBeLessThanOrEqual(7 * 24 * H_S * 1000 + H_S * 1000);
  }
  const durable = stateFile(h, 'cco/quota-durable.json');
  if (existsSync(durable)) expect(DurableQuotaSchema.parse(JSON.parse(readFileSync(durable, 'utf8'))).readings).toEqual(readings);
  const tracker = stateFile(h, 'session-tracker.json');
  if (existsSync(tracker)) SessionTrackerSchema.parse(JSON.parse(readFileSync(tracker, 'utf8')));
  const snap = stateFile(h, 'cco/statusline-snapshot.json');
  if (existsSync(snap)) expect(checkSnapshot(JSON.parse(readFileSync(snap, 'utf8'))), 'snapshot passes its reader').not.toBeNull();
  expect(corruptFilesUnder(h.home)).toEqual([]);
  // `cco status --json`: an official window only from a good reading.
  const status = run(h, 'cli.mjs', ['status', '--json'], '');
  expect(status.code, status.stderr).toBe(0);
  const s = JSON.parse(status.stdout) as { window: { source: string } | null; quota: { usedPct: number; weekly: { usedPct: number } | null } };
  if (typeof five === 'number') {
    expect(s.window?.source).toBe('official');
    expect(s.quota.usedPct).toBe(Math.min(five, 100));
  } else expect(s.window?.source ?? 'none').not.toBe('official');
  expect(s.quota.weekly?.usedPct ?? null).toBe(typeof seven === 'number' ? seven : null);
}

describe('adversarial: official readings', () => {
  it('rate_limits figures out of bounds are not saved, and the status lines say n/a (bad reading)', { timeout: 600_000 }, async () => {
    const t = adversary('readings');
    const inH = (h: number) => nowSec() + Math.round(h * H_S);
    const seven = { used_percentage: 18.3, resets_at: inH(3 * 24) };
    const fiveOk = { used_percentage: 42, resets_at: inH(1.5) };
    const cases: [string, Record<string, unknown>, Outcome, Outcome][] = [
      ['five_hour -5 %', { five_hour: { used_percentage: -5, resets_at: inH(1) }, seven_day: seven }, 'bad', 18.3],
      ['five_hour 1e308 %', { five_hour: { used_percentage: 1e308, resets_at: inH(1) }, seven_day: seven }, 'bad', 18.3],
      ['five_hour 100.4 % (rounding slack: accepted, as 100)', { five_hour: { used_percentage: 100.4, resets_at: inH(1) }, seven_day: seven }, 100.4, 18.3],
      ['five_hour 101 %', { five_hour: { used_percentage: 101, resets_at: inH(1) }, seven_day: seven }, 'bad', 18.3],
      ['five_hour "50" (a string)', { five_hour: { used_percentage: '50', resets_at: inH(1) }, seven_day: seven }, 'bad', 18.3],
      ['five_hour "NaN" (NaN via a string)', { five_hour: { used_percentage: 'NaN', resets_at: inH(1) }, seven_day: seven }, 'bad', 18.3],
      ['five_hour reset in year 58903', { five_hour: { used_percentage: 42, resets_at: Date.UTC(58903, 0, 1) / 1000 }, seven_day: seven }, 'bad', 18.3],
      ['five_hour reset a day in the past', { five_hour: { used_percentage: 42, resets_at: inH(-24) }, seven_day: seven }, 'bad', 18.3],
      [
        'five_hour reset 6 h 5 min ahead (past 5 h + 1 h slack)',
        { five_hour: { used_percentage: 42, resets_at: inH(6 + 5 / 60) }, seven_day: seven },
        'bad',
        18.3,
      ],
      ['five_hour without resets_at', { five_hour: { used_percentage: 42 }, seven_day: seven }, 'bad', 18.3],
      ['five_hour resets_at "soon" (a string)', { five_hour: { used_percentage: 42, resets_at: 'soon' }, seven_day: seven }, 'bad', 18.3],
      ['seven_day 1e308 % (five_hour good)', { five_hour: fiveOk, seven_day: { used_percentage: 1e308, resets_at: inH(48) } }, 42, 'bad'],
      ['seven_day reset 9 days ahead (five_hour good)', { five_hour: fiveOk, seven_day: { used_percentage: 10, resets_at: inH(9 * 24) } }, 42, 'bad'],
      ['seven_day without resets_at (five_hour good)', { five_hour: fiveOk, seven_day: { used_percentage: 10 } }, 42, 'bad'],
      // Not hostile: Claude Code may send a window for a moment after it resets. Not saved, not current, not "bad".
      ['five_hour reset 30 s ago (just reset)', { five_hour: { used_percentage: 42, resets_at: nowSec() - 30 } }, 'none', 'none'],
      ['both windows good (control)', { five_hour: fiveOk, seven_day: seven }, 42, 18.3],
    ];
    for (const [what, rl, five, sev] of cases) await t.case(what, () => readingCase(rl, five, sev));
    t.done();
  });
});
