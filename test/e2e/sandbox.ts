import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTempHome } from '../../scripts/tracker-stop.mjs';
import { claudeBin, claudeBinDir, REPO_ROOT } from './paths.ts';

/** API key every sandboxed CLI run uses (the mock accepts anything). */
export const TEST_API_KEY = 'sk-ant-test-key';

/** A throwaway HOME + Claude config dir + project dir, all under one temp folder. */
export interface Sandbox {
  /** Temp folder holding everything below (removed by `cleanup`). */
  root: string;
  /** Fake `HOME`. */
  home: string;
  /** `CLAUDE_CONFIG_DIR` = `<home>/.claude`; holds `.claude.json`, `projects/`, ... */
  configDir: string;
  /** An empty project folder to use as the CLI's cwd. */
  projectDir: string;
  /** Full child-process environment for this sandbox; `extra` entries win. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Stops the sandbox's background tracker, then deletes the temp folder. Never throws. */
  cleanup(): void;
}

/**
 * The parent environment minus anything that could leak real Claude/Anthropic config
 * into a child: every `CLAUDE*` / `ANTHROPIC*` / `CCO_*` variable, plus `HOME`, `XDG_*` and
 * `NODE_OPTIONS`. Returns a fresh object.
 */
export function scrubbedEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(CLAUDE|ANTHROPIC|XDG_|HOME$|NODE_OPTIONS$|VITEST|OTEL_)/i.test(k)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Environment for a process that must not see the real `~/.claude`: scrubbed parent env,
 * `HOME` = `home`, `CLAUDE_CONFIG_DIR` = `<home>/.claude`, XDG dirs inside `home`.
 */
export function isolatedEnv(home: string): Record<string, string> {
  return {
    ...scrubbedEnv(),
    HOME: home,
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
  };
}

/**
 * Creates a sandbox under `os.tmpdir()` (realpath'd, so transcript paths match `cwd`) and
 * pre-seeds `<configDir>/.claude.json` so the CLI runs without onboarding, trust or
 * API-key prompts. `env()` points `ANTHROPIC_BASE_URL` at a dead loopback port unless
 * `extra` overrides it. Throws on file-system errors.
 */
export function makeSandbox(): Sandbox {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cco-e2e-')));
  const home = path.join(root, 'home');
  const configDir = path.join(home, '.claude');
  const projectDir = path.join(root, 'project');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(projectDir, { recursive: true });
  const globalConfig = {
    hasCompletedOnboarding: true,
    customApiKeyResponses: { approved: [TEST_API_KEY.slice(-20)], rejected: [] },
    projects: { [projectDir]: { hasTrustDialogAccepted: true } },
  };
  writeFileSync(path.join(configDir, '.claude.json'), JSON.stringify(globalConfig, null, 2));
  return {
    root,
    home,
    configDir,
    projectDir,
    env: (extra = {}) => ({
      ...isolatedEnv(home),
      PATH: [claudeBinDir(), process.env.PATH ?? ''].join(path.delimiter),
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      ANTHROPIC_API_KEY: TEST_API_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      ...extra,
    }),
    cleanup: () => removeTempHome(root, [configDir]),
  };
}

/** Options of {@link runClaude}. */
export interface RunOptions {
  sandbox: Sandbox;
  /** Working directory; defaults to `sandbox.projectDir`. */
  cwd?: string;
  /** Mock base URL for `ANTHROPIC_BASE_URL`. */
  mockUrl?: string;
  /** Kill (SIGKILL) after this many ms; default 120000. */
  timeoutMs?: number;
  /** Extra environment entries (win over the sandbox ones). */
  env?: Record<string, string>;
  /** Variables to leave out of the environment (e.g. `ANTHROPIC_API_KEY` for a subscriber sign-in). */
  unset?: readonly string[];
}

/** Outcome of one CLI run. `code` is `null` when killed by a signal (e.g. timeout). */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Wall time in milliseconds. */
  durationMs: number;
}

/**
 * Runs the cached pinned `claude` binary with `args` inside the sandbox (stdin closed).
 * Resolves with exit code and output; never rejects for a non-zero exit. Rejects only
 * if the process cannot be spawned (e.g. the binary is missing).
 */
export function runClaude(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const { sandbox, cwd = sandbox.projectDir, mockUrl, timeoutMs = 120_000 } = opts;
  const env = sandbox.env({ ...(mockUrl ? { ANTHROPIC_BASE_URL: mockUrl } : {}), ...opts.env });
  for (const k of opts.unset ?? []) delete env[k];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(claudeBin(), [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/**
 * Registers the plugin in the sandbox the way a user does: `./install.sh --register-only --yes`, with the
 * pinned `claude` on PATH. Returns install.sh's output; throws when it exits non-zero.
 */
export function installPlugin(s: Sandbox, timeoutMs = 180_000): string {
  return execFileSync('bash', [path.join(REPO_ROOT, 'install.sh'), '--register-only', '--yes'], {
    cwd: REPO_ROOT,
    env: s.env(),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}
