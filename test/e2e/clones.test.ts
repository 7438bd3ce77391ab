import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTracker } from '../helpers/spawn-bundle.ts';
import { mainRequests, mockPool, requestText, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// One person, one account, two clones, each run with its own CLAUDE_CONFIG_DIR (the mitigation of the
// ~/.claude.json race). Both draw on one 5-hour window: each clone's /cco:session-status shows the sum.
// Counted tokens (input + output + cache creation): clone a 1,000 + 100 + 2,000 = 3,100; clone b 500 +
// 50 + 650 = 1,200; together 4,300.
const UA: Usage = { input_tokens: 1_000, cache_creation_input_tokens: 2_000, cache_read_input_tokens: 9_000, output_tokens: 100 };
const UB: Usage = { input_tokens: 500, cache_creation_input_tokens: 650, cache_read_input_tokens: 4_000, output_tokens: 50 };

const mocks = mockPool();
let sb: Sandbox;
let clones: { name: string; configDir: string; project: string; usage: Usage }[];

/** A second config dir in the same HOME, seeded like the sandbox's (onboarding done, its project trusted). */
function addConfigDir(name: string): { configDir: string; project: string } {
  const configDir = path.join(sb.home, `.claude-${name}`);
  const project = path.join(sb.root, `project-${name}`);
  mkdirSync(configDir, { recursive: true });
  mkdirSync(project, { recursive: true });
  const global = JSON.parse(readFileSync(path.join(sb.configDir, '.claude.json'), 'utf8')) as { projects: Record<string, unknown> };
  writeFileSync(path.join(configDir, '.claude.json'), JSON.stringify({ ...global, projects: { [project]: { hasTrustDialogAccepted: true } } }));
  return { configDir, project };
}

describe('two clones with their own CLAUDE_CONFIG_DIR, one account', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    clones = [
      { name: 'a', configDir: sb.configDir, project: sb.projectDir, usage: UA },
      { name: 'b', ...addConfigDir('b'), usage: UB },
    ];
    for (const c of clones) {
      execFileSync('bash', [path.join(REPO_ROOT, 'install.sh'), '--register-only', '--yes'], {
        cwd: REPO_ROOT,
        env: sb.env({ CLAUDE_CONFIG_DIR: c.configDir }),
        encoding: 'utf8',
        timeout: 180_000,
      });
      const mock = await mocks.start([{ text: `work in ${c.name}`, usage: c.usage }], { idTag: `clone${c.name}` });
      const res = await runClaude(['-p', `work in clone ${c.name}`, '--output-format', 'json'], {
        sandbox: sb,
        cwd: c.project,
        mockUrl: mock.url,
        env: { CLAUDE_CONFIG_DIR: c.configDir },
      });
      expect(res.code, res.stderr).toBe(0);
      await syncTracker(sb.env({ CLAUDE_CONFIG_DIR: c.configDir }));
    }
  }, 400_000);

  afterAll(async () => {
    await mocks.closeAll();
    sb?.cleanup();
  });

  it("each clone's /cco:session-status shows the sum of both, and each clone's share", async () => {
    for (const c of clones) {
      const mock = await mocks.start(
        [{ text: 'Relayed.', usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 } }],
        { idTag: `status${c.name}` },
      );
      const res = await runClaude(['-p', '/cco:session-status', '--output-format', 'json'], {
        sandbox: sb,
        cwd: c.project,
        mockUrl: mock.url,
        env: { CLAUDE_CONFIG_DIR: c.configDir },
      });
      expect(res.code, res.stderr).toBe(0);
      const text = requestText(mainRequests(mock)[0]!);
      expect(text, c.name).toMatch(/4,300 tokens counted in the window \(measured\)/);
      expect(text, c.name).toContain('Config dirs        2 of this account share the window; their tokens in it  (measured)');
      expect(text, c.name).toMatch(/3,100 tokens · 72\.1% · \d+ live/);
      expect(text, c.name).toMatch(/1,200 tokens · 27\.9% · \d+ live/);
    }
  }, 240_000);
});
