// The way people install plugins: a marketplace added from a git URL, `claude plugin install`, then a
// session. Claude Code copies the repository at the installed commit and runs no build (reference §11), so
// this proves the committed dist/ is what the hooks, commands and status line need; npm is made to fail
// (offline, empty cache) as on a machine without network, which must not matter either.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGit, type GitHttp } from './git-http.ts';
import { requestText, startMockApi, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

const U: Usage[] = [
  { input_tokens: 1_301, cache_creation_input_tokens: 2_200, cache_read_input_tokens: 7_000, output_tokens: 61 },
  { input_tokens: 17, cache_creation_input_tokens: 380, cache_read_input_tokens: 9_500, output_tokens: 44 },
];

let sb: Sandbox;
let git: GitHttp;
let installPath: string;
const npmOffline = (): Record<string, string> => ({ npm_config_offline: 'true', npm_config_cache: mkdtempSync(path.join(sb.root, 'npm-')) });

/**
 * Runs `claude <args>` in the sandbox (plugin management: no model involved). Asynchronously: the git
 * server answering the clone runs in this process.
 */
async function claude(args: string[]): Promise<string> {
  const r = await runClaude(args, { sandbox: sb, env: npmOffline(), timeoutMs: 180_000 });
  expect(r.code, `claude ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The installed plugin's own CLI. */
function cco(args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(installPath, 'dist', 'cli.mjs'), ...args], {
    cwd: sb.projectDir,
    env: sb.env(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('installed from a git marketplace, as people install plugins', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    const served = path.join(sb.root, 'git');
    mkdirSync(served);
    // What a user gets is the commit, never this working tree: a bare clone of HEAD.
    const clone = spawnSync('git', ['clone', '--quiet', '--bare', REPO_ROOT, path.join(served, 'cco.git')], { encoding: 'utf8' });
    expect(clone.status, clone.stderr).toBe(0);
    git = await serveGit(served);
    await claude(['plugin', 'marketplace', 'add', git.url('cco')]);
    await claude(['plugin', 'install', 'cco@cco-local']);
    const installed = JSON.parse(readFileSync(path.join(sb.configDir, 'plugins', 'installed_plugins.json'), 'utf8')) as {
      plugins: Record<string, Array<{ installPath: string }>>;
    };
    installPath = installed.plugins['cco@cco-local']![0]!.installPath;
  }, 300_000);

  afterAll(async () => {
    await git?.close();
    sb?.cleanup();
  });

  it('every hook of a session runs from the installed copy without an error, and the session is counted', async () => {
    expect(installPath.startsWith(path.join(sb.configDir, 'plugins', 'cache'))).toBe(true);
    const mock = await startMockApi([
      // Claude Code puts an enabled plugin's bin/ on the Bash tool's PATH: `cco` works there.
      { tool: { name: 'Bash', input: { command: 'command -v cco && cco help', description: 'run cco' } }, usage: U[0]! },
      { text: 'Done.', usage: U[1]! },
    ]);
    try {
      const res = await runClaude(['-p', 'run cco', '--output-format', 'stream-json', '--verbose', '--include-hook-events', '--allowedTools', 'Bash'], {
        sandbox: sb,
        mockUrl: mock.url,
      });
      expect(res.code, res.stderr).toBe(0);
      const records = res.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const hooks = records.filter((r) => r.type === 'system' && r.subtype === 'hook_response');
      const names = hooks.map((h) => String(h.hook_event_name ?? h.hook_name));
      expect(names.join(' '), res.stdout.slice(0, 3_000)).toMatch(/SessionStart/);
      expect(names.join(' ')).toMatch(/PostToolUse/);
      for (const h of hooks) {
        expect(h.exit_code, JSON.stringify(h)).toBe(0);
        expect(String(h.stderr ?? ''), JSON.stringify(h)).not.toMatch(/Cannot find module|Error/);
      }
      // The tool result the model got back: where `cco` was found, and what it printed.
      const result = requestText(mock.requests.filter((r) => r.kind === 'main')[1]!);
      expect(result).toContain(path.join(installPath, 'bin', 'cco'));
      expect(result).toMatch(/Usage:/);
      const sessionId = String(records.find((r) => typeof r.session_id === 'string')!.session_id);
      cco(['sync']);
      const tracker = JSON.parse(readFileSync(path.join(sb.configDir, 'session-tracker.json'), 'utf8')) as {
        sessions: Record<string, { tokens: Usage; entries: number }>;
      };
      const s = tracker.sessions[sessionId]!;
      expect(s.entries).toBe(2);
      expect(s.tokens.input_tokens).toBe(U[0]!.input_tokens + U[1]!.input_tokens);
      expect(s.tokens.cache_read_input_tokens).toBe(U[0]!.cache_read_input_tokens + U[1]!.cache_read_input_tokens);
    } finally {
      await mock.close();
    }
  }, 180_000);

  it('/cco:session-status shows those tokens in the request the model receives', async () => {
    const counted = U.reduce((n, u) => n + u.input_tokens + u.output_tokens + u.cache_creation_input_tokens, 0);
    const mock = await startMockApi([{ text: 'relayed', usage: U[1]! }]);
    try {
      const res = await runClaude(['-p', '/cco:session-status', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
      expect(res.code, res.stderr).toBe(0);
      const text = requestText(mock.requests.find((r) => r.kind === 'main')!);
      expect(text).toContain('CLAUDE CODE SESSION STATUS');
      expect(text).toContain(`${counted.toLocaleString('en-US')} tokens counted in the window (measured)`);
    } finally {
      await mock.close();
    }
  }, 180_000);

  it('/cco:setup sets the status line from inside Claude Code, and it runs the installed plugin', async () => {
    const mock = await startMockApi([{ text: 'relayed', usage: U[1]! }]);
    try {
      const res = await runClaude(['-p', '/cco:setup', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
      expect(res.code, res.stderr).toBe(0);
      const text = requestText(mock.requests.find((r) => r.kind === 'main')!);
      expect(text).toContain(`set statusLine to cco statusline in ${path.join(sb.configDir, 'settings.json')}`);
      expect(text).toContain('added the commands /session-status');
    } finally {
      await mock.close();
    }
    const settings = JSON.parse(readFileSync(path.join(sb.configDir, 'settings.json'), 'utf8')) as { statusLine: { command: string } };
    const launcher = path.join(sb.configDir, 'cco', 'plugin', 'dist', 'statusline.cjs');
    expect(settings.statusLine.command).toBe(`node "${launcher}"`);
    const payload = JSON.stringify({ session_id: 's', context_window: { context_window_size: 1_000_000, used_percentage: 3 } });
    const line = spawnSync('sh', ['-c', settings.statusLine.command], { input: payload, env: sb.env(), encoding: 'utf8' });
    expect(line.status, line.stderr).toBe(0);
    expect(line.stdout).toMatch(/^5h \S+ .* · ctx 3%●( · [^\n]+)?\n$/);
  }, 180_000);
});
