import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTracker } from '../helpers/spawn-bundle.ts';
import { mockPool, type ScriptTurn, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';
import { startTui, tmuxAvailable } from './tmux.ts';

// The models a person runs today: the CLI's default (claude-opus-5-5), another 5.x and a 4.x. cco's
// context window for each must be the CLI's own figure (the status line's context_window_size in the
// TUI), and its levels and alerts must scale to it: ~131,000 tokens is 13 % of a 1M window (no alert)
// but 65 % of claude-sonnet-4-5's 200,000 (the 50 % alert).
const MODELS = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-sonnet-4-5'] as const;
const CONTEXT = 131_000;
const usage = (n: number): Usage => ({ input_tokens: 10 + n, cache_creation_input_tokens: 500, cache_read_input_tokens: CONTEXT - 510 - n, output_tokens: 20 });

const mocks = mockPool();
let plugin: Sandbox;
let plain: Sandbox;

/** What the CLI's status line gets for `model` in the TUI (its stdin, captured by a command that saves it). */
async function statuslineWindow(model: string): Promise<number> {
  const file = path.join(plain.root, `statusline-${model}.json`);
  const mock = await mocks.start([{ text: 'hello', usage: usage(0) }]);
  const settings = JSON.stringify({ statusLine: { type: 'command', command: `cat > '${file}'; echo ok` } });
  const tui = startTui(plain, { mockUrl: mock.url, args: ['--model', model, '--settings', settings] });
  try {
    const size = () => {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { context_window?: { context_window_size?: number } }).context_window?.context_window_size ?? null;
      } catch {
        return null;
      }
    };
    await tui.waitFor(() => tui.capture().includes('❯'), 30_000, 'the prompt');
    tui.submit('hi');
    await tui.waitFor(() => size() !== null, 30_000, `the status line payload of ${model}`);
    return size()!;
  } finally {
    tui.close();
  }
}

/** cco's context status of a `-p` session of `model` with three tool calls at ~131,000 tokens each. */
async function ccoSession(model: string): Promise<{ windowSize: number | null; usableLimit: number | null; notices: string[]; delivered: number[] }> {
  const script: ScriptTurn[] = [
    ...[1, 2, 3].map((i): ScriptTurn => ({ tool: { name: 'Bash', input: { command: `echo ${i}`, description: `step ${i}` } }, usage: usage(i) })),
    { text: 'done', usage: usage(4) },
  ];
  const mock = await mocks.start(script, { beforeAnswer: () => syncTracker(plugin.env()).then(() => undefined) });
  const res = await runClaude(['-p', 'three steps', '--model', model, '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash'], {
    sandbox: plugin,
    mockUrl: mock.url,
  });
  expect(res.code, res.stderr).toBe(0);
  const lines = res.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; subtype?: string; content?: string; session_id?: string });
  const sid = lines.find((l) => l.type === 'result')!.session_id!;
  await syncTracker(plugin.env());
  const ctx = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.mjs'), 'context', '--json', '--session', sid], {
    env: plugin.env(),
    encoding: 'utf8',
    cwd: plugin.projectDir,
  });
  expect(ctx.status, ctx.stderr).toBe(0);
  const status = (JSON.parse(ctx.stdout) as { status: { windowSize: number | null; usableLimit: number | null } }).status;
  const tracker = JSON.parse(readFileSync(path.join(plugin.configDir, 'session-tracker.json'), 'utf8')) as {
    sessions: Record<string, { contextAlerts?: { delivered: number[] } }>;
  };
  return {
    ...status,
    notices: lines.filter((l) => l.type === 'system' && l.subtype === 'informational').map((l) => l.content ?? ''),
    delivered: tracker.sessions[sid]?.contextAlerts?.delivered ?? [],
  };
}

describe.skipIf(!tmuxAvailable())('the context window of the models people run, as Claude Code sizes it', () => {
  beforeAll(() => {
    plugin = makeSandbox();
    installPlugin(plugin);
    plain = makeSandbox();
  }, 300_000);

  afterAll(async () => {
    await mocks.closeAll();
    plugin?.cleanup();
    plain?.cleanup();
  });

  for (const model of MODELS) {
    it(`${model}: cco's window is the CLI's context_window_size, and the alerts scale to it`, async () => {
      const cli = await statuslineWindow(model);
      const cco = await ccoSession(model);
      expect(cco.windowSize).toBe(cli);
      const contextNotices = cco.notices.filter((c) => c.includes('cco: context'));
      if (cli >= 1_000_000) {
        // 131,000 of a 1M window: 13.5 % of the 967,000 Claude Code compacts at; no alert.
        expect(cco.usableLimit).toBe(cli - 33_000);
        expect(cco.delivered).toEqual([]);
        expect(contextNotices).toEqual([]);
      } else {
        // claude-sonnet-4-5 compacts only when a prompt no longer fits: 131,000 of 200,000 is 65.5 %, shown as 65 % (rounded down).
        expect(cco.usableLimit).toBe(cli);
        expect(cco.delivered).toEqual([50]);
        expect(contextNotices.filter((c) => c.includes('cco: context at 65% of the usable limit (131,0'))).toHaveLength(1);
      }
    }, 180_000);
  }
});
