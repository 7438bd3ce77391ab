// The status line front (dist/statusline.cjs) as install.sh sets it and Claude Code runs it: it renders
// from the payload and the tracker's snapshot, and hands a payload with unsaved figures to the
// background tracker (saved by the time `cco sync` returns). A temp HOME and CLAUDE_CONFIG_DIR.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, stateFile, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { syncTrackerSync } from '../helpers/spawn-bundle.ts';
import { MIN, nowSec, seedQuota, SID, statuslinePayload, subscriberLimits } from '../helpers/statusline-payload.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

const file = (name: string): string => stateFile(h, name);
const readJson = (name: string): Record<string, any> => JSON.parse(readFileSync(file(name), 'utf8'));
const spooled = (): string[] => (existsSync(file('cco/spool')) ? readdirSync(file('cco/spool')).filter((n) => n.endsWith('.json')) : []);

/** One status line run; CCO_TRACKER=manual keeps the front from starting the tracker, so the spool can be seen. */
function front(stdin: string, args: string[] = [], env: Record<string, string> = { CCO_TRACKER: 'manual' }) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'statusline.cjs'), ...args], {
    input: stdin,
    env: h.env(env),
    encoding: 'utf8',
    timeout: 20_000,
    cwd: h.home,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the status line front', () => {
  it("shows the payload's official figures at once, spools them once, and the tracker saves them", () => {
    h = tempHome();
    const limits = subscriberLimits();
    const body = statuslinePayload(h.configDir, { rateLimits: limits });
    expect(front(body)).toEqual({ code: 0, stderr: '', stdout: '5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok/min\n' });
    expect(spooled()).toHaveLength(1);
    expect(existsSync(file('quota-tracker.json'))).toBe(false);
    syncTrackerSync(h.env());
    expect(readJson('quota-tracker.json').readings.map((r: { window: string; usedPercentage: number }) => [r.window, r.usedPercentage])).toEqual([
      ['five_hour', 42],
      ['seven_day', 18.3],
    ]);
    expect(readJson('session-tracker.json').sessions[SID].statusline).toMatchObject({ usedPercentage: 31, usedTokens: 62_000, windowSize: 200_000 });
    const snap = readJson('cco/statusline-snapshot.json');
    expect(snap).toMatchObject({ v: 1, official: { fiveHourPct: 42, sevenDayPct: 18.3 }, contextPct: { [SID]: 31 } });

    // The same figures again: nothing to save, nothing spooled, the same line.
    const mtime = statSync(file('quota-tracker.json')).mtimeMs;
    expect(front(body).stdout).toBe('5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok/min\n');
    expect(spooled()).toEqual([]);
    // A changed figure is spooled and saved.
    expect(front(body.replace('"used_percentage":42', '"used_percentage":43')).stdout).toMatch(/^5h 43%● /);
    expect(spooled()).toHaveLength(1);
    syncTrackerSync(h.env());
    expect(readJson('quota-tracker.json').readings.map((r: { usedPercentage: number }) => r.usedPercentage)).toEqual([42, 18.3, 43]);
    expect(statSync(file('quota-tracker.json')).mtimeMs).toBeGreaterThan(mtime);
  });

  it('without rate_limits: the estimate and burn rate the tracker computed, as `cco statusline` shows them', () => {
    h = tempHome();
    const start = Date.now() - 60 * MIN;
    const block = {
      start: new Date(start).toISOString(),
      end: new Date(start + 300 * MIN).toISOString(),
      first: new Date(start).toISOString(),
      last: new Date(Date.now() - 5 * MIN).toISOString(),
      entries: 1,
      tokens: { input_tokens: 30_000, output_tokens: 6_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 900_000 },
      final: false,
    };
    seedQuota(h.accountDir, { blocks: [block] });
    const body = statuslinePayload(h.configDir);
    // No snapshot yet: the payload's context only; the context figure is spooled for saving.
    expect(front(body).stdout).toBe('5h n/a (no usage tracked yet) · ctx 31%●\n');
    syncTrackerSync(h.env());
    const viaFront = front(body).stdout;
    expect(viaFront).toMatch(/^5h 18%~ ↻(3h59m|4h00m) · 7d n\/a \(no rate_limits\) · ctx 31%● · 1\.2k tok\/min\n$/);
    const viaCli = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'statusline'], { input: body, env: h.env(), encoding: 'utf8' }).stdout;
    expect(viaFront).toBe(viaCli);
  });

  it('a window whose reset has passed is neither shown nor saved', () => {
    h = tempHome();
    const stale = statuslinePayload(h.configDir, { rateLimits: { five_hour: { used_percentage: 88, resets_at: nowSec() - 10 } } });
    const r = front(stale);
    expect(r.stdout).toBe('5h n/a (no usage tracked yet) · ctx 31%●\n');
    syncTrackerSync(h.env());
    expect(existsSync(file('quota-tracker.json')) ? readJson('quota-tracker.json').readings : []).toEqual([]);
  });

  it('stdin that is not JSON, an empty stdin, a bad option: one line, exit 0, nothing written', () => {
    h = tempHome();
    expect(front('this is {not json')).toEqual({ code: 0, stderr: '', stdout: '5h n/a (no usage tracked yet) · ctx n/a (stdin is not JSON)\n' });
    expect(front('').stdout).toContain('ctx n/a (no input on stdin)');
    expect(front('[]').stdout).toContain('ctx n/a (stdin JSON is not an object)');
    expect(front(statuslinePayload(h.configDir), ['--frobnicate'])).toEqual({
      code: 2,
      stderr: 'cco statusline: unknown option --frobnicate; see cco statusline --help\n',
      stdout: '',
    });
    expect(existsSync(h.configDir)).toBe(false);
  });

  it('starts the background tracker itself when none runs', () => {
    h = tempHome();
    expect(front(statuslinePayload(h.configDir, { rateLimits: subscriberLimits() }), [], {}).code).toBe(0);
    // No `cco sync`: the tracker the front started saves the readings on its own.
    const until = Date.now() + 15_000;
    while (!existsSync(file('quota-tracker.json')) && Date.now() < until) spawnSync('sleep', ['0.05']);
    expect(readJson('quota-tracker.json').readings).toHaveLength(2);
  });
});
