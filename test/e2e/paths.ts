import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { CLAUDE_CODE_VERSION } from './claude-version.ts';

/** Absolute path of the repository root (two levels above this file). */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the pinned CLI is cached between test runs: `$CCO_TEST_CACHE`, else
 * `$XDG_CACHE_HOME/claude-code-optimizer-tests`, else `~/.cache/claude-code-optimizer-tests`. Outside
 * the repo on purpose: `claude plugin install` copies the whole plugin folder (gitignored files
 * included) into the plugin cache, and the CLI alone is over 300 MB. Computed once, in the test
 * process, before any test points HOME at a sandbox.
 */
export const CACHE_ROOT: string =
  process.env.CCO_TEST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'claude-code-optimizer-tests');

/** Folder that holds the pinned CLI install: `<CACHE_ROOT>/claude-code-<version>`. */
export function claudeCacheDir(version: string = CLAUDE_CODE_VERSION): string {
  return path.join(CACHE_ROOT, `claude-code-${version}`);
}

/** Folder holding the `claude` executable of the cached install (`node_modules/.bin`). */
export function claudeBinDir(version: string = CLAUDE_CODE_VERSION): string {
  return path.join(claudeCacheDir(version), 'node_modules', '.bin');
}

/**
 * Absolute path of the cached pinned `claude` executable. Pure path computation:
 * it does not check that the file exists (the e2e globalSetup installs it).
 */
export function claudeBin(version: string = CLAUDE_CODE_VERSION): string {
  return path.join(claudeBinDir(version), 'claude');
}
