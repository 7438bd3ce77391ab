import { makeDir } from '../make-dir.ts';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One hook event handed to the background tracker (src/tracker/). Written by the hook fronts, read
 * (and validated with zod, src/tracker/spool-read.ts) by the tracker, deleted once tracked.
 */
export interface SpoolEntry {
  v: 1;
  /** Hook event name (`SessionStart`, `PostToolUse`, `Stop`, ...). */
  event: string;
  /** When the hook received it (ISO-8601 UTC). */
  receivedAt: string;
  /** The payload fields the tracker uses (reference §1.3); the rest (tool_response, ...) is dropped. */
  input: Record<string, unknown>;
  /**
   * What the tracker needs of the hook's environment (it serves every session): `CLAUDE_PID`,
   * `CLAUDE_PROJECT_DIR`, and Claude Code's auto-compaction settings (the usable context limit follows them).
   */
  env: SpoolEnv;
  /** The hook's working directory (the project dir, reference §1.7). */
  cwd: string;
}

/** The environment variables a spool entry keeps (SPOOLED_ENV). */
export type SpoolEnv = Partial<Record<(typeof SPOOLED_ENV)[number], string>>;

/** Environment variables of a hook that the tracker reads (see SpoolEntry.env). */
const SPOOLED_ENV = ['CLAUDE_PID', 'CLAUDE_PROJECT_DIR', 'CLAUDE_CODE_AUTO_COMPACT_WINDOW', 'DISABLE_AUTO_COMPACT'] as const;

/** The part of a hook's environment worth spooling. Pure. */
export function spoolEnv(env: Readonly<Record<string, string | undefined>>): SpoolEnv {
  const out: SpoolEnv = {};
  for (const k of SPOOLED_ENV) if (env[k] !== undefined) out[k] = env[k];
  return out;
}

/** Payload fields a spool entry keeps: what the tracker's sighting of the session needs (src/tracker/drain.ts `sightingOf`). */
const KEPT = ['session_id', 'transcript_path', 'cwd', 'hook_event_name', 'source', 'model', 'agent_type', 'agent_id', 'reason'] as const;

/** The part of a hook payload worth spooling (small, whatever the tool's output was). Pure. */
export function spoolInput(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEPT) if (payload[k] !== undefined) out[k] = payload[k];
  return out;
}

let counter = 0;

/**
 * Writes `entry` into `spoolDir` as `<ms>-<pid>-<n>.json`: a temp file then a rename, so the tracker
 * never sees half an entry. Names sort by arrival (ms, zero-padded), which is the order they are tracked in.
 *
 * @returns the entry's path
 * @throws fs errors (the caller logs them; the next hook's entry catches the transcript up anyway)
 */
export function writeSpoolEntry(spoolDir: string, entry: SpoolEntry, nowMs: number = Date.now()): string {
  makeDir(spoolDir);
  const name = `${String(nowMs).padStart(15, '0')}-${process.pid}-${counter++}.json`;
  const file = path.join(spoolDir, name);
  const tmp = path.join(spoolDir, `.${name}.tmp`);
  writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

/**
 * Name of the shell front's mark that a session moved on (hooks/post-tool-use.sh writes
 * `poke.<session id>`: one file per session, rewritten by each tool call, never a queue).
 */
export const POKE_PREFIX = 'poke.';
/** Name prefix of a hook payload the shell fronts spool as it came (hooks/session-end.sh: `hook.<event>.<session>.<pid>.json`). */
export const RAW_HOOK_PREFIX = 'hook.';

/**
 * The spool's entries (names only; temp and claimed files, which start with a dot, excluded): the node
 * fronts' entries (`<ms>-<pid>-<n>.json`), the shell fronts' raw payloads (`hook.*.json`) and pokes
 * (`poke.<session>`). The tracker orders them by arrival itself. [] when there is no spool.
 */
export function listSpool(spoolDir: string): string[] {
  try {
    return readdirSync(spoolDir)
      .filter((n) => !n.startsWith('.') && (n.endsWith('.json') || n.startsWith(POKE_PREFIX)))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
