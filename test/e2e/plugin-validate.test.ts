import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude } from './sandbox.ts';
import type { Sandbox } from './sandbox.ts';

let sandbox: Sandbox | undefined;
afterEach(() => {
  sandbox?.cleanup();
  sandbox = undefined;
});

const MANIFEST = path.join(REPO_ROOT, '.claude-plugin', 'plugin.json');

/** Runs `claude plugin validate <args...>` in a fresh sandbox and returns the result. */
async function validate(...args: string[]) {
  sandbox = makeSandbox();
  return runClaude(['plugin', 'validate', ...args], { sandbox, cwd: REPO_ROOT, timeoutMs: 60_000 });
}

/** `<dir>` entries of the repository as the plugin's names (`cco:<name>`), `.md` cut off. */
function names(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir))
    .map((f) => `cco:${f.replace(/\.md$/, '')}`)
    .sort();
}

describe('claude plugin validate --strict', () => {
  // With .claude-plugin/marketplace.json present, validating the folder checks the
  // marketplace manifest only; validating plugin.json itself checks the plugin manifest
  // and the components it provides (hooks, commands, agents, skills). --strict fails on
  // warnings too (unknown fields, missing metadata, frontmatter the runtime would drop).
  it.each([
    ['the repo root', REPO_ROOT],
    ['the plugin manifest', MANIFEST],
  ])('passes for %s', async (_label, target) => {
    const res = await validate('--strict', target);
    expect(res.stdout + res.stderr).toContain('Validation passed');
    expect(res.code).toBe(0);
  });

  it('finds every command, agent and skill of the plugin', async () => {
    const res = await validate('--strict', '--json', MANIFEST);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { manifest: { warnings: unknown[] }; provides: Record<string, string[]> };
    expect(out.manifest.warnings).toEqual([]);
    expect({ commands: [...out.provides.commands!].sort(), agents: [...out.provides.agents!].sort(), skills: [...out.provides.skills!].sort() }).toEqual({
      commands: names('commands'),
      agents: names('agents'),
      skills: names('skills'),
    });
  });

  it('passes the checks the plugin directory refuses a submission for (README, LICENSE)', async () => {
    const res = await validate('--profile', 'directory', '--json', MANIFEST);
    const out = JSON.parse(res.stdout) as { directory: { findings: Array<{ code: string; blocking: boolean }> } };
    expect(out.directory.findings.filter((f) => f.blocking)).toEqual([]);
    expect(res.code).toBe(0);
  });
});
