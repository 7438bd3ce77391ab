import { spawnSync } from 'node:child_process';

/** Outcome of one `claude` command. `exitCode` is null when it could not start or was killed. */
export interface ClaudeResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not run (spawn error, timeout), if so. */
  error?: string;
}

/** Runs `claude <args>`; injected so the orchestration can be tested without a CLI. */
export interface ClaudeRunner {
  /** Path (or name) of the executable, recorded in the manifest. */
  readonly path: string;
  run(args: readonly string[]): ClaudeResult;
}

/**
 * A runner that spawns `claudePath` synchronously (no shell), with a 2-minute timeout per command.
 *
 * `CLAUDE_CONFIG_DIR` is set to `configDir` for the child when the caller's environment set it (it may be
 * a comma list, which Claude Code itself does not take) or when `configDir` is not the default
 * `$HOME/.claude`. Otherwise it is left unset, so Claude Code keeps its own defaults.
 */
export function spawnClaudeRunner(claudePath: string, configDir: string, env: NodeJS.ProcessEnv): ClaudeRunner {
  const childEnv: NodeJS.ProcessEnv = { ...env };
  const isDefault = env.HOME !== undefined && configDir === `${env.HOME.replace(/\/+$/, '')}/.claude`;
  if (env.CLAUDE_CONFIG_DIR !== undefined || !isDefault) childEnv.CLAUDE_CONFIG_DIR = configDir;
  return {
    path: claudePath,
    run(args) {
      const r = spawnSync(claudePath, [...args], { encoding: 'utf8', env: childEnv, timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: ClaudeResult = { exitCode: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
      if (r.error) out.error = r.error.message;
      return out;
    },
  };
}

/** The last non-blank line of a command's output, for one-line error messages. */
export function lastLine(r: ClaudeResult): string {
  const last = (text: string): string | undefined =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .at(-1);
  return r.error ?? last(r.stderr) ?? last(r.stdout) ?? `exit code ${String(r.exitCode)}`;
}
