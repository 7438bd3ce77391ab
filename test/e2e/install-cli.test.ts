import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths.ts';
import { makeSandbox, runClaude } from './sandbox.ts';

const sb = makeSandbox();
afterAll(() => sb.cleanup());

const USER_SETTINGS = {
  model: 'sonnet',
  permissions: { allow: ['Bash(git status)'] },
  enabledPlugins: { 'someone-else@their-mkt': true },
};

function installSh(...args: string[]): string {
  return execFileSync('bash', [path.join(REPO_ROOT, 'install.sh'), '--register-only', '--yes', ...args], {
    cwd: REPO_ROOT,
    env: sb.env(),
    encoding: 'utf8',
    timeout: 180_000,
  });
}

describe('install.sh with the real claude CLI on PATH', () => {
  const settingsFile = path.join(sb.configDir, 'settings.json');

  it("installs cco next to the user's own settings, idempotently, and the CLI lists it", async () => {
    writeFileSync(settingsFile, JSON.stringify(USER_SETTINGS, null, 2) + '\n');
    installSh();
    const after = JSON.parse(readFileSync(settingsFile, 'utf8')) as typeof USER_SETTINGS & { extraKnownMarketplaces: Record<string, unknown> };
    expect(after.model).toBe('sonnet');
    expect(after.permissions).toEqual(USER_SETTINGS.permissions);
    expect(after.enabledPlugins).toEqual({ 'someone-else@their-mkt': true, 'cco@cco-local': true });
    expect(after.extraKnownMarketplaces['cco-local']).toBeDefined();
    const once = readFileSync(settingsFile, 'utf8');
    installSh();
    expect(readFileSync(settingsFile, 'utf8')).toBe(once);
    const list = await runClaude(['plugin', 'list'], { sandbox: sb });
    expect(list.stdout).toMatch(/cco@cco-local/);
  }, 240_000);

  it("--uninstall puts the user's settings back exactly and the CLI no longer lists cco", async () => {
    installSh('--uninstall');
    expect(existsSync(settingsFile)).toBe(true);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual(USER_SETTINGS);
    const list = await runClaude(['plugin', 'list'], { sandbox: sb });
    expect(list.stdout).not.toMatch(/cco@cco-local/);
  }, 120_000);
});
