import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestText, startMockApi, type MockApi, type ScriptTurn } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// A 10,000-token custom budget. Counted = input + output + cache creation:
// turn 1: 500 + 100 + 4,900 = 5,500 (55 %); turn 2: +100 + 100 + 2,300 = 8,000 (80 %); turn 3: +101.
const script: ScriptTurn[] = [
  { tool: { name: 'Bash', input: { command: 'echo one', description: 'first' } }, usage: { input_tokens: 500, output_tokens: 100, cache_creation_input_tokens: 4_900, cache_read_input_tokens: 20_000 } },
  { tool: { name: 'Bash', input: { command: 'echo two', description: 'second' } }, usage: { input_tokens: 100, output_tokens: 100, cache_creation_input_tokens: 2_300, cache_read_input_tokens: 24_900 } },
  { text: 'done', usage: { input_tokens: 1, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 27_300 } },
];

let sb: Sandbox;
let mock: MockApi;
let events: { type: string; subtype?: string; content?: string }[];

describe('quota alerts in a real Claude Code session', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    execFileSync('bash', [path.join(REPO_ROOT, 'install.sh'), '--register-only', '--yes'], { cwd: REPO_ROOT, env: sb.env(), encoding: 'utf8', timeout: 180_000 });
    mkdirSync(path.join(sb.configDir, 'cco'), { recursive: true });
    writeFileSync(path.join(sb.configDir, 'cco', 'config.json'), JSON.stringify({ plan: 'custom', customBudget: 10_000, quota: { desktopNotifications: false } }));
    mock = await startMockApi(script);
    const res = await runClaude(['-p', 'run two commands', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash'], { sandbox: sb, mockUrl: mock.url });
    expect(res.code, res.stderr).toBe(0);
    events = res.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as { type: string });
  }, 300_000);

  afterAll(async () => {
    await mock?.close();
    sb?.cleanup();
  });

  it('shows the person our systemMessage when the session crosses 50 %', () => {
    const notices = events.filter((e) => e.type === 'system' && e.subtype === 'informational').map((e) => e.content ?? '');
    const fifty = notices.filter((c) => /PostToolUse:Bash says: cco: 50% of the 5-hour quota reached: 55\.0% used \(estimate \(custom budget\)\)/.test(c));
    expect(fifty, JSON.stringify(notices)).toHaveLength(1);
    expect(notices.filter((c) => /cco: 75% of the 5-hour quota reached: 80\.0% used/.test(c))).toHaveLength(1);
  });

  it('tells the model to plan smaller steps in the next request once past 75 %', () => {
    const main = mock.requests.filter((r) => r.kind === 'main');
    expect(main).toHaveLength(3);
    const note = "The user's Claude Code 5-hour usage window is 80% used";
    expect(requestText(main[1]!)).not.toContain(note);
    expect(requestText(main[2]!)).toContain(note);
  });
});
