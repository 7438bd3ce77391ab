import { describe, expect, it } from 'vitest';
import { contextStatus } from '../../src/context/context-status.ts';
import { quotaStatus, type QuotaInputs } from '../../src/quota/quota-status.ts';
import { renderSessionStatus, type SessionStatusView } from '../../src/render/session-status.ts';
import type { SessionRecord } from '../../src/store/schemas.ts';
import { buildBlocks } from '../../src/usage/blocks.ts';
import { DEFAULT_WEIGHTS, type TokenCounts } from '../../src/usage/tokens.ts';
import type { ContextReading } from '../../src/claude/transcript-digest.ts';

const MIN = 60_000;
const H = 60 * MIN;
const START = Date.UTC(2025, 8, 3, 10, 0, 0);
const NOW = START + 2 * H + 34 * MIN; // 2025-09-03 12:34 UTC

const tk = (i: number, o: number, cc: number, cr: number): TokenCounts => ({
  input_tokens: i,
  output_tokens: o,
  cache_creation_input_tokens: cc,
  cache_read_input_tokens: cr,
});
// counted 50,000 in the block 10:00-15:00
const blocks = buildBlocks([
  { key: 'a', sessionId: 's', timeMs: START + 5 * MIN, model: 'm', tokens: tk(1000, 1000, 20_000, 200_000) },
  { key: 'b', sessionId: 's', timeMs: START + 2 * H + 10 * MIN, model: 'm', tokens: tk(0, 1000, 27_000, 300_000) },
]);
// A configured usable share (0.9 of 200,000 = 180,000), so the figures below are round.
const ctxCfg = { usableFraction: 0.9, thresholds: [50, 80, 90] };

function quota(over: Partial<QuotaInputs> = {}) {
  return quotaStatus({
    plan: 'pro',
    budget: { tokens: 200_000, source: 'estimate, pro preset' },
    blocks,
    readings: [],
    weights: DEFAULT_WEIGHTS,
    thresholds: [10, 25, 50, 75, 90, 95],
    recent: [
      [NOW - 29 * MIN, tk(1000, 2000, 0, 0)],
      [NOW, tk(0, 0, 3000, 0)],
    ], // 6,000 in 30 min = 200/min
    perToolCall: { tokens: 60_000, calls: 20, perCall: 3000 },
    nowMs: NOW,
    ...over,
  });
}

const session: SessionRecord = {
  sessionId: 'sess-123',
  cwd: '/work/proj',
  transcriptPath: null,
  model: 'claude-sonnet-4-5',
  source: 'startup',
  startedAt: '2025-09-03T10:05:00.000Z',
  lastSeenAt: '2025-09-03T12:30:00.000Z',
  endedAt: null,
  endReason: null,
  tokens: tk(1000, 500, 2000, 90_000),
  entries: 12,
  firstUsageAt: null,
  lastUsageAt: null,
  tools: {
    Edit: { calls: 1, tokens: 10 },
    Read: { calls: 7, tokens: 700 },
    Glob: { calls: 3, tokens: 30 },
    Bash: { calls: 5, tokens: 50 },
    Grep: { calls: 2, tokens: 20 },
  },
  context: null,
  hookEvents: {},
  agentType: null,
};

function view(over: Partial<SessionStatusView> & { reading?: ContextReading | null; model?: string | null } = {}): SessionStatusView {
  const { reading = { tokens: 100_000, timeMs: NOW, source: 'usage' }, model = 'claude-sonnet-4-5', ...rest } = over;
  return {
    nowMs: NOW,
    session,
    sessionChosenBy: 'CLAUDE_CODE_SESSION_ID',
    quota: quota(),
    context: contextStatus(reading, model, ctxCfg),
    weights: DEFAULT_WEIGHTS,
    ...rest,
  };
}

const row = (label: string, value: string) => `  ${label.padEnd(18)} ${value}`;
const lines = (s: string) => s.split('\n');

describe('renderSessionStatus: an active window and a measured context', () => {
  const out = renderSessionStatus(view());
  const ls = lines(out);

  it('has a header with the time, the three sections and ends with a newline', () => {
    expect(ls[0]).toBe('CLAUDE CODE SESSION STATUS  ·  2025-09-03 12:34 UTC');
    for (const h of ['SESSION WINDOW', 'TOKEN QUOTA  (rolling 5-hour window)', 'CONTEXT WINDOW', 'COMBINED HEALTH']) expect(ls).toContain(h);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('session window: start, expiry, elapsed, remaining, progress', () => {
    expect(ls).toContain(row('Status', 'ACTIVE  (estimate, from transcripts)'));
    expect(ls).toContain(row('Started', '2025-09-03 10:00 UTC'));
    expect(ls).toContain(row('Expires', '2025-09-03 15:00 UTC  (start + 5h)'));
    expect(ls).toContain(row('Elapsed', '2h 34m / 5h'));
    expect(ls).toContain(row('Remaining', '2h 26m'));
    // 154 of 300 minutes = 51.3%; 20 x 0.513 = 10.3 -> 10 cells
    expect(ls).toContain(row('Progress', '[##########..........] 51.3%'));
  });

  it('session: id, how it was chosen, counted tokens, responses, every tool, agent, cwd', () => {
    expect(ls).toContain(row('Session', 'sess-123  (CLAUDE_CODE_SESSION_ID)'));
    // counted = 1,000 + 500 + 2,000 (cache reads not counted)
    expect(ls).toContain(row('Session tokens', '3,500 counted · 12 responses  (measured)'));
    expect(ls).toContain(row('Tool calls', '18  (Read 7, Bash 5, Glob 3, Grep 2, Edit 1)  (measured)'));
    expect(ls).toContain(row('Agent', 'main'));
    expect(ls).toContain(row('Working dir', '/work/proj'));
  });

  it('token quota: plan, used tokens and %, remaining, burn, runway, reset, level, next alert', () => {
    expect(ls).toContain(row('Plan', 'pro: 200,000 tokens / 5h  (estimate, pro preset)'));
    expect(ls).toContain(row('Used', '25.0%  (estimate, pro preset) · 50,000 tokens counted in the window (measured)'));
    expect(ls).toContain(row('Remaining', '150,000 tokens  (estimate, pro preset)'));
    expect(ls).toContain(row('Usage', '[#####...............] 25.0%'));
    expect(ls).toContain(row('Burn rate', '200 tokens/min over the last 30 min, all sessions  (measured)'));
    // 150,000 / 200 = 750 min = 12h 30m, longer than the 2h 26m left in the window
    expect(ls).toContain(
      row(
        'Runway',
        '~12h 30m (outlasts the window)  (estimate, at the current burn rate) · ~50 tool calls at 3,000 tokens per tool call (measured, counted tokens / tool calls of your sessions)',
      ),
    );
    expect(ls).toContain(row('Reset', '2025-09-03 15:00 UTC  (in 2h 26m; estimate, from transcripts)'));
    expect(out).toContain(`${row('Status', 'GOOD: ')}`);
    expect(ls).toContain(row('Next alert', 'at 50% (~50,000 tokens away)'));
  });

  it('context: limit, used tokens and %, remaining, fill, level, next alert', () => {
    expect(ls).toContain(row('Model', 'claude-sonnet-4-5'));
    expect(ls).toContain(row('Window', '200,000 tokens  (model table of Claude Code 2.1.329, claude-sonnet-4-5)'));
    expect(ls).toContain(row('Limit', '180,000 usable of 200,000  (config, context.usableFraction 0.9)'));
    // 100,000 / 180,000 = 55.6%
    expect(ls).toContain(row('Used', '100,000 tokens · 55.6% of usable  (measured, last response)'));
    expect(ls).toContain(row('Remaining', '80,000 tokens'));
    expect(ls).toContain(row('Fill', '[###########.........] 55.6%'));
    expect(out).toContain(row('Status', 'MODERATE: '));
    // 80% of 180,000 = 144,000
    expect(ls).toContain(row('Next alert', 'at 80% (~44,000 tokens away)'));
  });

  it('combined health is the worse of the two: context MODERATE -> CAUTION', () => {
    expect(ls.at(-2)).toBe('  CAUTION: context is MODERATE; prefer focused tasks.');
  });
});

describe('renderSessionStatus: before the first response, no window, no session', () => {
  const v = view({
    session: null,
    reading: null,
    model: null,
    quota: quota({ nowMs: START + 5 * H + 1, recent: [] }),
    nowMs: START + 5 * H + 1,
  });
  const out = renderSessionStatus(v);
  const ls = lines(out);

  it('says there is no window and no session', () => {
    expect(ls).toContain(row('Status', 'NO ACTIVE 5-HOUR WINDOW (your next request starts one)'));
    expect(ls).toContain(row('Session', 'none tracked yet'));
    expect(ls).toContain(row('Reset', 'no window open'));
    expect(ls.some((l) => l.startsWith('  Started'))).toBe(false);
    expect(ls.some((l) => l.startsWith('  Session tokens'))).toBe(false);
  });

  it('quota: nothing used, idle runway with the tool-call runway, next alert at 10%', () => {
    expect(ls).toContain(row('Used', '0.0%  (estimate, pro preset) · 0 tokens counted in the window (measured)'));
    expect(ls).toContain(
      row(
        'Runway',
        'idle (no usage in the last 30 min); ~66 tool calls at 3,000 tokens per tool call (measured, counted tokens / tool calls of your sessions)',
      ),
    ); // 200,000 / 3,000
    expect(ls).toContain(row('Next alert', 'at 10% (~20,000 tokens away)'));
  });

  it('context shows n/a, not zeros', () => {
    expect(ls).toContain(row('Model', 'unknown'));
    expect(ls).toContain(row('Used', 'n/a  (no response yet)'));
    expect(ls).toContain(row('Status', 'n/a'));
    expect(ls).toContain(row('Next alert', 'n/a'));
    expect(ls.some((l) => l.startsWith('  Fill'))).toBe(false);
  });

  it('combined health is HEALTHY', () => {
    expect(ls.at(-2)).toBe('  HEALTHY: quota and context both have room; carry on.');
  });
});

describe('renderSessionStatus: combined health and runway variants', () => {
  const health = (v: SessionStatusView) => lines(renderSessionStatus(v)).at(-2);

  it('quota DANGER (92.6%) with a fresh context is CRITICAL, naming the quota', () => {
    expect(
      health(view({ quota: quota({ budget: { tokens: 54_000, source: 'estimate, pro preset' } }), reading: { tokens: 1_000, timeMs: NOW, source: 'usage' } })),
    ).toBe('  CRITICAL: quota is DANGER; save a handoff now (/cco:save-and-restart).');
  });

  it('context WARNING (130k of 180k) with quota GOOD is AT RISK, naming the context', () => {
    expect(health(view({ reading: { tokens: 130_000, timeMs: NOW, source: 'usage' } }))).toBe(
      '  AT RISK: context is WARNING; keep steps small and plan a handoff.',
    );
  });

  it('on a tie the quota is named', () => {
    // 50,000 of 60,000 = 83.3% HIGH USAGE (rank 2) vs context WARNING (rank 2)
    expect(
      health(
        view({ quota: quota({ budget: { tokens: 60_000, source: 'estimate, pro preset' } }), reading: { tokens: 130_000, timeMs: NOW, source: 'usage' } }),
      ),
    ).toBe('  AT RISK: quota is HIGH USAGE; keep steps small and plan a handoff.');
  });

  it('context past the usable limit is CRITICAL, naming the context', () => {
    expect(health(view({ reading: { tokens: 180_000, timeMs: NOW, source: 'compaction' } }))).toBe(
      '  CRITICAL: context is CRITICAL; save a handoff now (/cco:save-and-restart).',
    );
  });

  it('a runway shorter than the window is not marked as outlasting it', () => {
    // 300,000 cache-creation tokens in the last 30 min = 10,000/min; 150,000 left -> 15 min
    const out = renderSessionStatus(view({ quota: quota({ recent: [[NOW, tk(0, 0, 300_000, 0)]] }) }));
    expect(lines(out)).toContain(
      row(
        'Runway',
        '~15m  (estimate, at the current burn rate) · ~50 tool calls at 3,000 tokens per tool call (measured, counted tokens / tool calls of your sessions)',
      ),
    );
    expect(lines(out)).toContain(row('Burn rate', '10,000 tokens/min over the last 30 min, all sessions  (measured)'));
  });

  it('names every tool up to eight, then "+N more"; "1 response", not "1 responses"', () => {
    const names = ['Read', 'Edit', 'Write', 'Grep', 'Glob', 'Bash', 'TodoWrite', 'WebFetch', 'Task', 'NotebookEdit'];
    const tools = Object.fromEntries(names.map((n, i) => [n, { calls: 10 - i, tokens: 1 }]));
    const ls = lines(renderSessionStatus(view({ session: { ...session, entries: 1, tools } })));
    expect(ls).toContain(row('Tool calls', '55  (Read 10, Edit 9, Write 8, Grep 7, Glob 6, Bash 5, TodoWrite 4, +3 more)  (measured)'));
    expect(ls).toContain(row('Session tokens', '3,500 counted · 1 response  (measured)'));
    const eight = Object.fromEntries(names.slice(0, 8).map((n, i) => [n, { calls: 10 - i, tokens: 1 }]));
    expect(lines(renderSessionStatus(view({ session: { ...session, tools: eight } })))).toContain(
      row('Tool calls', '52  (Read 10, Edit 9, Write 8, Grep 7, Glob 6, Bash 5, TodoWrite 4, WebFetch 3)  (measured)'),
    );
  });

  it('counts session tokens with the given weights and shows a subagent type', () => {
    const out = renderSessionStatus(
      view({
        weights: { input: 1, output: 1, cacheCreation: 1, cacheRead: 0.1 },
        session: { ...session, agentType: 'Explore', tools: {} },
      }),
    );
    // 1,000 + 500 + 2,000 + 9,000
    expect(lines(out)).toContain(row('Session tokens', '12,500 counted · 12 responses  (measured)'));
    expect(lines(out)).toContain(row('Tool calls', '0  (measured)'));
    expect(lines(out)).toContain(row('Agent', 'Explore'));
  });
});
