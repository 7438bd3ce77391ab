import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTracker } from '../helpers/spawn-bundle.ts';
import { mockPool, type RecordedRequest, type ScriptTurn, type Usage } from './mock-anthropic.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';
import { startTui, tmuxAvailable } from './tmux.ts';
import { escapeProjectPath, readTranscript } from './transcript.ts';

// Signed in as a subscriber (reference §11): a fake OAuth token and no API key, and the mock's answers
// carry the unified rate-limit headers, so the CLI gives the status line (cco's, set by install.sh) the
// official 5-hour utilization. It rises 8 % -> 27 % -> 41 % over three tool calls: the 25 % crossing is
// decided when the second call is tracked (at 27 %) and shown to the person at the turn's end (Stop), when
// the official figure is already 41 %. The person must be told 41 %, the figure at that moment.
const SUBSCRIBER = { env: { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat-fake-e2e' }, unset: ['ANTHROPIC_API_KEY'] };
const U: Usage = { input_tokens: 12, cache_creation_input_tokens: 40, cache_read_input_tokens: 3_000, output_tokens: 9 };
const UTIL = [0.08, 0.27, 0.41];

const mocks = mockPool();
let sb: Sandbox;
let resetSec: number;

/** The headers of the n-th main answer (1-based): the 5-hour and 7-day windows. */
function limits(req: RecordedRequest, mainSoFar: () => number): Record<string, string> {
  const u = UTIL[Math.min(mainSoFar(), UTIL.length) - 1] ?? UTIL.at(-1)!;
  void req;
  return {
    'anthropic-ratelimit-unified-5h-utilization': String(u),
    'anthropic-ratelimit-unified-5h-reset': String(resetSec),
    'anthropic-ratelimit-unified-7d-utilization': '0.12',
    'anthropic-ratelimit-unified-7d-reset': String(resetSec + 3 * 86_400),
    'anthropic-ratelimit-unified-status': 'allowed',
  };
}

/** The hook messages the person was shown in a session (attachments `hook_system_message` of its transcript). */
function shown(sessionFile: string): string[] {
  return readTranscript(sessionFile)
    .filter((r) => r.type === 'attachment' && r.attachment?.type === 'hook_system_message')
    .map((r) => JSON.stringify(r.attachment));
}

describe.skipIf(!tmuxAvailable())("a subscriber's quota alerts (official figures through the status line)", () => {
  beforeAll(() => {
    sb = makeSandbox();
    installPlugin(sb);
    resetSec = Math.floor(Date.now() / 1000) + 3 * 3_600;
  }, 300_000);

  afterAll(async () => {
    await mocks.closeAll();
    sb?.cleanup();
  });

  it('a crossing is shown with the official figure current when it is shown, not the one at the crossing', async () => {
    const dir = path.join(sb.configDir, 'projects', escapeProjectPath(sb.projectDir));
    const transcriptOf = (): string[] =>
      existsSync(dir)
        ? readdirSync(dir)
            .filter((n) => n.endsWith('.jsonl'))
            .map((n) => path.join(dir, n))
        : [];
    let main = 0;
    const script: ScriptTurn[] = [
      { tool: { name: 'Bash', input: { command: 'sleep 1; echo one', description: 'one' } }, usage: U },
      { tool: { name: 'Bash', input: { command: 'sleep 2; echo two', description: 'two' } }, usage: U },
      { tool: { name: 'Bash', input: { command: 'sleep 2; echo three', description: 'three' } }, usage: U },
      { text: 'All three done.', usage: U },
    ];
    const mock = await mocks.start(script, {
      // as a real API takes its time: what the hooks and the status line handed over is tracked first
      beforeAnswer: async (r) => {
        if (r.kind === 'main') main++;
        await syncTracker(sb.env());
      },
      headers: (r) => limits(r, () => main),
    });
    const tui = startTui(sb, { mockUrl: mock.url, args: ['--allowedTools', 'Bash'], ...SUBSCRIBER });
    try {
      await tui.waitFor(() => tui.capture().includes('❯'), 30_000, 'the prompt');
      tui.submit('run the three steps');
      await tui.waitFor(() => tui.capture().includes('All three done.'), 90_000, 'the end of the turn');
      // The person is shown the crossing at the turn's end (Stop), which runs after the answer is on screen.
      await tui.waitFor(() => transcriptOf().some((f) => shown(f).some((m) => m.includes('"hookEvent":"Stop"'))), 30_000, "the Stop hook's message");
    } finally {
      tui.close();
    }
    await syncTracker(sb.env());
    const file = transcriptOf()[0]!;
    const msgs = shown(file);
    const crossing = msgs.filter((m) => m.includes('cco: 25% of the 5-hour quota reached'));
    expect(crossing, JSON.stringify(msgs)).toHaveLength(1);
    expect(crossing[0]).toMatch(/cco: 25% of the 5-hour quota reached: 41\.0% used now \(official[^)]*\); resets /);
    expect(crossing[0]).not.toContain('27.0%');
  }, 240_000);

  it('a session started after the crossing is told where the window stands, once, not the old threshold', async () => {
    let main = 0;
    const mock = await mocks.start(
      [
        { tool: { name: 'Bash', input: { command: 'echo a', description: 'a' } }, usage: U },
        { tool: { name: 'Bash', input: { command: 'echo b', description: 'b' } }, usage: U },
        { text: 'ok', usage: U },
      ],
      {
        beforeAnswer: async (r) => {
          if (r.kind === 'main') main++;
          await syncTracker(sb.env());
        },
        headers: (r) => limits(r, () => main + UTIL.length),
      },
    );
    const res = await runClaude(['-p', 'two more steps', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash'], {
      sandbox: sb,
      mockUrl: mock.url,
      ...SUBSCRIBER,
    });
    expect(res.code, res.stderr).toBe(0);
    const notices = res.stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; subtype?: string; content?: string })
      .filter((e) => e.type === 'system' && e.subtype === 'informational')
      .map((e) => e.content ?? '');
    // Not the threshold crossed before it started (25 %). A threshold the window crosses while this session
    // runs (its own requests, or the first session's last one counted at its end) is news, and may be told.
    expect(
      notices.filter((c) => /cco: 25% of the 5-hour quota reached/.test(c)),
      JSON.stringify(notices),
    ).toEqual([]);
    // The official 41 % (plus, labelled "projected", what was counted since the status line saw it).
    const state = notices.map((c) => /cco: this 5-hour window is at (\d+\.\d)% used \(official[^)]*\); resets /.exec(c)).filter((m) => m !== null);
    expect(state, JSON.stringify(notices)).toHaveLength(1);
    expect(Number(state[0]![1])).toBeGreaterThanOrEqual(41);
  }, 240_000);
});
