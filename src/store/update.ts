import { makeDir } from '../make-dir.ts';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { clearHolder, takeOverIfAbandoned, writeHolder } from './lock-holder.ts';
import { moveAside } from './move-aside.ts';
import { readRegular } from './read-regular.ts';

/** Thrown when the lock could not be taken within the caller's budget; the next trigger catches up. */
export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly waitedMs: number,
  ) {
    super(`lock busy: ${file} (waited ${waitedMs} ms)`);
    this.name = 'LockBusyError';
  }
}

/** Thrown when a value about to be written would fail its own reader's schema; nothing was written. */
export class StateWriteError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`not written (would not pass its reader: ${reason}): ${file}`);
    this.name = 'StateWriteError';
  }
}

/** Options of `update`. Times in ms. */
export interface UpdateOptions {
  /** How long to wait for the lock before giving up with LockBusyError. Default 2,000 ms. */
  lockBudgetMs?: number;
  /** A lock older than this (its holder died or hangs) is taken over. Default 10,000 ms (proper-lockfile's floor is 2,000). */
  staleMs?: number;
  /** Called when a file that failed to parse or validate was moved aside to `quarantinedTo`. */
  onQuarantine?: (file: string, quarantinedTo: string, reason: string) => void;
  /** Clock for the quarantine suffix. */
  now?: () => Date;
}

/** What a read found: the value, or why the file was unusable. */
type ReadResult<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'invalid'; reason: string; notRegular?: true };

/**
 * The one lock-and-write primitive (DESIGN.md decision 5). Takes the lock on `file` (a sibling
 * `<file>.lock` dir), re-reads and validates the file with `schema`, applies `fn`, writes the result
 * atomically (write-file-atomic, mode 0600; dirs 0700) and releases the lock in `finally`.
 *
 * A missing file starts from `init()`. A file that is not JSON, fails the schema or is no regular file
 * (a directory or FIFO in its place) is renamed
 * `<file>.corrupt-<ISO time>` (never deleted, never silently reset), reported through `onQuarantine`,
 * and `fn` starts from `init()` so the caller rebuilds it. If `fn` returns `undefined`, nothing is
 * written (the caller decided nothing changed).
 *
 * The text to write is read back through `schema` before it replaces the file: what a writer writes
 * always passes its reader (JSON turns NaN and Infinity into `null`, which a number schema refuses; that
 * would otherwise be quarantined by the next read, losing the rest of the file). What that read-back
 * made of the text is kept for the next `update` of the file in this process, which skips its own parse
 * while the file still holds exactly that text (see `written`): one schema pass per write, not two.
 *
 * @returns the value now in the file (the new one, or the current one when `fn` returned undefined)
 * @throws LockBusyError when the lock is not free within `lockBudgetMs`; StateWriteError when the new
 *   value would not pass `schema`; any error `fn` throws (in both cases the file is left as it was)
 */
export async function update<T>(
  file: string,
  schema: z.ZodType<T>,
  init: () => T,
  fn: (current: T) => T | undefined | Promise<T | undefined>,
  opts: UpdateOptions = {},
): Promise<T> {
  const budget = opts.lockBudgetMs ?? 2_000;
  makeDir(path.dirname(file));
  const release = await acquire(file, budget, opts.staleMs ?? 10_000);
  try {
    const found = readValidated(file, schema, takeWritten(file, schema));
    let current: T;
    if (found.kind === 'ok') current = found.value;
    else {
      if (found.kind === 'invalid') quarantine(file, found.reason, opts);
      current = init();
    }
    const next = await fn(current);
    if (next === undefined) return current;
    const text = JSON.stringify(next);
    const back = schema.safeParse(JSON.parse(text));
    if (!back.success) throw new StateWriteError(file, issueText(back.error.issues[0]));
    await writeFileAtomic(file, text, { mode: 0o600, fsync: true });
    written.set(file, { schema, text, value: back.data });
    return next;
  } finally {
    await release().catch(() => undefined);
  }
}

/**
 * Reads and validates `file` without the lock (safe because writers replace the file atomically).
 * Returns `init()` for a missing file and for an invalid one. A file that does not parse or fails the
 * schema is left in place for the next `update` to quarantine (under the lock: a person may be editing
 * it); one that is no regular file (a directory, FIFO, socket, or a symlink to one) is moved aside at once
 * (`<file>.corrupt-<time>`: no writer of ours makes one, so no lock is needed, and every reader would
 * trip on it until then). `onInvalid` hears about either, with where it was moved.
 *
 * @param now clock for the quarantine suffix
 * @throws never for missing or invalid files; other I/O errors (EACCES...) are rethrown
 */
export function readState<T>(file: string, schema: z.ZodType<T>, init: () => T, onInvalid?: (reason: string) => void, now: () => Date = () => new Date()): T {
  const found = readValidated(file, schema);
  if (found.kind === 'ok') return found.value;
  if (found.kind === 'invalid') {
    const to = found.notRegular ? moveAside(file, now()) : null;
    onInvalid?.(to === null ? found.reason : `${found.reason}; moved aside to ${to}`);
  }
  return init();
}

/**
 * What the last `update` of this process wrote to each file: the text, and what `schema` made of it (the
 * write-side check's JSON.parse + safeParse of that very text, handed to nobody else). The next `update`
 * of the file finding exactly this text starts from that value instead of parsing and validating the
 * text again: the reader's result for the same text and schema is the same, so the check that
 * quarantines a corrupt file has nothing to find there. Any other text (another process wrote, a person
 * edited it) is read and validated in full. Taken once (`takeWritten`), as `fn` may change the value it
 * is given. The background tracker draining a spool updates the same files job after job.
 *
 * Measured (2 shared cores, medians) on the 606 KB quota tracker of 50 live sessions built as
 * scripts/bench.mjs builds it: reading it (read + JSON.parse + safeParse) ~20 ms, the write-side check
 * (JSON.parse + safeParse) ~21 ms, stringify ~5 ms, the atomic write ~9 ms; an update after the first one
 * of the process 52 -> 33 ms (23 KB quota tracker: 4.9 -> 3.5 ms).
 */
const written = new Map<string, { schema: z.ZodType<unknown>; text: string; value: unknown }>();

function takeWritten<T>(file: string, schema: z.ZodType<T>): { text: string; value: T } | undefined {
  const w = written.get(file);
  written.delete(file);
  return w !== undefined && w.schema === schema ? { text: w.text, value: w.value as T } : undefined;
}

function readValidated<T>(file: string, schema: z.ZodType<T>, known?: { text: string; value: T }): ReadResult<T> {
  const read = readRegular(file);
  if (read.kind === 'missing') return { kind: 'missing' };
  if (read.kind === 'unreadable') {
    // A directory or FIFO in its place is a broken state file (moved aside); EACCES and the like are not ours to fix.
    if (read.code === null) return { kind: 'invalid', reason: read.reason, notRegular: true };
    throw new Error(read.reason);
  }
  const text = read.text;
  if (known !== undefined && known.text === text) return { kind: 'ok', value: known.value };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { kind: 'invalid', reason: `not JSON (${(e as Error).message})` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'invalid', reason: `schema: ${issueText(parsed.error.issues[0])}` };
  }
  return { kind: 'ok', value: parsed.data };
}

/** A zod issue as `path: message` (`(root)` for the top level). */
function issueText(issue: z.core.$ZodIssue | undefined): string {
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

function quarantine(file: string, reason: string, opts: UpdateOptions): void {
  const to = moveAside(file, opts.now?.() ?? new Date());
  if (to !== null) opts.onQuarantine?.(file, to, reason);
}

/**
 * Takes the proper-lockfile lock of `file` (the `<file>.lock` dir; `file` itself need not exist),
 * retrying every 15-30 ms for up to `budgetMs` (0: one try). A lock older than `staleMs` is taken over
 * (proper-lockfile), and so at once is one whose holder died on this host or whose time lies in the
 * future (src/store/lock-holder.ts: each holder writes `<file>.lock.holder` with its pid and host).
 * @returns the release function
 * @throws LockBusyError past the budget; fs errors
 */
export async function acquireLock(file: string, budgetMs: number, staleMs: number): Promise<() => Promise<void>> {
  return acquire(file, budgetMs, staleMs);
}

async function acquire(file: string, budgetMs: number, staleMs: number): Promise<() => Promise<void>> {
  const stepMs = 15;
  const started = Date.now();
  const stale = Math.max(2_000, staleMs);
  for (;;) {
    try {
      // A compromised lock (our update timer failed, e.g. the disk stalled) must not crash a hook: the
      // atomic write still leaves a whole file, and the next trigger re-reads it.
      const release = await lockfile.lock(file, { realpath: false, stale, retries: 0, onCompromised: () => undefined });
      // proper-lockfile makes the lock dir with the umask's mode; ours are private like every file of ours.
      try {
        chmodSync(`${file}.lock`, 0o700);
      } catch {
        // gone already: nothing to protect
      }
      writeHolder(file);
      return async () => {
        clearHolder(file);
        await release();
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    // A holder that died on this host, or a lock time in the future (a clock step back), is not waited for.
    if (takeOverIfAbandoned(file, Date.now(), stale) !== null) continue;
    if (Date.now() - started >= budgetMs) throw new LockBusyError(file, Date.now() - started);
    await new Promise((res) => setTimeout(res, stepMs + Math.floor(Math.random() * stepMs)));
  }
}
