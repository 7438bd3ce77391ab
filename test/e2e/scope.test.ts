// What a real Claude Code session writes with cco installed, against what the same session writes
// without it. Baseline: a sandbox without the plugin runs the scripted session; every path it creates
// or changes is Claude Code's own (normalized: uuids, long numbers and the project key). Then a sandbox
// installed with ./install.sh runs the same session plus /cco:session-status: every path created or
// changed must be Claude Code's (the baseline, plus plugins/ and session-env/, which only a plugin with
// hooks produces) or ours (state files, calendar/, cco/). Ours are 0600 files in 0700 folders;
// settings.json changed only in the keys install.sh owns, and not at all during the session.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, snapshot } from '../helpers/spawn-bundle.ts';
import { startMockApi, type ScriptTurn } from './mock-anthropic.ts';
import { installPlugin, makeSandbox, runClaude, type Sandbox } from './sandbox.ts';

// Ours: the config dir's files, the seed commands install.sh adds, and the account's state under the XDG
// state dir (src/claude/account-home.ts).
const OURS =
  /^home\/(\.claude\/(session-tracker\.json|session-queue\.json|calendar(\/.*)?|cco(\/.*)?|commands(\/(session-status|context-status|compact-context|save-and-restart|start-next-session|create-calendar-events)\.md)?)|\.local(\/state(\/claude-code-optimizer(\/.*)?)?)?)$/;
/** Claude Code's own folders that only appear with a plugin that has hooks (reference §1.7, §2.2). */
const CLAUDE_PLUGIN_DIRS = /^home\/\.claude\/(plugins|session-env)(\/.*)?$/;
/** The settings keys install.sh owns (src/install/settings-edit.ts, statusline-edit.ts). */
const INSTALL_KEYS = ['enabledPlugins.cco@cco-local', 'extraKnownMarketplaces.cco-local', 'statusLine'];

function script(s: Sandbox): ScriptTurn[] {
  return [
    {
      tool: { name: 'Read', input: { file_path: path.join(s.projectDir, 'README') } },
      usage: { input_tokens: 900, output_tokens: 40, cache_creation_input_tokens: 2000, cache_read_input_tokens: 8000 },
    },
    {
      tool: { name: 'Bash', input: { command: 'echo scope', description: 'echo' } },
      usage: { input_tokens: 20, output_tokens: 30, cache_creation_input_tokens: 300, cache_read_input_tokens: 10000 },
    },
    { text: 'Done.', usage: { input_tokens: 5, output_tokens: 9, cache_creation_input_tokens: 50, cache_read_input_tokens: 10300 } },
    { text: 'relayed', usage: { input_tokens: 5, output_tokens: 9, cache_creation_input_tokens: 50, cache_read_input_tokens: 10300 } },
  ];
}

/** Runs the scripted session, then the status command, in `s`. */
async function session(s: Sandbox): Promise<void> {
  execFileSync('bash', ['-c', `printf 'scope test\\n' > README`], { cwd: s.projectDir });
  const mock = await startMockApi(script(s));
  try {
    const a = await runClaude(['-p', 'read README and echo', '--output-format', 'json', '--allowedTools', 'Read,Bash'], { sandbox: s, mockUrl: mock.url });
    expect(a.code, a.stderr).toBe(0);
    const b = await runClaude(['-p', '/cco:session-status', '--output-format', 'json'], { sandbox: s, mockUrl: mock.url });
    expect(b.code, b.stderr).toBe(0);
  } finally {
    await mock.close();
  }
}

/** A path with what differs between sandboxes replaced: the project key, uuids, long numbers. */
function norm(p: string, s: Sandbox): string {
  return p
    .replaceAll(s.projectDir.replace(/[^A-Za-z0-9]/g, '-'), '<project>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d{5,}/g, '<n>');
}

function settingsKeys(v: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, x] of Object.entries(v)) {
    if (k === 'enabledPlugins' || k === 'extraKnownMarketplaces')
      for (const [k2, y] of Object.entries(x as Record<string, unknown>)) out.set(`${k}.${k2}`, JSON.stringify(y));
    else out.set(k, JSON.stringify(x));
  }
  return out;
}

let baseline: Sandbox;
let sb: Sandbox;
let claudeOwn: Set<string>;

describe('scope: what a session writes with cco installed', () => {
  beforeAll(async () => {
    baseline = makeSandbox();
    const b0 = snapshot(baseline.root);
    await session(baseline);
    claudeOwn = new Set(diffSnapshots(b0, snapshot(baseline.root)).changed.map((p) => norm(p, baseline)));
  }, 300_000);

  afterAll(() => {
    baseline?.cleanup();
    sb?.cleanup();
  });

  it('Claude Code alone writes its transcripts and global config, never HOME/.claude.json (CLAUDE_CONFIG_DIR is set)', () => {
    expect([...claudeOwn].some((p) => p.startsWith('home/.claude/projects/<project>/'))).toBe(true);
    expect([...claudeOwn].filter((p) => OURS.test(p))).toEqual([]);
    expect(claudeOwn.has('home/.claude.json')).toBe(false);
  });

  it("install.sh, the session and /cco:session-status change only Claude Code's files and ours", async () => {
    sb = makeSandbox();
    const s0 = snapshot(sb.root);
    installPlugin(sb);
    const s1 = snapshot(sb.root);
    await session(sb);
    const s2 = snapshot(sb.root);

    // Install: settings.json gained only the keys install.sh owns; everything else is the CLI's plugin
    // bookkeeping, its global config, or our install manifest.
    const settingsFile = path.join(sb.configDir, 'settings.json');
    const installed = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    expect([...settingsKeys(installed).keys()].sort()).toEqual([...INSTALL_KEYS].sort());
    const byInstall = diffSnapshots(s0, s1);
    expect(byInstall.removed).toEqual([]);
    const installOther = byInstall.changed.filter(
      (p) => !OURS.test(p) && !CLAUDE_PLUGIN_DIRS.test(p) && !claudeOwn.has(norm(p, sb)) && p !== 'home/.claude/settings.json',
    );
    expect(installOther).toEqual([]);

    // Session: Claude Code's own paths (as the baseline wrote them) or ours; settings.json untouched.
    const bySession = diffSnapshots(s1, s2);
    expect(bySession.removed).toEqual([]);
    const unexplained = bySession.changed.filter((p) => !OURS.test(p) && !CLAUDE_PLUGIN_DIRS.test(p) && !claudeOwn.has(norm(p, sb)));
    expect(unexplained).toEqual([]);
    expect(s2.get('home/.claude/settings.json')).toBe(s1.get('home/.claude/settings.json'));
    expect(s2.has('home/.claude.json')).toBe(false);
    // The session did run our hooks (so the comparison is not vacuous).
    for (const p of [
      'home/.claude/session-tracker.json',
      'home/.local/state/claude-code-optimizer/accounts/default/quota-tracker.json',
      'home/.claude/cco/cache/transcripts',
    ])
      expect(bySession.changed).toContain(p);

    // Everything of ours is private.
    const ours = [...s2.entries()].filter(([p]) => OURS.test(p));
    expect(ours.length).toBeGreaterThan(4);
    const loose = ours.filter(([, v]) => (v.startsWith('dir ') ? v.slice(4, 7) !== '700' : v.slice(5, 8) !== '600'));
    expect(loose).toEqual([]);
  }, 400_000);
});
