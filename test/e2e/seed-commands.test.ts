import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTracker } from '../helpers/spawn-bundle.ts';
import { mainRequests, mockPool, requestText, type Usage } from './mock-anthropic.ts';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// The seeds' command names as people type them: `/session-status`, not only `/cco:session-status`.
// A person who already has a command of such a name keeps it; --uninstall leaves their commands dir as it was.
const U: Usage = { input_tokens: 1_000, cache_creation_input_tokens: 2_000, cache_read_input_tokens: 5_000, output_tokens: 100 };
const THEIRS = '---\ndescription: my own context check\n---\nSay THEIR-CONTEXT-COMMAND and nothing else.\n';

const mocks = mockPool();
let sb: Sandbox;
let commands: string;
let before: Map<string, string>;

const installSh = (...args: string[]) =>
  execFileSync('bash', [path.join(REPO_ROOT, 'install.sh'), '--register-only', '--yes', ...args], {
    cwd: REPO_ROOT,
    env: sb.env(),
    encoding: 'utf8',
    timeout: 180_000,
  });
const listing = (dir: string) => new Map(readdirSync(dir).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]));

describe('the seed command names with install.sh and the real CLI', () => {
  beforeAll(async () => {
    sb = makeSandbox();
    commands = path.join(sb.configDir, 'commands');
    mkdirSync(commands, { recursive: true });
    writeFileSync(path.join(commands, 'context-status.md'), THEIRS);
    writeFileSync(path.join(commands, 'deploy.md'), '---\ndescription: deploy\n---\nDeploy.\n');
    before = listing(commands);
    const out = installSh();
    expect(out).toContain(`kept your own /context-status (${path.join(commands, 'context-status.md')}); cco's is /cco:context-status`);
    const mock = await mocks.start([{ text: 'hello', usage: U }]);
    expect((await runClaude(['-p', 'hello', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url })).code).toBe(0);
    await syncTracker(sb.env());
  }, 300_000);

  afterAll(async () => {
    await mocks.closeAll();
    sb?.cleanup();
  });

  it('`claude -p "/session-status"` puts cco\'s report into the request the model receives', async () => {
    const mock = await mocks.start([{ text: 'Relayed.', usage: U }]);
    const res = await runClaude(['-p', '/session-status', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
    expect(res.code, res.stderr).toBe(0);
    const text = requestText(mainRequests(mock)[0]!);
    expect(text).toContain('CLAUDE CODE SESSION STATUS');
    // counted = 1,000 + 100 + 2,000
    expect(text).toMatch(/3,100 tokens counted in the window \(measured\)/);
    expect(text).not.toContain('Unknown command');
  }, 120_000);

  it("the person's own /context-status runs, not cco's", async () => {
    const mock = await mocks.start([{ text: 'THEIR-CONTEXT-COMMAND', usage: U }]);
    const res = await runClaude(['-p', '/context-status', '--output-format', 'json'], { sandbox: sb, mockUrl: mock.url });
    expect(res.code, res.stderr).toBe(0);
    const text = requestText(mainRequests(mock)[0]!);
    expect(text).toContain('Say THEIR-CONTEXT-COMMAND and nothing else.');
    expect(text).not.toContain('CLAUDE CODE CONTEXT STATUS');
  }, 120_000);

  it("--uninstall leaves the person's commands dir exactly as it was", () => {
    installSh('--uninstall');
    expect(listing(commands)).toEqual(before);
  }, 120_000);
});
