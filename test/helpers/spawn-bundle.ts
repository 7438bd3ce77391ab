import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../scripts/mulberry32.mjs';
import { ROOT } from './sandbox-env.ts';

/** What a bundle run did. `stdinError` is the error the writer got on the child's stdin (EPIPE...), if any. */
export interface BundleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdinError: string | null;
  ms: number;
}

/**
 * Runs `node dist/<bundle> [...args]` (or a copy of dist: `distDir`) with `stdin` written the way Claude Code writes it (one write,
 * then end), and resolves when it exits. Never rejects; a run past `timeoutMs` is killed (SIGKILL).
 */
export function runBundle(
  bundle: string,
  stdin: string | Buffer,
  env: Record<string, string>,
  opts: { args?: string[]; nodeArgs?: string[]; timeoutMs?: number; cwd?: string; distDir?: string } = {},
): Promise<BundleRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(opts.distDir ?? path.join(ROOT, 'dist'), bundle), ...(opts.args ?? [])], {
      env,
      cwd: opts.cwd ?? ROOT,
    });
    let stdout = '';
    let stderr = '';
    let stdinError: string | null = null;
    p.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    p.stdin.on('error', (e: NodeJS.ErrnoException) => {
      stdinError = e.code ?? e.message;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, stdinError, ms: Date.now() - t0 });
    });
    p.stdin.end(stdin);
  });
}

/** Runs `jobs` with at most `limit` at once, results in order. */
export async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      for (let i = next++; i < jobs.length; i = next++) out[i] = await jobs[i]!();
    }),
  );
  return out;
}

/** Every path under `dir` (relative), with its type, mode and (for files) sha1: a snapshot to diff. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      const st = lstatSync(p);
      const rel = path.relative(dir, p);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) {
        out.set(rel, `dir ${mode}`);
        walk(p);
      } else if (st.isFile()) out.set(rel, `file ${mode} ${createHash('sha1').update(readFileSync(p)).digest('hex')}`);
      else out.set(rel, `other ${mode}`);
    }
  };
  walk(dir);
  return out;
}

/** Paths created or changed between two snapshots, and paths removed. */
export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): { changed: string[]; removed: string[] } {
  const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  return { changed, removed };
}

/** A small seeded PRNG (mulberry32): the same seed, the same fuzz cases. */
export const seeded = mulberry32;

/** The dist bundle of each hook: the fronts Claude waits for are CommonJS (.cjs), the others ESM. */
export const HOOK_BUNDLES = {
  'session-start': 'hooks/session-start.cjs',
  'post-tool-use': 'hooks/post-tool-use.cjs',
  stop: 'hooks/stop.cjs',
  'user-prompt-submit': 'hooks/user-prompt-submit.cjs',
  'session-end': 'hooks/session-end.cjs',
  'pre-compact': 'hooks/pre-compact.mjs',
} as const;
export type HookName = keyof typeof HOOK_BUNDLES;

/** The hook event each hook name stands for in hooks/hooks.json. */
const HOOK_EVENTS: Record<HookName, string> = {
  'session-start': 'SessionStart',
  'post-tool-use': 'PostToolUse',
  stop: 'Stop',
  'user-prompt-submit': 'UserPromptSubmit',
  'session-end': 'SessionEnd',
  'pre-compact': 'PreCompact',
};

/** The command hooks/hooks.json runs for `name` (what Claude Code runs, `${CLAUDE_PLUGIN_ROOT}` unexpanded). */
export function hookCommand(name: HookName): string {
  const json = JSON.parse(readFileSync(path.join(ROOT, 'hooks', 'hooks.json'), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
  return json.hooks[HOOK_EVENTS[name]]![0]!.hooks[0]!.command;
}

/**
 * The environment Claude Code gives a hook of this plugin (reference §1.7): `CLAUDE_PLUGIN_ROOT` (this
 * repo) and `CLAUDE_CODE_SESSION_ID` (the payload's session id, when it has one) on top of `env`.
 */
export function hookEnv(stdin: string | Buffer, env: Record<string, string>): Record<string, string> {
  let sid: unknown;
  try {
    sid = (JSON.parse(stdin.toString()) as { session_id?: unknown } | null)?.session_id;
  } catch {
    sid = undefined;
  }
  return { ...env, CLAUDE_PLUGIN_ROOT: ROOT, ...(typeof sid === 'string' ? { CLAUDE_CODE_SESSION_ID: sid } : {}) };
}

/**
 * `cco sync`: waits for the background tracker the hook fronts started and tracks what is still spooled,
 * as any reporting `cco` command does before it reads the state.
 * @throws Error when the spool is not empty afterwards
 */
export function syncTrackerSync(env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'sync'], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`cco sync exited ${r.status ?? r.signal}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** `syncTrackerSync`, without blocking the event loop (for tests that also serve a mock or run hooks at once). */
export async function syncTracker(env: Record<string, string>): Promise<string> {
  const r = await runBundle('cli.mjs', '', env, { args: ['sync'], timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`cco sync exited ${r.code ?? r.signal}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Runs a hook bundle as Claude Code does (JSON on stdin, exit awaited), then `cco sync`, so the state
 * holds what the hook's background tracking did. The hook's own result is returned.
 */
export function runHookSync(
  name: HookName,
  stdin: string | Buffer,
  env: Record<string, string>,
  cwd: string = ROOT,
): { code: number | null; stdout: string; stderr: string } {
  // What Claude Code runs: the hooks.json command (a shell front or node), under /bin/sh.
  const r = spawnSync('/bin/sh', ['-c', hookCommand(name)], { input: stdin, env: hookEnv(stdin, env), encoding: 'utf8', timeout: 20_000, cwd });
  syncTrackerSync(env);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
