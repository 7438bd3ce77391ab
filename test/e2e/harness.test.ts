import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CLAUDE_CODE_VERSION } from './claude-version.ts';
import { requestContains, startMockApi, sumUsage } from './mock-anthropic.ts';
import type { MockApi, ScriptTurn, Usage } from './mock-anthropic.ts';
import { claudeBin } from './paths.ts';
import { makeSandbox, runClaude } from './sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { assistantResponses, readTranscript, transcriptPath } from './transcript.ts';

const U1: Usage = { input_tokens: 1001, cache_creation_input_tokens: 300, cache_read_input_tokens: 5000, output_tokens: 42 };
const U2: Usage = { input_tokens: 17, cache_creation_input_tokens: 0, cache_read_input_tokens: 6301, output_tokens: 7 };

interface CliResult {
  session_id: string;
  result: string;
  is_error: boolean;
  num_turns: number;
  usage: Usage;
}

let mock: MockApi | undefined;
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await mock?.close();
  sandbox?.cleanup();
  mock = undefined;
  sandbox = undefined;
});

/** Starts a mock with `script`, runs `claude <args>` in a fresh sandbox, parses the JSON result. */
async function runScripted(script: ScriptTurn[], args: string[]): Promise<{ mock: MockApi; sb: Sandbox; out: CliResult }> {
  mock = await startMockApi(script);
  sandbox = makeSandbox();
  const res = await runClaude(args, { sandbox, mockUrl: mock.url, timeoutMs: 120_000 });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return { mock, sb: sandbox, out: JSON.parse(res.stdout) as CliResult };
}

/** Asserts that the session transcript exists and its responses match what the mock served. */
function expectTranscriptMatchesMock(sb: Sandbox, m: MockApi, sessionId: string): void {
  const file = transcriptPath(sb.configDir, sb.projectDir, sessionId);
  expect(existsSync(file)).toBe(true);
  const responses = assistantResponses(readTranscript(file));
  const main = m.requests.filter((r) => r.kind === 'main');
  expect(responses.map((r) => r.requestId)).toEqual(main.map((r) => r.requestId));
  responses.forEach((resp, i) => {
    expect(resp.messageId).toBe(`msg_mock_${main[i]?.n}`);
    expect(resp.usage).toMatchObject({ ...main[i]?.usage });
  });
}

describe(`claude ${CLAUDE_CODE_VERSION} -p against the offline mock`, () => {
  it('uses the cached pinned binary', () => {
    expect(inject('claudeBin')).toBe(claudeBin());
    expect(existsSync(claudeBin())).toBe(true);
  });

  it('answers a plain prompt and records requestId and usage in the transcript', async () => {
    const { mock: m, sb, out } = await runScripted([{ text: 'hi there', usage: U1 }], ['-p', 'say hi', '--output-format', 'json']);
    expect(out.is_error).toBe(false);
    expect(out.result).toBe('hi there');
    expect(m.requests.map((r) => [r.kind, r.consumedTurn])).toEqual([['main', true]]);
    expect(requestContains(m.requests[0]!, 'say hi')).toBe(true);
    expect(out.usage).toMatchObject({ ...U1 });
    expectTranscriptMatchesMock(sb, m, out.session_id);
  });

  it('runs a scripted Bash tool call and feeds the result back', async () => {
    const script: ScriptTurn[] = [
      { tool: { name: 'Bash', input: { command: 'echo hello-from-mock', description: 'say hello' } }, usage: U1 },
      { text: 'All done.', usage: U2 },
    ];
    const { mock: m, sb, out } = await runScripted(script, ['-p', 'run echo', '--output-format', 'json', '--allowedTools', 'Bash']);
    expect(out.result).toBe('All done.');
    expect(out.num_turns).toBe(2);
    expect(m.requests.map((r) => [r.kind, r.turnIndex])).toEqual([
      ['main', 0],
      ['main', 1],
    ]);
    expect(requestContains(m.requests[1]!, 'hello-from-mock')).toBe(true);
    expect(out.usage).toMatchObject({ ...sumUsage(m.requests) });
    expectTranscriptMatchesMock(sb, m, out.session_id);
  });

  it('sends a plugin slash command expansion (with shell output) to the model', async () => {
    mock = await startMockApi([]);
    sandbox = makeSandbox();
    const plugin = path.join(sandbox.root, 'probe-plugin');
    mkdirSync(path.join(plugin, '.claude-plugin'), { recursive: true });
    mkdirSync(path.join(plugin, 'commands'));
    writeFileSync(path.join(plugin, '.claude-plugin', 'plugin.json'), JSON.stringify({ name: 'probe' }));
    writeFileSync(path.join(plugin, 'commands', 'hello.md'), '---\ndescription: x\n---\nShell: !`echo MARK-$((40+2))`\nArgs: $ARGUMENTS\n');
    const res = await runClaude(['-p', '/probe:hello a b', '--output-format', 'json', '--plugin-dir', plugin], {
      sandbox,
      mockUrl: mock.url,
    });
    expect(res.code).toBe(0);
    const [req] = mock.requests;
    expect(mock.requests).toHaveLength(1);
    expect(req && requestContains(req, 'Shell: MARK-42')).toBe(true);
    expect(req && requestContains(req, 'Args: a b')).toBe(true);
    expect(req?.consumedTurn).toBe(false);
  });
});
