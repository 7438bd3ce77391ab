// `cco statusline` as Claude Code runs it: the bundled CLI, a statusline payload on stdin, a temp HOME
// and CLAUDE_CONFIG_DIR (never the real ~/.claude). Payloads follow the shapes recorded in the
// interface reference §5.2 (after a turn, with and without `rate_limits`; before the first response).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ourStatusLineCommand } from '../../src/install/statusline-edit.ts';
import { ROOT, stateFile, tempHome, type TempHome } from '../helpers/sandbox-env.ts';
import { MIN, nowSec, seedQuota as seedQuotaIn, SID, statuslinePayload, subscriberLimits } from '../helpers/statusline-payload.ts';

let work: string;
let repo: string; // a fake checkout: <repo>/dist/cli.mjs, the path install.sh writes into settings
let cli: string;
let h: TempHome;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-statusline-test-')));
  repo = path.join(work, 'repo with space');
  cli = path.join(repo, 'dist', 'cli.mjs');
  // The real build (npm test builds it first), copied whole: the CLI may load chunks beside it.
  cpSync(path.join(ROOT, 'dist'), path.dirname(cli), { recursive: true });
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});
afterEach(() => h?.cleanup());

const file = (name: string): string => stateFile(h, name);
const readJson = (name: string): Record<string, any> => JSON.parse(readFileSync(file(name), 'utf8'));
const payload = (o: Parameters<typeof statuslinePayload>[1] = {}) => statuslinePayload(h.configDir, o);
const seedQuota = (extra: Record<string, unknown> = {}) => seedQuotaIn(h.accountDir, extra);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function statusline(stdin: string, args: string[] = []): Run {
  const t0 = Date.now();
  const r = spawnSync('node', [cli, 'statusline', ...args], { input: stdin, env: h.env(), encoding: 'utf8', timeout: 20_000, cwd: h.home });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

describe('cco statusline (built CLI)', () => {
  it('a payload with rate_limits: prints official figures and saves every window and the session context', () => {
    h = tempHome();
    seedQuota();
    const limits = subscriberLimits();
    const r = statusline(payload({ rateLimits: limits }));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 1.2k tok/min\n');

    const q = readJson('quota-tracker.json');
    expect(q.readings).toEqual([
      { window: 'five_hour', usedPercentage: 42, resetsAt: new Date(limits.five_hour.resets_at * 1000).toISOString(), capturedAt: expect.any(String) },
      { window: 'seven_day', usedPercentage: 18.3, resetsAt: new Date(limits.seven_day.resets_at * 1000).toISOString(), capturedAt: expect.any(String) },
    ]);
    expect(Math.abs(Date.parse(q.readings[0].capturedAt) - Date.now())).toBeLessThan(20_000);
    expect(Object.keys(q.seen)).toEqual(['msg_1:req_1']); // the hooks' data is kept as it was

    const s = readJson('session-tracker.json').sessions[SID];
    expect(s.statusline).toEqual({
      usedPercentage: 31,
      usedTokens: 62_000,
      windowSize: 200_000,
      model: 'claude-opus-4-5',
      capturedAt: q.readings[0].capturedAt,
    });
    expect(s).toMatchObject({
      sessionId: SID,
      cwd: '/home/me/proj',
      transcriptPath: `${h.configDir}/projects/-home-me-proj/${SID}.jsonl`,
      source: 'statusline',
      entries: 0,
    });
  });

  it('the same payload again writes nothing (both files keep their bytes and mtime) and prints the same line', () => {
    h = tempHome();
    const body = payload({ rateLimits: subscriberLimits() });
    const first = statusline(body);
    const stamp = (n: string) => ({ mtime: statSync(file(n)).mtimeMs, text: readFileSync(file(n), 'utf8') });
    const before = [stamp('quota-tracker.json'), stamp('session-tracker.json'), stamp('cco/quota-durable.json')];
    const second = statusline(body);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect([stamp('quota-tracker.json'), stamp('session-tracker.json'), stamp('cco/quota-durable.json')]).toEqual(before);
    // no lock left, no log: only the state files and the durable mirror of the readings (the quota
    // tracker and its mirror are the account's; the session's context is the config dir's)
    expect(readdirSync(h.configDir).sort()).toEqual(['session-tracker.json']);
    expect(readdirSync(h.accountDir).sort()).toEqual(['quota-durable.json', 'quota-tracker.json']);
    // A changed figure is saved: one more reading, the session's context updated.
    const moved = statusline(body.replace('"used_percentage":42', '"used_percentage":43').replace('"used_percentage":31', '"used_percentage":32'));
    expect(moved.stdout).toMatch(/^5h 43%● /);
    expect(readJson('quota-tracker.json').readings.map((x: { usedPercentage: number }) => x.usedPercentage)).toEqual([42, 18.3, 43]);
    expect(readJson('session-tracker.json').sessions[SID].statusline.usedPercentage).toBe(32);
  });

  it('before the first response (null context fields, no rate_limits): n/a with why, nulls saved', () => {
    h = tempHome();
    const r = statusline(payload({ beforeFirstResponse: true }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('5h 0%~ · 7d n/a (no rate_limits) · ctx n/a (no response yet) · 0 tok/min\n');
    expect(existsSync(file('quota-tracker.json'))).toBe(false); // nothing official to save
    expect(readJson('session-tracker.json').sessions[SID].statusline).toMatchObject({ usedPercentage: null, usedTokens: null, windowSize: 200_000 });
  });

  it('without rate_limits (API key): the transcript estimate, marked ~, with the window reset; the quota file is not written', () => {
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
    seedQuota({ blocks: [block] });
    const mtime = statSync(file('quota-tracker.json')).mtimeMs;
    const r = statusline(payload());
    expect(r.code).toBe(0);
    // 36,000 counted of the pro preset's 200,000 = 18 %; the window ends 4 h from now.
    expect(r.stdout).toMatch(/^5h 18%~ ↻(3h59m|4h00m) · 7d n\/a \(no rate_limits\) · ctx 31%● · 1\.2k tok\/min\n$/);
    expect(statSync(file('quota-tracker.json')).mtimeMs).toBe(mtime);
  });

  it('stdin that is not JSON: exit 0, one line with n/a and why, nothing written', () => {
    h = tempHome();
    const r = statusline('this is {not json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('5h 0%~ · 7d n/a (stdin is not JSON) · ctx n/a (stdin is not JSON) · 0 tok/min\n');
    expect(existsSync(h.configDir)).toBe(false);
    expect(statusline('').stdout).toContain('ctx n/a (no input on stdin)');
    expect(statusline('[]').stdout).toContain('ctx n/a (stdin JSON is not an object)');
  });

  it('an official reading whose reset has passed is not shown as current, and a stale payload window is not saved', () => {
    h = tempHome();
    const past = new Date(Date.now() - MIN).toISOString();
    seedQuota({ readings: [{ window: 'five_hour', usedPercentage: 97, resetsAt: past, capturedAt: new Date(Date.now() - 3 * 60 * MIN).toISOString() }] });
    const r = statusline(payload());
    expect(r.stdout).toMatch(/^5h 0%~ · 7d n\/a/);
    expect(r.stdout).not.toContain('97');
    const stale = statusline(payload({ rateLimits: { five_hour: { used_percentage: 88, resets_at: nowSec() - 10 } } }));
    expect(stale.stdout).toMatch(/^5h 0%~ · 7d n\/a \(not reported\)/);
    expect(readJson('quota-tracker.json').readings.map((x: { usedPercentage: number }) => x.usedPercentage)).toEqual([97]);
  });

  it('a bad option is a usage error (exit 2, one line on stderr); a corrupt state file still prints a line and exits 0', () => {
    h = tempHome();
    expect(statusline(payload(), ['--frobnicate'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `cco statusline: unknown option --frobnicate; see node "${cli}" statusline --help\n`,
    });
    expect(statusline(payload(), ['--wrap-mode', 'loud'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `cco statusline: --wrap-mode must be append or silent, not "loud"; see node "${cli}" statusline --help\n`,
    });
    mkdirSync(h.accountDir, { recursive: true });
    writeFileSync(file('quota-tracker.json'), '{"version":1,"blocks":');
    const r = statusline(payload({ rateLimits: subscriberLimits() }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^5h 42%● ↻1h23m · 7d 18%● · ctx 31%●/);
    // The corrupt file was moved aside (never deleted) and the readings saved in a new one.
    expect(readdirSync(h.accountDir).some((f) => f.startsWith('quota-tracker.json.corrupt-'))).toBe(true);
    expect(readJson('quota-tracker.json').readings).toHaveLength(2);
  });
});

describe('cco statusline --wrap', () => {
  /** A fake user status line: copies its stdin aside and prints one line. */
  function theirCommand(): { cmd: string; copy: string } {
    const copy = path.join(h.home, 'their-stdin.json');
    const script = path.join(h.home, 'my line.sh');
    writeFileSync(script, `#!/bin/sh\ncat > "${copy}"\necho "main ✓ ~/proj"\n`, { mode: 0o755 });
    return { cmd: `"${script}" --flag 'x y'`, copy };
  }

  it('append (default): their output first, ours after it on the same line; they get the same stdin', () => {
    h = tempHome();
    const { cmd, copy } = theirCommand();
    const body = payload({ rateLimits: subscriberLimits() });
    const r = statusline(body, ['--wrap', cmd]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('main ✓ ~/proj | 5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok/min\n');
    expect(readFileSync(copy, 'utf8')).toBe(body);
  });

  it('silent: only their output, while ours is still saved', () => {
    h = tempHome();
    const { cmd } = theirCommand();
    const r = statusline(payload({ rateLimits: subscriberLimits() }), ['--wrap', cmd, '--wrap-mode', 'silent']);
    expect(r).toMatchObject({ code: 0, stdout: 'main ✓ ~/proj\n' });
    expect(readJson('quota-tracker.json').readings).toHaveLength(2);
    expect(readJson('session-tracker.json').sessions[SID].statusline.usedPercentage).toBe(31);
  });

  it('their command failing or hanging: ours alone, within the 3 s limit, exit 0', () => {
    h = tempHome();
    const failed = statusline(payload({ rateLimits: subscriberLimits() }), ['--wrap', 'echo partial; exit 3']);
    expect(failed).toMatchObject({ code: 0, stdout: '5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok/min\n' });
    const hung = statusline(payload(), ['--wrap=sleep 30; echo late']);
    expect(hung.code).toBe(0);
    expect(hung.stdout).toMatch(/^5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok\/min\n$/);
    expect(hung.ms).toBeLessThan(8_000);
  });

  it('the exact command install.sh writes into settings runs through sh and wraps theirs', () => {
    h = tempHome();
    const { cmd } = theirCommand();
    const command = ourStatusLineCommand(repo, { command: cmd, silent: false });
    const r = spawnSync('/bin/sh', ['-c', command], { input: payload({ rateLimits: subscriberLimits() }), env: h.env(), encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('main ✓ ~/proj | 5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok/min\n');
  });
});
