import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { CLAUDE_CODE_VERSION } from './claude-version.ts';

/** Absolute path of the repository root (two levels above this file). */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of the repo-local cache folder (`<repo>/.cache`, gitignored). */
export const CACHE_ROOT: string = path.join(REPO_ROOT, '.cache');

/** Folder that holds the pinned CLI install: `<repo>/.cache/claude-code-<version>`. */
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
