import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, type TempHome } from './sandbox-env.ts';

/** What a `cco` run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`dist/cli.mjs`) synchronously with `env` (a temp home's), `stdin` as input and
 * `cwd` (default: the repository root). A 60 s timeout so a hang fails the test instead of wedging it.
 */
export function runCliSync(args: readonly string[], env: Record<string, string>, opts: { stdin?: string; cwd?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), ...args], {
    input: opts.stdin ?? '',
    env,
    encoding: 'utf8',
    timeout: 60_000,
    cwd: opts.cwd ?? ROOT,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Prepares one session in a temp home as Claude Code leaves it: the project folder
 * `<config>/projects/<project>/`, the transcript `<sessionId>.jsonl` holding `lines` (JSON text, one per
 * line; none: an empty file), and cco's config with desktop notifications off (a test must not pop one).
 * @returns the transcript's absolute path
 */
export function oneSession(h: TempHome, sessionId: string, lines: readonly string[], project = '-work-p'): string {
  const dir = path.join(h.configDir, 'projects', project);
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(h.configDir, 'cco'), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(h.configDir, 'cco', 'config.json'), JSON.stringify({ quota: { desktopNotifications: false } }), { mode: 0o600 });
  const transcript = path.join(dir, `${sessionId}.jsonl`);
  writeFileSync(transcript, lines.length === 0 ? '' : lines.join('\n') + '\n');
  return transcript;
}
