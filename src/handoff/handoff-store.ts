import { createHash } from 'node:crypto';
import { existsSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../runtime.ts';
import { writeTextAtomic } from '../store/atomic-text.ts';
import { insideDir } from '../store/contained-path.ts';
import { readRegular } from '../store/read-regular.ts';
import { HandoffIndexSchema, type ConsumedHandoff, type HandoffIndex, type PendingHandoff } from '../store/schema-handoff.ts';
import { readState, update } from '../store/update.ts';

/** Entries kept in the index's `consumed` history. */
export const CONSUMED_KEEP = 50;

/** Saved handoffs kept per project; older ones we named (never the pending one) are removed on save. */
export const FILES_PER_PROJECT = 50;

/** Names `saveHandoff` gives (`fileStamp` plus an optional `-<n>`): only these are ever pruned. */
const OUR_NAME = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z(-\d+)?\.md$/;

/** Lock budget (ms) of the pending index by default; hooks pass their own. */
const DEFAULT_LOCK_MS = 2_000;

/**
 * The key of a project directory, as Claude Code names its transcript folders: every character outside
 * `[A-Za-z0-9]` becomes `-` (`/home/me/proj` -> `-home-me-proj`). Past 200 characters the key is cut and
 * `-<base36 hash>` appended; Claude Code does the same with its own hash, which this one does not match.
 * Pure.
 */
export function projectKeyFor(dir: string): string {
  const k = dir.replace(/[^A-Za-z0-9]/g, '-');
  if (k.length <= 200) return k;
  const h = BigInt(`0x${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`).toString(36);
  return `${k.slice(0, 200)}-${h}`;
}

/** A key as Claude Code names its transcript folders (and `projectKeyFor` makes): letters, digits, `-`; at most 220. */
const PLAIN_KEY = /^[A-Za-z0-9-]{1,220}$/;

/**
 * The project key of a session: the name of its transcript's folder when the transcript lives in
 * `<config dir>/projects/<key>/` (Claude Code's own key for the session's project, stable when the
 * session later changes directory), else `projectKeyFor(cwd)`; null when neither is known. A folder
 * name outside Claude Code's alphabet (`..`, `.x`, `__proto__`, NUL, very long) is encoded with
 * `projectKeyFor`, so a key is always one plain folder name under `cco/handoffs/`. Pure.
 */
export function sessionProjectKey(transcriptPath: string | null | undefined, cwd: string | null | undefined): string | null {
  if (transcriptPath) {
    const dir = path.dirname(transcriptPath);
    const folder = path.basename(dir);
    if (path.basename(path.dirname(dir)) === 'projects' && folder !== '') return PLAIN_KEY.test(folder) ? folder : projectKeyFor(folder);
  }
  return cwd ? projectKeyFor(cwd) : null;
}

/** `2026-11-21T00:23:41.265Z` -> `2026-11-21T00-23-41.265Z` (a file name on every OS). Pure. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/:/g, '-');
}

/** sha256 hex of a text. Pure. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** An empty pending index. */
function emptyHandoffIndex(): HandoffIndex {
  return { version: 1, pending: {}, consumed: [] };
}

/** What `saveHandoff` stores. */
export interface NewHandoff {
  projectKey: string;
  project: string | null;
  sessionId: string;
  reason: string;
  markdown: string;
}

/** Whether a handoff reason is a PreCompact snapshot (`pre-compact (manual|auto)`), not a person's save. Pure. */
function isCompactionSnapshot(reason: string): boolean {
  return reason.startsWith('pre-compact');
}

/**
 * Writes a handoff to `cco/handoffs/<project key>/<ISO time>.md` (atomic, 0600; a `-2`, `-3`... suffix
 * if that name is taken) and marks it pending for its project under the index lock. A handoff already
 * pending for the project is superseded (kept on disk, moved to `consumed` as `superseded`), with one
 * exception: a compaction snapshot never supersedes a person's save (`/save-and-restart`), which stays
 * pending for the next session; the snapshot is then written but not pending (`pending: false`). Past
 * `FILES_PER_PROJECT` saved files in the project's folder, the oldest ones we named are removed.
 *
 * @returns the file written, its index entry, whether it is pending, and the entry it superseded (if any)
 * @throws LockBusyError when the index lock is not free within `lockBudgetMs` (the file is written
 *   but not pending); Error `EOUTSIDE` for a key that is no plain folder name (nothing written); fs errors
 */
export async function saveHandoff(
  rt: Runtime,
  h: NewHandoff,
  opts: { lockBudgetMs?: number } = {},
): Promise<{ file: string; entry: PendingHandoff; pending: boolean; superseded: PendingHandoff | null }> {
  const now = rt.now();
  // The key comes from transcript data (sessionProjectKey encodes it); checked again where it becomes a path.
  const dir = insideDir(rt.paths.handoffsDir, h.projectKey);
  let file = path.join(dir, `${fileStamp(now.getTime())}.md`);
  for (let n = 2; existsSync(file); n++) file = path.join(dir, `${fileStamp(now.getTime())}-${n}.md`);
  await writeTextAtomic(file, h.markdown);
  const entry: PendingHandoff = {
    file,
    createdAt: now.toISOString(),
    sessionId: h.sessionId,
    reason: h.reason,
    project: h.project,
    sha256: sha256(h.markdown),
  };
  let superseded: PendingHandoff | null = null;
  let pending = true;
  await update(
    rt.paths.handoffPending,
    HandoffIndexSchema,
    emptyHandoffIndex,
    (idx) => {
      const prev = idx.pending[h.projectKey];
      if (prev !== undefined && isCompactionSnapshot(h.reason) && !isCompactionSnapshot(prev.reason)) {
        pending = false;
        return undefined;
      }
      superseded = prev ?? null;
      const consumed =
        prev === undefined
          ? idx.consumed
          : keep([...idx.consumed, { ...prev, projectKey: h.projectKey, outcome: 'superseded', at: now.toISOString(), by: h.sessionId }]);
      return { ...idx, pending: { ...idx.pending, [h.projectKey]: entry }, consumed };
    },
    indexOpts(rt, opts),
  );
  prune(dir, file);
  return { file, entry, pending, superseded };
}

/** Removes the oldest of our handoff files in `dir` beyond FILES_PER_PROJECT, never `keep`. Best effort. */
function prune(dir: string, keep: string): void {
  const ours = safeReaddir(dir)
    .filter((n) => OUR_NAME.test(n))
    .sort(); // ISO stamps sort by time
  for (const name of ours.slice(0, Math.max(0, ours.length - FILES_PER_PROJECT))) {
    const f = path.join(dir, name);
    if (f === keep) continue;
    try {
      rmSync(f, { force: true });
    } catch {
      // left for the next save
    }
  }
}

/** The outcome of `takePending`. */
export type TakeResult =
  | { kind: 'none' }
  /** Pending, but not for this session (`onlySnapshotOf` unmet, or `notFrom` this one): left pending. */
  | { kind: 'not-mine'; entry: PendingHandoff }
  /** Taken: `text` is the file as it is now; `edited` when it differs from what was saved. */
  | { kind: 'injected'; entry: PendingHandoff; text: string; edited: boolean }
  /**
   * Taken, but the file was deleted (`why` null), or the index names something that is no handoff of
   * ours (`why`: `not a regular file (a FIFO)`, `not a <project key>/<name>.md file in <handoffs dir>`): nothing to inject.
   */
  | { kind: 'missing'; entry: PendingHandoff; why: string | null }
  /** Taken, but the file was emptied: nothing to inject. */
  | { kind: 'empty'; entry: PendingHandoff };

/**
 * Takes the pending handoff of `projectKey` for session `sessionId`, at most once across all processes:
 * under the index lock, reads the file, removes the entry from `pending` and records it in `consumed`
 * (`injected`, `missing` or `empty`). With `onlySnapshotOf`, anything but a compaction snapshot saved by
 * that session is left pending (a post-compaction SessionStart takes only its own snapshot, never a
 * `/save-and-restart` handoff meant for the next session); with `notFrom`, an entry that session saved
 * is left pending (a handoff is for the next session, not its saver).
 *
 * The file is read through `readHandoffFile`: one the index names outside `cco/handoffs/<key>/`, or no regular
 * file, is taken as `missing` (with `why`, and a log line), never opened as it is.
 *
 * @throws LockBusyError when the index lock is not free within `lockBudgetMs` (nothing is taken);
 *   an I/O error reading a regular handoff file (EACCES, EIO: the entry stays pending)
 */
export async function takePending(
  rt: Runtime,
  projectKey: string,
  sessionId: string,
  opts: { onlySnapshotOf?: string | undefined; notFrom?: string | undefined; lockBudgetMs?: number } = {},
): Promise<TakeResult> {
  let result: TakeResult = { kind: 'none' };
  await update(
    rt.paths.handoffPending,
    HandoffIndexSchema,
    emptyHandoffIndex,
    (idx) => {
      const entry = idx.pending[projectKey];
      if (entry === undefined) return undefined;
      const notTheSnapshot = opts.onlySnapshotOf !== undefined && (entry.sessionId !== opts.onlySnapshotOf || !isCompactionSnapshot(entry.reason));
      if (notTheSnapshot || (opts.notFrom !== undefined && entry.sessionId === opts.notFrom)) {
        result = { kind: 'not-mine', entry };
        return undefined;
      }
      const read = readHandoffFile(rt, entry.file);
      if (read.kind === 'unreadable') throw Object.assign(new Error(`${entry.file}: ${read.reason}`), { code: read.code });
      if (read.kind === 'missing') {
        if (read.why !== null) rt.log('warn', 'handoff', `pending handoff of ${projectKey} names ${JSON.stringify(entry.file)}, ${read.why}: taken as missing`);
        result = { kind: 'missing', entry, why: read.why };
      } else if (read.text.trim() === '') result = { kind: 'empty', entry };
      else result = { kind: 'injected', entry, text: read.text, edited: sha256(read.text) !== entry.sha256 };
      const { [projectKey]: _taken, ...rest } = idx.pending;
      const done: ConsumedHandoff = { ...entry, projectKey, outcome: result.kind as ConsumedHandoff['outcome'], at: rt.now().toISOString(), by: sessionId };
      return { ...idx, pending: rest, consumed: keep([...idx.consumed, done]) };
    },
    indexOpts(rt, opts),
  );
  return result;
}

/** What reading a handoff the pending index names found. */
export type HandoffRead =
  | { kind: 'text'; text: string }
  /** Deleted (`why` null), or no handoff of ours: `why` says what is there instead, or that it is not where handoffs are saved. */
  | { kind: 'missing'; why: string | null }
  /** An I/O error (EACCES, EIO, ...) on a regular file: worth trying again later. */
  | { kind: 'unreadable'; reason: string; code: string | null };

/**
 * Reads the handoff `file` that `pending.json` names. The index may be edited by hand, so the path is
 * not trusted: it must be a `<project key>/<name>.md` inside `cco/handoffs/` (`insideDir`, and inside
 * the folder again after resolving symlinks)
 * and be a regular file (`readRegular`: a FIFO would block the read, a directory throws, `/proc/...`
 * is not ours). Anything else reads as `missing` with `why`, so the entry is used up like a deleted file
 * instead of blocking or failing every SessionStart. Never throws.
 */
export function readHandoffFile(rt: Runtime, file: string): HandoffRead {
  const outside = { kind: 'missing', why: `not a <project key>/<name>.md file in ${rt.paths.handoffsDir}` } as const;
  try {
    // Where saveHandoff writes: one project folder down, a .md file (never pending.json itself).
    const rel = path.relative(rt.paths.handoffsDir, insideDir(rt.paths.handoffsDir, file)).split(path.sep);
    if (rel.length !== 2 || !rel[1]!.endsWith('.md')) return outside;
  } catch {
    return outside;
  }
  const read = readRegular(file);
  if (read.kind === 'missing') return { kind: 'missing', why: null };
  if (read.kind === 'unreadable') return read.code === null ? { kind: 'missing', why: read.reason } : read;
  try {
    // A symlink inside the folder may point anywhere: the file read must be inside the real folder too.
    insideDir(realpathSync(rt.paths.handoffsDir), realpathSync(file));
  } catch {
    return outside;
  }
  return read;
}

/** The pending index as it is now (no lock; an unreadable index reads as empty and is logged). */
export function readHandoffIndex(rt: Runtime): HandoffIndex {
  return readState(rt.paths.handoffPending, HandoffIndexSchema, emptyHandoffIndex, (why) =>
    rt.log('warn', 'handoff', `${rt.paths.handoffPending} unreadable (${why})`),
  );
}

/** A saved handoff file. */
export interface SavedHandoff {
  projectKey: string;
  file: string;
  mtimeMs: number;
  bytes: number;
}

/** Every saved handoff under `cco/handoffs/*\/*.md`, newest first. Missing folders give []. */
export function listHandoffFiles(rt: Runtime): SavedHandoff[] {
  const out: SavedHandoff[] = [];
  for (const key of safeReaddir(rt.paths.handoffsDir)) {
    const dir = path.join(rt.paths.handoffsDir, key);
    for (const name of safeReaddir(dir)) {
      if (!name.endsWith('.md')) continue;
      const file = path.join(dir, name);
      try {
        const st = statSync(file);
        if (st.isFile()) out.push({ projectKey: key, file, mtimeMs: st.mtimeMs, bytes: st.size });
      } catch {
        // deleted meanwhile
      }
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs || b.file.localeCompare(a.file));
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function keep(consumed: ConsumedHandoff[]): ConsumedHandoff[] {
  return consumed.slice(-CONSUMED_KEEP);
}

function indexOpts(rt: Runtime, opts: { lockBudgetMs?: number }) {
  return {
    lockBudgetMs: opts.lockBudgetMs ?? DEFAULT_LOCK_MS,
    now: rt.now,
    onQuarantine: (file: string, to: string, why: string) => {
      rt.log('warn', 'handoff', `${file} was unreadable (${why}); moved to ${to}; pending handoffs in it are dropped`);
      process.stderr.write(`cco: ${file} was unreadable (${why}); moved to ${to}\n`);
    },
  };
}
