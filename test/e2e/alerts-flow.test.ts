import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestText, startMockApi, type MockApi, type ScriptTurn } from './mock-anthropic.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// A 10,000-token custom budget. Counted = input + output + cache creation:
// turn 1: 500 + 100 + 4,900 = 5,500 (55 %); turn 2: +100 + 100 + 2,300 = 8,000 (80 %); turns 3-5: +101 each.
//
// The hooks leave the tracking to the background tracker, so what a tool call's response crosses is
// shown by the session's next hooks. PostToolUse runs async (Claude Code does not wait for it): it gives
// the model its note in a later request of the turn (the 75 % crossed by turn 2 is taken by the hook
// after tool 3; tool 4 takes 2 s, so it is in request 5), and the person sees the lines at the turn's end
// (Stop).
const script: ScriptTurn[] = [
  {
    tool: { name: 'Bash', input: { command: 'echo one', description: 'first' } },
    usage: { input_tokens: 500, output_tokens: 100, cache_creation_input_tokens: 4_900, cache_read_input_tokens: 20_000 },
  },
  {
    tool: { name: 'Bash', input: { command: 'echo two', description: 'second' } },
    usage: { input_tokens: 100, output_tokens: 100, cache_creation_input_tokens: 2_300, cache_read_input_tokens: 24_900 },
  },
  {
    tool: { name: 'Bash', input: { command: 'echo three', description: 'third' } },
    usage: { input_tokens: 1, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 27_300 },
  },
  {
    tool: { name: 'Bash', input: { command: 'sleep 2; echo four', description: 'fourth' } },
    usage: { input_tokens: 1, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 27_401 },
  },
  { text: 'done', usage: { input_tokens: 1, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 27_502 } },
];

/**
 * Until the background tracker has tracked every hook event so far (at most 10 s): a real API takes
 * seconds to answer, the tracker a fraction of one; waiting for the fact keeps the test exact on a slow machine.
 */
async function trackerIdle(configDir: string): Promise<void> {
  const spool = path.join(configDir, 'cco', 'spool');
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    // Entries and pokes waiting (src/front/spool.ts listSpool), or a tracker still at work.
    const waiting = existsSync(spool) ? readdirSync(spool).filter((n) => !n.startsWith('.') && (n.endsWith('.json') || n.startsWith('poke.'))) : [];
    if (waiting.length === 0 && !existsSync(path.join(configDir, 'cco', 'tracker.lock'))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

let sb: Sandbox;
let mock: MockApi;
let events: { type: string; subtype?: string; content?: string }[];

describe('quota alerts in a real Claude Code session', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    installPlugin(sb);
    mkdirSync(path.join(sb.configDir, 'cco'), { recursive: true });
    writeFileSync(
      path.join(sb.configDir, 'cco', 'config.json'),
      JSON.stringify({ plan: 'custom', customBudget: 10_000, quota: { desktopNotifications: false } }),
    );
    // The async tool-call hook is still starting when the next request arrives: a moment for it first.
    mock = await startMockApi(script, {
      beforeAnswer: async () => {
        await new Promise((r) => setTimeout(r, 500));
        await trackerIdle(sb.configDir);
      },
    });
    // The mock answers once the tracker is idle, as the real API answers seconds later; the tool-call
    // hook's throttle (2 s by default) is shortened to match this compressed time.
    const res = await runClaude(['-p', 'run four commands', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash'], {
      sandbox: sb,
      mockUrl: mock.url,
      env: { CCO_KICK_THROTTLE_MS: '0' },
    });
    expect(res.code, res.stderr).toBe(0);
    events = res.stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string });
  }, 300_000);

  afterAll(async () => {
    await mock?.close();
    sb?.cleanup();
  });

  it('shows the person each crossing once, at the end of the turn (Stop)', () => {
    const notices = events.filter((e) => e.type === 'system' && e.subtype === 'informational').map((e) => e.content ?? '');
    const fifty = notices.filter((c) =>
      /^Stop says: [\s\S]*cco: 50% of the 5-hour quota reached: \d+\.\d% used now \(estimate, customBudget of cco\/config\.json\)/.test(c),
    );
    expect(fifty, JSON.stringify(notices)).toHaveLength(1);
    expect(
      notices.filter((c) => /^Stop says: [\s\S]*cco: 75% of the 5-hour quota reached: \d+\.\d% used now/.test(c)),
      JSON.stringify(notices),
    ).toHaveLength(1);
    expect(notices.join('\n').match(/cco: \d+% of the 5-hour quota reached/g), JSON.stringify(notices)).toHaveLength(2);
    // The tool calls' hook (async) shows the person nothing: Claude Code waits for none of it.
    expect(
      notices.filter((c) => c.startsWith('PostToolUse')),
      JSON.stringify(notices),
    ).toEqual([]);
  });

  it('tells the model to plan smaller steps in a later request of the same turn once past 75 %', () => {
    const main = mock.requests.filter((r) => r.kind === 'main');
    expect(main).toHaveLength(5);
    const note = /The user's Claude Code 5-hour usage window is 8\d% used/;
    expect(requestText(main[2]!)).not.toMatch(note);
    expect(requestText(main[4]!)).toMatch(note);
  });
});
