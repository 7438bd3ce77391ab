import { describe, expect, it } from 'vitest';
import type { ProcessProbe } from '../../src/claude/process-memory.ts';
import { ConfigSchema, defaultConfig } from '../../src/config/config.ts';
import {
  contextFigure,
  isLiveByClock,
  lastActivityMs,
  resumeCommand,
  sessionsToLoad,
  sessionsView,
  shortProject,
  type SessionsViewInputs,
} from '../../src/quota/sessions-view.ts';
import type { SessionRecord, SessionTracker } from '../../src/store/schemas.ts';
import type { SessionUsage } from '../../src/usage/session-usage.ts';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2025, 8, 3, 12, 34, 0);
const WINDOW = { startMs: Date.UTC(2025, 8, 3, 10, 0, 0), endMs: Date.UTC(2025, 8, 3, 15, 0, 0), source: 'official' };
const iso = (ms: number) => new Date(ms).toISOString();

/** A session a hook saw `agoMs` before NOW (not ended). */
function rec(id: string, agoMs: number, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId: id,
    cwd: `/home/me/work/${id}`,
    transcriptPath: null,
    model: 'claude-sonnet-4-5',
    source: 'startup',
    startedAt: iso(NOW - 2 * H),
    lastSeenAt: iso(NOW - agoMs),
    endedAt: null,
    endReason: null,
    tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    entries: 0,
    firstUsageAt: null,
    lastUsageAt: null,
    tools: {},
    context: null,
    hookEvents: { PostToolUse: 3 },
    ...over,
  };
}

const tracker = (...ss: SessionRecord[]): SessionTracker => ({ version: 1, sessions: Object.fromEntries(ss.map((s) => [s.sessionId, s])) });
const use = (windowTokens: number, burnPerMin: number): SessionUsage => ({ windowTokens, burnPerMin, lastUsageMs: null, entries: 1, untimed: 0 });
const probe = (pid: number, alive: boolean, rssBytes: number | null = null): ProcessProbe => ({
  pid,
  alive,
  rssBytes,
  source: alive ? '/proc/<pid>/status VmRSS' : 'process gone',
});

function inputs(over: Partial<SessionsViewInputs> = {}): SessionsViewInputs {
  return {
    tracker: null,
    usage: new Map(),
    processes: new Map(),
    window: WINDOW,
    windowTokens: 2_000,
    config: defaultConfig(),
    nowMs: NOW,
    home: '/home/me',
    ...over,
  };
}

describe('live vs not live', () => {
  it('seen exactly 10 min ago is live; 10 min and 1 ms ago is idle', () => {
    const v = sessionsView(inputs({ tracker: tracker(rec('edge', 10 * MIN), rec('past', 10 * MIN + 1)) }));
    expect(v.live.map((s) => s.sessionId)).toEqual(['edge']);
    expect(v.recent).toEqual([
      {
        sessionId: 'past',
        project: '~/work/past',
        cwd: '/home/me/work/past',
        status: 'idle',
        endReason: null,
        processRunning: null,
        atMs: NOW - 10 * MIN - 1,
        resume: 'claude --resume past',
      },
    ]);
  });

  it('liveWithinMin is configurable', () => {
    const config = ConfigSchema.parse({ sessions: { liveWithinMin: 30 } });
    const v = sessionsView(inputs({ config, tracker: tracker(rec('a', 25 * MIN)) }));
    expect(v.live).toHaveLength(1);
    expect(v.liveWithinMin).toBe(30);
  });

  it('an ended session is never live, even seen just now; listed with its resume command for 24 h', () => {
    const ended = rec('e1', 0, { endedAt: iso(NOW - MIN), endReason: 'prompt_input_exit' });
    const old = rec('e2', 0, { endedAt: iso(NOW - 24 * H - 1), endReason: 'other' });
    const v = sessionsView(inputs({ tracker: tracker(ended, old) }));
    expect(v.live).toEqual([]);
    expect(v.recent).toHaveLength(1);
    expect(v.recent[0]).toMatchObject({ sessionId: 'e1', status: 'ended', endReason: 'prompt_input_exit', atMs: NOW - MIN, resume: 'claude --resume e1' });
  });

  it('a dead CLAUDE_PID marks a recently seen session "process gone", not live', () => {
    const s = rec('crashed', MIN, { claudePid: 4242 });
    const v = sessionsView(inputs({ tracker: tracker(s), processes: new Map([[4242, probe(4242, false)]]) }));
    expect(v.live).toEqual([]);
    expect(v.recent[0]).toMatchObject({ sessionId: 'crashed', status: 'process gone', processRunning: false, atMs: NOW - MIN });
  });

  it('an unknown pid, or one not probed, leaves a recently seen session live', () => {
    const v = sessionsView(inputs({ tracker: tracker(rec('a', MIN, { claudePid: 7 }), rec('b', MIN)) }));
    expect(v.live.map((s) => s.sessionId)).toEqual(['a', 'b']);
    expect(v.live[0]!.memory).toEqual({ pid: 7, rssBytes: null, source: 'not probed' });
    expect(v.live[1]!.memory).toEqual({ pid: null, rssBytes: null, source: 'no CLAUDE_PID recorded' });
  });

  it('an idle session whose process still runs says so', () => {
    const v = sessionsView(inputs({ tracker: tracker(rec('i', H, { claudePid: 9 })), processes: new Map([[9, probe(9, true, 1)]]) }));
    expect(v.recent[0]).toMatchObject({ status: 'idle', processRunning: true });
  });

  it('a record only a transcript scan created is judged by its last response, not by when the scan found it', () => {
    const scanned = rec('scan', 0, { hookEvents: {}, source: 'transcript', lastUsageAt: iso(NOW - 3 * H) });
    expect(lastActivityMs(scanned)).toBe(NOW - 3 * H);
    const v = sessionsView(inputs({ tracker: tracker(scanned) }));
    expect(v.live).toEqual([]);
    expect(v.recent[0]).toMatchObject({ sessionId: 'scan', status: 'idle', atMs: NOW - 3 * H });
    // ...and one with a recent response is live
    expect(isLiveByClock({ ...scanned, lastUsageAt: iso(NOW - 2 * MIN) }, 10, NOW)).toBe(true);
    // no hook, no response, no statusline: no activity at all
    expect(lastActivityMs({ ...scanned, lastUsageAt: null })).toBeNull();
  });

  it('activity is the latest of hook, response and statusline', () => {
    const s = rec('x', 30 * MIN, {
      lastUsageAt: iso(NOW - 20 * MIN),
      statusline: { usedPercentage: 10, usedTokens: 20_000, windowSize: 200_000, model: 'm', capturedAt: iso(NOW - 5 * MIN) },
    });
    expect(lastActivityMs(s)).toBe(NOW - 5 * MIN);
  });

  it('orders live sessions oldest start first and the others newest first', () => {
    const v = sessionsView(
      inputs({
        tracker: tracker(
          rec('young', MIN, { startedAt: iso(NOW - H) }),
          rec('old', MIN, { startedAt: iso(NOW - 3 * H) }),
          rec('gone1', 2 * H),
          rec('gone2', 20 * MIN),
        ),
      }),
    );
    expect(v.live.map((s) => s.sessionId)).toEqual(['old', 'young']);
    expect(v.recent.map((s) => s.sessionId)).toEqual(['gone2', 'gone1']);
  });
});

describe('share of the window and burn rate', () => {
  it("share = the session's counted tokens in the window over all counted tokens in it", () => {
    const v = sessionsView(
      inputs({
        tracker: tracker(rec('a', MIN), rec('b', 2 * MIN), rec('c', 3 * MIN)),
        usage: new Map([
          ['a', use(500, 12.5)],
          ['b', use(1_000, 40)],
        ]),
        windowTokens: 2_000,
      }),
    );
    const by = Object.fromEntries(v.live.map((s) => [s.sessionId, s]));
    expect(by.a).toMatchObject({ windowTokens: 500, sharePct: 25, burnPerMin: 12.5 });
    expect(by.b).toMatchObject({ windowTokens: 1_000, sharePct: 50, burnPerMin: 40 });
    expect(by.c).toMatchObject({ windowTokens: null, sharePct: null, burnPerMin: null }); // transcripts unreadable
    expect(v.liveWindowTokens).toBe(1_500);
    expect(v.liveSharePct).toBe(75);
    expect(v.liveBurnPerMin).toBe(52.5);
  });

  it('no share without a window or without tokens in it', () => {
    const t = tracker(rec('a', MIN));
    const usage = new Map([['a', use(0, 0)]]);
    expect(sessionsView(inputs({ tracker: t, usage, window: null })).live[0]!.sharePct).toBeNull();
    expect(sessionsView(inputs({ tracker: t, usage, windowTokens: 0 })).live[0]!.sharePct).toBeNull();
    expect(sessionsView(inputs({ tracker: t, usage, windowTokens: 0 })).liveSharePct).toBeNull();
  });

  it("memory: the probe's RSS for a live process", () => {
    const v = sessionsView(inputs({ tracker: tracker(rec('a', MIN, { claudePid: 321 })), processes: new Map([[321, probe(321, true, 300 * 1024 * 1024)]]) }));
    expect(v.live[0]!.memory).toEqual({ pid: 321, rssBytes: 300 * 1024 * 1024, source: '/proc/<pid>/status VmRSS' });
  });
});

describe('concurrency warning', () => {
  const many = (n: number) => tracker(...Array.from({ length: n }, (_, k) => rec(`s${k}`, MIN)));

  it('9 live sessions with the default maximum of 8 warn; 8 do not', () => {
    const nine = sessionsView(inputs({ tracker: many(9) }));
    expect(nine.maxConcurrent).toBe(8);
    expect(nine.warning).toMatch(/^9 live sessions, more than 8 \(sessions\.maxConcurrent\)/);
    expect(sessionsView(inputs({ tracker: many(8) })).warning).toBeNull();
  });

  it('ended and idle sessions do not count toward the maximum', () => {
    const t = many(8);
    t.sessions.x = rec('x', MIN, { endedAt: iso(NOW - MIN) });
    t.sessions.y = rec('y', 11 * MIN);
    expect(sessionsView(inputs({ tracker: t })).warning).toBeNull();
  });

  it('the maximum is configurable', () => {
    const config = ConfigSchema.parse({ sessions: { maxConcurrent: 2 } });
    expect(sessionsView(inputs({ config, tracker: many(3) })).warning).toMatch(/^3 live sessions, more than 2/);
    expect(() => ConfigSchema.parse({ sessions: { maxConcurrent: 0 } })).toThrow();
  });
});

describe('context % source precedence', () => {
  // claude-sonnet-4-5: a 200k window that Claude Code compacts only when a prompt no longer fits: 200,000 usable
  const cfg = defaultConfig().context;
  const measured = { tokens: 90_000, timeMs: NOW - 20 * MIN, source: 'usage' as const };
  const sl = (agoMs: number, pct: number | null) => ({
    usedPercentage: pct,
    usedTokens: 84_000,
    windowSize: 200_000,
    model: 'm',
    capturedAt: iso(NOW - agoMs),
  });

  it('a statusline reading captured exactly 10 min ago wins (of the whole window)', () => {
    expect(contextFigure(rec('a', 0, { context: measured, statusline: sl(10 * MIN, 42) }), cfg, NOW)).toEqual({
      pct: 42,
      basis: 'window',
      ofTokens: 200_000,
      source: 'statusline, 10 min old',
    });
    expect(contextFigure(rec('a', 0, { context: measured, statusline: sl(30_000, 42) }), cfg, NOW).source).toBe('statusline');
  });

  it("an older statusline reading gives way to the transcript's, over the usable limit", () => {
    expect(contextFigure(rec('a', 0, { context: measured, statusline: sl(10 * MIN + 1, 42) }), cfg, NOW)).toEqual({
      pct: 45,
      basis: 'usable limit',
      ofTokens: 200_000,
      source: 'measured, last response',
    }); // 90,000 / 200,000
  });

  it('a statusline reading without a percentage gives way too; none at all is n/a', () => {
    expect(contextFigure(rec('a', 0, { context: measured, statusline: sl(0, null) }), cfg, NOW).pct).toBe(45);
    expect(contextFigure(rec('a', 0), cfg, NOW)).toEqual({ pct: null, basis: 'usable limit', ofTokens: 200_000, source: 'no response yet' });
  });

  it('a 1M model and a compaction reading keep their own limit and source', () => {
    const s = rec('a', 0, { model: 'claude-sonnet-4-5[1m]', context: { tokens: 45_000, timeMs: NOW, source: 'compaction' } });
    expect(contextFigure(s, cfg, NOW)).toEqual({ pct: 4.5, basis: 'usable limit', ofTokens: 1_000_000, source: 'measured, after compaction' });
    const opus = rec('b', 0, { model: 'claude-opus-5-5', context: { tokens: 96_700, timeMs: NOW, source: 'usage' } });
    expect(contextFigure(opus, cfg, NOW)).toEqual({ pct: 10, basis: 'usable limit', ofTokens: 967_000, source: 'measured, last response' });
  });

  it('a model whose window is unknown gives no %, and says why', () => {
    const s = rec('a', 0, { model: 'claude-foo-1', context: measured });
    expect(contextFigure(s, cfg, NOW)).toEqual({ pct: null, basis: 'usable limit', ofTokens: null, source: 'window unknown for claude-foo-1' });
  });

  it('the view carries the figure for each live session', () => {
    const v = sessionsView(inputs({ tracker: tracker(rec('a', MIN, { statusline: sl(MIN, 61.5) })) }));
    expect(v.live[0]!.context).toMatchObject({ pct: 61.5, source: 'statusline, 1 min old' });
  });
});

describe('sessionsToLoad', () => {
  it('live candidates by the clock, and the pids of sessions not ended within 24 h', () => {
    const t = tracker(
      rec('live', MIN, { claudePid: 1 }),
      rec('idle', 2 * H, { claudePid: 2 }),
      rec('ancient', 25 * H, { claudePid: 3 }),
      rec('ended', MIN, { claudePid: 4, endedAt: iso(NOW - MIN) }),
      rec('nopid', MIN),
    );
    const r = sessionsToLoad(t, defaultConfig(), NOW);
    expect(r.live.map((s) => s.sessionId).sort()).toEqual(['live', 'nopid']);
    expect(r.pids.sort()).toEqual([1, 2]);
    expect(sessionsToLoad(null, defaultConfig(), NOW)).toEqual({ live: [], pids: [] });
  });
});

describe('shortProject and resumeCommand', () => {
  it('home becomes ~; long paths keep their last segments', () => {
    expect(shortProject('/home/me/work/proj', '/home/me')).toBe('~/work/proj');
    expect(shortProject('/home/me', '/home/me')).toBe('~');
    expect(shortProject('/home/meow/x', '/home/me')).toBe('/home/meow/x');
    expect(shortProject('/srv/a/very/deep/tree/of/folders/for/my-project', null, 24)).toBe('…/folders/for/my-project');
    expect(shortProject('/x/' + 'n'.repeat(40), null, 10)).toBe('…' + 'n'.repeat(9));
    expect(shortProject(null, '/home/me')).toBe('(unknown directory)');
  });

  it('quotes an id that is not plain', () => {
    expect(resumeCommand('4ce5b0a1-0000-4000-8000-000000000000')).toBe('claude --resume 4ce5b0a1-0000-4000-8000-000000000000');
    expect(resumeCommand("a b'c")).toBe(`claude --resume 'a b'\\''c'`);
  });
});
