import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../runtime.ts';
import { writeTextAtomic } from '../store/atomic-text.ts';
import { insideDir } from '../store/contained-path.ts';
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
export function emptyHandoffIndex(): HandoffIndex {
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
export function isCompactionSnapshot(reason: string): boolean {
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
export async function saveHandoff(rt: Runtime, h: NewHandoff, opts: { lockBudgetMs?: number } = {}): Promise<{ file: string; entry: PendingHandoff; pending: boolean; superseded: PendingHandoff | null }> {
  const now = rt.now();
  // The key comes from transcript data (sessionProjectKey encodes it); checked again where it becomes a path.
  const dir = insideDir(rt.paths.handoffsDir, h.projectKey);
  let file = path.join(dir, `${fileStamp(now.getTime())}.md`);
  for (let n = 2; existsSync(file); n++) file = path.join(dir, `${fileStamp(now.getTime())}-${n}.md`);
  await writeTextAtomic(file, h.markdown);
  const entry: PendingHandoff = { file, createdAt: now.toISOString(), sessionId: h.sessionId, reason: h.reason, project: h.project, sha256: sha256(h.markdown) };
  let superseded: PendingHandoff | null = null;
  let pending = true;
  await update(rt.paths.handoffPending, HandoffIndexSchema, emptyHandoffIndex, (idx) => {
    const prev = idx.pending[h.projectKey];
    if (prev !== undefined && isCompactionSnapshot(h.reason) && !isCompactionSnapshot(prev.reason)) {
      pending = false;
      return undefined;
    }
    superseded = prev ?? null;
    const consumed = prev === undefined ? idx.consumed : keep([...idx.consumed, { ...prev, projectKey: h.projectKey, outcome: 'superseded', at: now.toISOString(), by: h.sessionId }]);
    return { ...idx, pending: { ...idx.pending, [h.projectKey]: entry }, consumed };
  }, indexOpts(rt, opts));
  prune(dir, file);
  return { file, entry, pending, superseded };
}

/** Removes the oldest of our handoff files in `dir` beyond FILES_PER_PROJECT, never `keep`. Best effort. */
function prune(dir: string, keep: string): void {
  const ours = safeReaddir(dir).filter((n) => OUR_NAME.test(n)).sort(); // ISO stamps sort by time
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
  /** Taken, but the file was deleted: nothing to inject. */
  | { kind: 'missing'; entry: PendingHandoff }
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
 * @throws LockBusyError when the index lock is not free within `lockBudgetMs` (nothing is taken);
 *   fs errors other than ENOENT reading the handoff (the entry stays pending)
 */
export async function takePending(rt: Runtime, projectKey: string, sessionId: string, opts: { onlySnapshotOf?: string | undefined; notFrom?: string | undefined; lockBudgetMs?: number } = {}): Promise<TakeResult> {
  let result: TakeResult = { kind: 'none' };
  await update(rt.paths.handoffPending, HandoffIndexSchema, emptyHandoffIndex, (idx) => {
    const entry = idx.pending[projectKey];
    if (entry === undefined) return undefined;
    const notTheSnapshot = opts.onlySnapshotOf !== undefined && (entry.sessionId !== opts.onlySnapshotOf || !isCompactionSnapshot(entry.reason));
    if (notTheSnapshot || (opts.notFrom !== undefined && entry.sessionId === opts.notFrom)) {
      result = { kind: 'not-mine', entry };
      return undefined;
    }
    let text: string | null = null;
    try {
      text = readFileSync(entry.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === null) result = { kind: 'missing', entry };
    else if (text.trim() === '') result = { kind: 'empty', entry };
    else result = { kind: 'injected', entry, text, edited: sha256(text) !== entry.sha256 };
    const { [projectKey]: _taken, ...rest } = idx.pending;
    const done: ConsumedHandoff = { ...entry, projectKey, outcome: result.kind as ConsumedHandoff['outcome'], at: rt.now().toISOString(), by: sessionId };
    return { ...idx, pending: rest, consumed: keep([...idx.consumed, done]) };
  }, indexOpts(rt, opts));
  return result;
}

/** The pending index as it is now (no lock; an unreadable index reads as empty and is logged). */
export function readHandoffIndex(rt: Runtime): HandoffIndex {
  return readState(rt.paths.handoffPending, HandoffIndexSchema, emptyHandoffIndex, (why) => rt.log('warn', 'handoff', `${rt.paths.handoffPending} unreadable (${why})`));
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
