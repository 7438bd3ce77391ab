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

/** Runs `claude plugin validate <target>` in a fresh sandbox and returns the result. */
async function validate(target: string) {
  sandbox = makeSandbox();
  return runClaude(['plugin', 'validate', target], { sandbox, cwd: REPO_ROOT, timeoutMs: 60_000 });
}

describe('claude plugin validate', () => {
  // With .claude-plugin/marketplace.json present, validating the folder checks the
  // marketplace manifest only; validating plugin.json itself checks the plugin manifest
  // and the components it provides (hooks, commands, agents, skills).
  it.each([
    ['the repo root', REPO_ROOT],
    ['the plugin manifest', path.join(REPO_ROOT, '.claude-plugin', 'plugin.json')],
  ])('passes for %s', async (_label, target) => {
    const res = await validate(target);
    expect(res.stdout + res.stderr).toContain('Validation passed');
    expect(res.code).toBe(0);
  });
});
