import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { POKE_PREFIX, RAW_HOOK_PREFIX, spoolInput, type SpoolEntry } from '../front/spool.ts';
import { moveAside } from '../store/move-aside.ts';
import { readRegular } from '../store/read-regular.ts';

/** A spool entry as the tracker accepts it (src/front/spool.ts writes them). */
export const SpoolEntrySchema = z.object({
  v: z.literal(1),
  event: z.string().min(1),
  receivedAt: z.string(),
  input: z.record(z.string(), z.unknown()),
  env: z.object({
    CLAUDE_PID: z.string().optional(),
    CLAUDE_PROJECT_DIR: z.string().optional(),
    CLAUDE_CODE_AUTO_COMPACT_WINDOW: z.string().optional(),
    DISABLE_AUTO_COMPACT: z.string().optional(),
  }),
  cwd: z.string(),
}) satisfies z.ZodType<SpoolEntry>;

/**
 * One spool file as read: its entry, or why it was unusable (then it has been moved aside). `file` is
 * where it is now (a poke is claimed by a rename first); `poke` marks a shell front's poke, whose entry
 * carries only the session id (the tracker takes the rest from the session's record).
 */
export type SpoolRead =
  | { name: string; file: string; entry: SpoolEntry; poke?: true; count?: number }
  | { name: string; file: string; entry: null; why: string };

/** A session id as the shell front writes it into a poke's name (it writes no other). */
const POKE_SESSION = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads and validates the spool file `name`. A file that is not JSON or fails the schema is renamed
 * `<file>.corrupt-<ISO time>` (kept for inspection, out of the queue) and reported as `entry: null`.
 *
 * @returns the read; `null` when the file is gone (taken by another drainer) or is a raw hook file
 *   still being written (RAW_WRITE_GRACE_MS)
 * @throws fs errors other than ENOENT
 */
export function readSpoolEntry(spoolDir: string, name: string, now: Date): SpoolRead | null {
  if (name.startsWith(POKE_PREFIX)) return readPoke(spoolDir, name, now);
  const file = path.join(spoolDir, name);
  // A FIFO in an entry's place is never opened (it would block); it is moved aside like a corrupt entry.
  const read = readRegular(file);
  if (read.kind === 'missing') return null;
  if (read.kind === 'unreadable' && read.code !== null) throw new Error(read.reason);
  let why: string;
  try {
    if (read.kind === 'unreadable') throw new Error(read.reason);
    const json = JSON.parse(read.text) as unknown;
    // A shell front's raw hook payload: the entry is made of it and the file's time.
    const parsed = SpoolEntrySchema.safeParse(name.startsWith(RAW_HOOK_PREFIX) ? rawHookEntry(json, name, mtimeIso(file, now)) : json);
    if (parsed.success) return { name, file, entry: parsed.data as SpoolEntry };
    if (rawBeingWritten(name, file, now)) return null;
    const i = parsed.error.issues[0];
    why = `schema: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`;
  } catch (e) {
    if (rawBeingWritten(name, file, now)) return null;
    why = `not JSON (${(e as Error).message})`;
  }
  try {
    moveAside(file, now);
  } catch {
    // left for the next drain
  }
  return { name, file, entry: null, why };
}

/**
 * A poke (`poke.<session id>`): claimed by renaming it to `.taking.<name>.<pid>` (a tool call after that
 * writes a new poke, which is not lost), read as a PostToolUse entry of that session at the poke's time.
 * Each tool call appends one byte, so its size is how many tool calls it stands for (`count`, at least 1).
 * @returns null when another drainer took it or the name is no session id (then it is removed)
 */
function readPoke(spoolDir: string, name: string, now: Date): SpoolRead | null {
  const sid = name.slice(POKE_PREFIX.length);
  const from = path.join(spoolDir, name);
  const file = path.join(spoolDir, `.taking.${name}.${process.pid}`);
  try {
    renameSync(from, file);
  } catch {
    return null;
  }
  if (!POKE_SESSION.test(sid)) {
    rmSync(file, { recursive: true, force: true });
    return null;
  }
  let count = 1;
  let receivedAt = now.toISOString();
  try {
    const st = statSync(file);
    count = Math.min(100_000, Math.max(1, st.size));
    receivedAt = st.mtime.toISOString();
  } catch {
    // gone: counted once, now
  }
  return {
    name,
    file,
    poke: true,
    count,
    entry: { v: 1, event: 'PostToolUse', receivedAt, input: { session_id: sid, hook_event_name: 'PostToolUse' }, env: {}, cwd: '' },
  };
}

/** A raw hook payload (spooled by a shell front) as a spool entry. Pure. */
function rawHookEntry(json: unknown, name: string, receivedAt: string): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const payload = json as Record<string, unknown>;
  const event = typeof payload.hook_event_name === 'string' && payload.hook_event_name !== '' ? payload.hook_event_name : (name.split('.')[1] ?? '');
  return { v: 1, event, receivedAt, input: spoolInput(payload), env: {}, cwd: typeof payload.cwd === 'string' ? payload.cwd : '' };
}

/**
 * A shell front writes its raw hook file in place (no rename: it uses builtins only, to stay fast with
 * many sessions ending at once), so a file that does not parse yet may be one still being written:
 * left for the next drain while younger than RAW_WRITE_GRACE_MS, moved aside after that.
 */
const RAW_WRITE_GRACE_MS = 5_000;

function rawBeingWritten(name: string, file: string, now: Date): boolean {
  if (!name.startsWith(RAW_HOOK_PREFIX)) return false;
  try {
    return now.getTime() - statSync(file).mtimeMs < RAW_WRITE_GRACE_MS;
  } catch {
    return false;
  }
}

function mtimeIso(file: string, now: Date): string {
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return now.toISOString();
  }
}

/**
 * Removes half-written spool entries (`.<name>.tmp`) and claimed pokes (`.taking.*`) older than
 * `maxAgeMs`: a hook killed between its write and its rename, or a tracker killed mid-drain, leaves one; its event is lost, but the session's next event catches up the same.
 * @returns how many were removed
 * @throws never
 */
export function pruneSpoolTemps(spoolDir: string, nowMs: number, maxAgeMs = 60_000): number {
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(spoolDir).filter((n) => n.startsWith('.') && (n.endsWith('.tmp') || n.startsWith('.taking.')));
  } catch {
    return 0;
  }
  for (const n of names) {
    const f = path.join(spoolDir, n);
    try {
      if (nowMs - statSync(f).mtimeMs > maxAgeMs) {
        rmSync(f, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
