import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { CLAUDE_CODE_VERSION } from './claude-version.ts';
import { CACHE_ROOT, claudeBin, claudeCacheDir } from './paths.ts';
import { isolatedEnv } from './sandbox.ts';

const run = promisify(execFile);

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the cached pinned `claude` executable. */
    claudeBin: string;
  }
}

/** Runs `fn` with a throwaway HOME / CLAUDE_CONFIG_DIR env; removes it afterwards. */
async function withTempHome<T>(fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cco-e2e-setup-'));
  try {
    return await fn(isolatedEnv(home));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** True when `<dir>/node_modules/.bin/claude --version` prints the pinned version. */
export async function hasPinnedCli(dir: string): Promise<boolean> {
  const bin = path.join(dir, 'node_modules', '.bin', 'claude');
  if (!existsSync(bin)) return false;
  try {
    const { stdout } = await withTempHome((env) => run(bin, ['--version'], { env, timeout: 60_000 }));
    return stdout.trim().startsWith(`${CLAUDE_CODE_VERSION} `);
  } catch {
    return false;
  }
}

/** Removes `.tmp-claude-code-*` folders older than an hour (left by killed installs). */
function removeStaleTempDirs(): void {
  for (const name of readdirSync(CACHE_ROOT)) {
    const dir = path.join(CACHE_ROOT, name);
    if (name.startsWith('.tmp-claude-code-') && Date.now() - statSync(dir).mtimeMs > 3_600_000) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Installs `@anthropic-ai/claude-code@<version>` into a temp folder next to the cache and
 * renames it into place, so an interrupted download never leaves a half cache. npm runs
 * with a throwaway HOME (so its download cache is thrown away too) but keeps the user's
 * npmrc for registry/proxy settings. Throws if npm fails or the result does not report
 * the pinned version.
 */
async function installCli(target: string): Promise<void> {
  mkdirSync(CACHE_ROOT, { recursive: true });
  removeStaleTempDirs();
  const tmp = mkdtempSync(path.join(CACHE_ROOT, `.tmp-claude-code-${CLAUDE_CODE_VERSION}-`));
  try {
    const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', tmp, `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`];
    const userNpmrc = path.join(os.homedir(), '.npmrc');
    await withTempHome((env) =>
      run('npm', args, {
        env: { ...env, ...(existsSync(userNpmrc) ? { npm_config_userconfig: userNpmrc } : {}) },
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      }),
    );
    if (!(await hasPinnedCli(tmp))) {
      throw new Error(`installed CLI in ${tmp} does not report version ${CLAUDE_CODE_VERSION}`);
    }
    try {
      renameSync(tmp, target);
    } catch (err) {
      // A concurrent run may have won the race; accept its cache if it is good.
      if (!(await hasPinnedCli(target))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Vitest globalSetup for the `e2e` project: makes sure the pinned CLI is cached under
 * `<CACHE_ROOT>/claude-code-<version>/` (see paths.ts) (installing it if `claude --version` there does
 * not print the pinned version; ~15 s the first time) and provides its path as
 * `inject('claudeBin')`. Throws if the install fails.
 */
export default async function setup(project: TestProject): Promise<void> {
  const dir = claudeCacheDir();
  if (!(await hasPinnedCli(dir))) {
    rmSync(dir, { recursive: true, force: true });
    await installCli(dir);
  }
  project.provide('claudeBin', claudeBin());
}
