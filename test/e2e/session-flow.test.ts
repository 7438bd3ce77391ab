import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, sumUsage, requestText, type MockApi, type ScriptTurn, type Usage } from './mock-anthropic.ts';
import { syncTracker } from '../helpers/spawn-bundle.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// Distinct, known usage per turn so that any double count or miss changes the sums.
const U: Usage[] = [
  { input_tokens: 1201, cache_creation_input_tokens: 3100, cache_read_input_tokens: 9000, output_tokens: 57 },
  { input_tokens: 13, cache_creation_input_tokens: 410, cache_read_input_tokens: 12100, output_tokens: 88 },
  { input_tokens: 7, cache_creation_input_tokens: 233, cache_read_input_tokens: 12510, output_tokens: 131 },
  { input_tokens: 5, cache_creation_input_tokens: 95, cache_read_input_tokens: 12743, output_tokens: 19 },
];

interface SessionState {
  sessions: Record<
    string,
    {
      tokens: Usage;
      entries: number;
      hookEvents: Record<string, number>;
      tools: Record<string, { calls: number; tokens: number }>;
      cwd: string;
      context: { tokens: number } | null;
    }
  >;
}

let sb: Sandbox;
let mock: MockApi;
let sessionId: string;

/** The sandbox's cco.log (what the background tracker did), for a failure message. */
function trackerLog(): string {
  try {
    return `cco.log:\n${readFileSync(path.join(sb.configDir, 'cco', 'logs', 'cco.log'), 'utf8').slice(-4_000)}`;
  } catch {
    return 'no cco.log';
  }
}

describe('a real Claude Code session with the cco plugin installed', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    installPlugin(sb, 120_000);
    writeFileSync(path.join(sb.projectDir, 'notes.txt'), 'alpha\nbeta\n');
    const script: ScriptTurn[] = [
      { tool: { name: 'Read', input: { file_path: path.join(sb.projectDir, 'notes.txt') } }, usage: U[0]! },
      { tool: { name: 'Bash', input: { command: 'echo cco-e2e-bash', description: 'echo a marker' } }, usage: U[1]! },
      { tool: { name: 'Edit', input: { file_path: path.join(sb.projectDir, 'notes.txt'), old_string: 'beta', new_string: 'gamma' } }, usage: U[2]! },
      { text: 'Edited notes.txt.', usage: U[3]! },
    ];
    mock = await startMockApi(script);
    const res = await runClaude(
      ['-p', 'read notes.txt, echo a marker, then replace beta with gamma', '--output-format', 'json', '--allowedTools', 'Read,Bash,Edit'],
      { sandbox: sb, mockUrl: mock.url },
    );
    expect(res.code, res.stderr).toBe(0);
    sessionId = (JSON.parse(res.stdout) as { session_id: string }).session_id;
    // The hooks hand their events to the background tracker: wait until it has tracked them all, as every
    // reporting `cco` command does, before the state files are read below.
    await syncTracker(sb.env());
  });

  afterAll(async () => {
    await mock?.close();
    sb?.cleanup();
  });

  it('registered the plugin through install.sh with the real CLI', () => {
    const settings = JSON.parse(readFileSync(path.join(sb.configDir, 'settings.json'), 'utf8')) as { enabledPlugins?: Record<string, boolean> };
    expect(settings.enabledPlugins?.['cco@cco-local']).toBe(true);
    expect(readFileSync(path.join(sb.projectDir, 'notes.txt'), 'utf8')).toBe('alpha\ngamma\n');
  });

  it('ran our hooks for the session: SessionStart, one PostToolUse per tool call, Stop', () => {
    const st = JSON.parse(readFileSync(path.join(sb.configDir, 'session-tracker.json'), 'utf8')) as SessionState;
    const s = st.sessions[sessionId];
    expect(s, `session ${sessionId} tracked`).toBeDefined();
    expect(s!.hookEvents.SessionStart).toBe(1);
    expect(s!.hookEvents.PostToolUse).toBe(3);
    expect(s!.hookEvents.Stop).toBeGreaterThanOrEqual(1);
    expect(s!.cwd).toBe(sb.projectDir);
    expect(Object.fromEntries(Object.entries(s!.tools).map(([k, v]) => [k, v.calls]))).toEqual({ Read: 1, Bash: 1, Edit: 1 });
  });

  it('recorded exactly the usage the API served, by the accounting rule', () => {
    const served = sumUsage(mock.requests);
    expect(mock.requests.filter((r) => r.kind === 'main')).toHaveLength(4);
    const st = JSON.parse(readFileSync(path.join(sb.configDir, 'session-tracker.json'), 'utf8')) as SessionState;
    const s = st.sessions[sessionId]!;
    expect(s.entries, trackerLog()).toBe(4);
    expect(s.tokens).toEqual({
      input_tokens: served.input_tokens,
      output_tokens: served.output_tokens,
      cache_creation_input_tokens: served.cache_creation_input_tokens,
      cache_read_input_tokens: served.cache_read_input_tokens,
    });
    const last = U[3]!;
    expect(s.context?.tokens).toBe(last.input_tokens + last.cache_creation_input_tokens + last.cache_read_input_tokens);
    const quota = JSON.parse(
      readFileSync(path.join(sb.home, '.local', 'state', 'claude-code-optimizer', 'accounts', 'default', 'quota-tracker.json'), 'utf8'),
    ) as { blocks: { tokens: Usage; entries: number }[] };
    expect(quota.blocks).toHaveLength(1);
    expect(quota.blocks[0]!.tokens).toEqual(s.tokens);
  });

  it('/cco:session-status puts the report with those numbers into the request the model receives', async () => {
    const served = sumUsage(mock.requests);
    const counted = served.input_tokens + served.output_tokens + served.cache_creation_input_tokens;
    const statusMock = await startMockApi([{ text: 'relayed', usage: U[3]! }]);
    try {
      const res = await runClaude(['-p', '/cco:session-status', '--output-format', 'json'], { sandbox: sb, mockUrl: statusMock.url });
      expect(res.code, res.stderr).toBe(0);
      const main = statusMock.requests.filter((r) => r.kind === 'main');
      expect(main).toHaveLength(1);
      const text = requestText(main[0]!);
      expect(text).toContain('CLAUDE CODE SESSION STATUS');
      // The `!` command runs with CLAUDE_CODE_SESSION_ID, so the report is about the session that asked.
      const statusSession = (JSON.parse(res.stdout) as { session_id: string }).session_id;
      expect(text).toContain(`${statusSession}  (this session)`);
      expect(text).toMatch(
        new RegExp(
          `Used\\s+${(counted / 2000).toFixed(1)}%  \\(estimate, pro preset, no plan set\\) · ${counted.toLocaleString('en-US')} tokens counted in the window \\(measured\\)`,
        ),
      );
      expect(text).toContain('pro: 200,000 tokens / 5h  (estimate, pro preset, no plan set)');
      // one provenance tag per figure, never nested
      expect(text).not.toMatch(/\((estimate|measured|official)[^()\n]*\(/);
      expect(text).toContain('SESSION WINDOW');
      expect(text).toContain('CONTEXT WINDOW');
      expect(text).toContain('COMBINED HEALTH');
    } finally {
      await statusMock.close();
    }
  });
});
