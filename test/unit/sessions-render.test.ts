import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.ts';
import { sessionsView, type SessionsViewInputs } from '../../src/quota/sessions-view.ts';
import { fmtBytes, renderSessions, renderSessionsSection } from '../../src/render/sessions.ts';
import type { SessionRecord } from '../../src/store/schemas.ts';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2025, 8, 3, 12, 34, 0);
const WINDOW = { startMs: Date.UTC(2025, 8, 3, 10, 0, 0), endMs: Date.UTC(2025, 8, 3, 15, 0, 0), source: 'official' };
const iso = (ms: number) => new Date(ms).toISOString();
const ID_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ID_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const ID_E = 'eeeeeeee-0000-4000-8000-000000000003';

function rec(id: string, agoMs: number, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId: id,
    cwd: '/home/me/work/proj',
    transcriptPath: null,
    model: 'claude-sonnet-4-5',
    source: 'startup',
    startedAt: iso(NOW - 2 * H - 29 * MIN),
    lastSeenAt: iso(NOW - agoMs),
    endedAt: null,
    endReason: null,
    tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    entries: 0,
    firstUsageAt: null,
    lastUsageAt: null,
    tools: {},
    context: null,
    hookEvents: { Stop: 1 },
    ...over,
  };
}

function view(over: Partial<SessionsViewInputs> = {}) {
  const a = rec(ID_A, MIN, {
    claudePid: 500,
    context: { tokens: 70_000, timeMs: NOW, source: 'usage' },
  });
  const b = rec(ID_B, 2 * MIN, {
    cwd: '/home/me/other',
    startedAt: iso(NOW - 10 * MIN),
    model: null,
    statusline: { usedPercentage: 42, usedTokens: 84_000, windowSize: 200_000, model: 'm', capturedAt: iso(NOW - 3 * MIN) },
  });
  const e = rec(ID_E, 3 * H + 22 * MIN, { endedAt: iso(NOW - 3 * H - 22 * MIN), endReason: 'prompt_input_exit', cwd: '/home/me/done' });
  return sessionsView({
    tracker: { version: 1, sessions: { [ID_A]: a, [ID_B]: b, [ID_E]: e } },
    usage: new Map([[ID_A, { windowTokens: 21_000, burnPerMin: 700, lastUsageMs: NOW, entries: 30, untimed: 0 }]]),
    processes: new Map([[500, { pid: 500, alive: true, rssBytes: 412 * 1024 * 1024, source: '/proc/<pid>/status VmRSS' }]]),
    window: WINDOW,
    windowTokens: 50_000,
    config: defaultConfig(),
    nowMs: NOW,
    home: '/home/me',
    ...over,
  });
}

const sub = (label: string, value: string) => `      ${label.padEnd(14)} ${value}`;
const row = (label: string, value: string) => `  ${label.padEnd(18)} ${value}`;

describe('renderSessionsSection', () => {
  const ls = renderSessionsSection(view());

  it('header, live count with the rule and the warning threshold, the window', () => {
    expect(ls[0]).toBe('SESSIONS ON THIS MACHINE');
    expect(ls).toContain(row('Live', '2  (active within 10 min, not ended, process not gone) · warning above 8'));
    expect(ls).toContain(row('Window', '2025-09-03 10:00 UTC to 2025-09-03 15:00 UTC  (official) · 50,000 tokens counted  (measured)'));
    expect(ls).toContain(row('Live together', "42.0% of the window's tokens · 700 tokens/min over the last 30 min  (measured)"));
    expect(ls.some((l) => l.includes('WARNING'))).toBe(false);
  });

  it('a live session with measured share, burn, context and memory', () => {
    const at = ls.indexOf(`  ● ~/work/proj  ·  ${ID_A}  ·  claude-sonnet-4-5`);
    expect(at).toBeGreaterThan(0);
    expect(ls.slice(at + 1, at + 6)).toEqual([
      sub('Started', '2025-09-03 10:05 UTC  (2h 29m ago)'),
      sub('Window share', '42.0%  (21,000 of 50,000 tokens; measured)'),
      sub('Burn rate', '700 tokens/min over the last 30 min  (measured)'),
      sub('Context', '35.0% of 200,000 usable  (measured, last response)'), // 70,000 / 200,000: claude-sonnet-4-5 compacts at the window
      sub('Memory', '412 MiB RSS, pid 500  (measured: /proc/<pid>/status VmRSS)'),
    ]);
  });

  it('a live session with a statusline context, unreadable transcripts and no pid', () => {
    const at = ls.indexOf(`  ● ~/other  ·  ${ID_B}`);
    expect(at).toBeGreaterThan(0);
    expect(ls.slice(at + 1, at + 6)).toEqual([
      sub('Started', '2025-09-03 12:24 UTC  (10m ago)'),
      sub('Window share', 'n/a  (transcripts unreadable)'),
      sub('Burn rate', 'n/a  (transcripts unreadable)'),
      sub('Context', '42.0% of the 200,000-token window  (statusline, 3 min old)'),
      sub('Memory', 'n/a  (no CLAUDE_PID recorded)'),
    ]);
  });

  it('ended sessions with their resume command on the next line', () => {
    const at = ls.indexOf('  ○ ~/done  ·  ended 2025-09-03 09:12 UTC (3h 22m ago; prompt_input_exit)');
    expect(at).toBeGreaterThan(0);
    expect(ls[at + 1]).toBe(`      claude --resume ${ID_E}`);
  });

  it('the warning line above the maximum', () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, k) => [`s${k}`, rec(`s${k}`, MIN)]));
    const out = renderSessionsSection(view({ tracker: { version: 1, sessions: many } }));
    expect(out).toContain(
      row('WARNING', '9 live sessions, more than 8 (sessions.maxConcurrent): they all draw on the same 5-hour window; finish or close some.'),
    );
  });

  it('no window, nothing live, and a cap on the not-live list', () => {
    const old = Object.fromEntries(Array.from({ length: 4 }, (_, k) => [`o${k}`, rec(`o${k}`, (k + 1) * H, { cwd: null })]));
    const out = renderSessionsSection(view({ tracker: { version: 1, sessions: old }, window: null }), { maxRecent: 3 });
    expect(out).toContain(row('Live', 'none  (active within 10 min, not ended, process not gone)'));
    expect(out).toContain(row('Window', 'no 5-hour window open'));
    expect(out.filter((l) => l.startsWith('  ○ (unknown directory)  ·  idle since'))).toHaveLength(3);
    expect(out.at(-1)).toBe('  … and 1 more  (cco sessions --json lists them all)');
  });
});

describe('renderSessions', () => {
  it('wraps the section with a timed header and ends with a newline', () => {
    const out = renderSessions(view());
    expect(out.split('\n')[0]).toBe('CLAUDE CODE SESSIONS  ·  2025-09-03 12:34 UTC');
    expect(out.split('\n')[2]).toBe('SESSIONS ON THIS MACHINE');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('fmtBytes uses binary units', () => {
    expect(fmtBytes(512 * 1024)).toBe('512 KiB');
    expect(fmtBytes(412 * 1024 * 1024)).toBe('412 MiB');
    expect(fmtBytes(1.25 * 1024 ** 3)).toBe('1.25 GiB');
  });
});
