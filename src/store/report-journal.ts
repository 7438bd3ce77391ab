import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { EntryTuple } from '../claude/transcript-digest.ts';
import { sha1 } from './cache-sum.ts';
import type { Resume, UsagePart } from './report-base.ts';

/**
 * What incremental reports read since the base was written (`report-journal.jsonl`), one line per
 * report, appended: the cost of keeping it is that of what was read, not of the history. The report
 * index lists each line's length and SHA-1 (a JournalRef); only listed, matching lines are read, so a
 * torn append or a writer racing another reads as a damaged journal (the report then scans in full).
 */

/**
 * One file's read: [path, kind, lines, malformed lines, keyed entries, keyless entries]. `more`: read on
 * from where the last read stopped, all of its keys new (the counts add, the entries append);
 * `part`: the file's whole part as it is now (it replaces whatever came before).
 */
export type JournalRecord = [string, 'more' | 'part', number, number, EntryTuple[], EntryTuple[]];

/** A journal line: [its length in bytes, its SHA-1]. */
export type JournalRef = [number, string];

/**
 * Appends one line holding `records` after the first `at` bytes (the listed lines; anything after them is
 * an unlisted leftover and is cut off first).
 *
 * @returns the new line's ref
 * @throws Error when the journal is shorter than `at` (it does not hold the listed lines); fs errors
 */
export function appendJournal(file: string, at: number, records: readonly JournalRecord[]): JournalRef {
  const line = Buffer.from(`${JSON.stringify(records)}\n`);
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || at !== 0) throw e;
    fd = openSync(file, 'w', 0o600);
  }
  try {
    if (fstatSync(fd).size < at) throw new Error(`${file} is shorter than its index says`);
    ftruncateSync(fd, at);
    writeSync(fd, line, 0, line.length, at);
  } finally {
    closeSync(fd);
  }
  return [line.length, sha1(line)];
}

/** The records of the listed lines, in order, or null (missing, shorter, or a line that does not match its ref). */
export function readJournal(file: string, refs: readonly JournalRef[]): JournalRecord[] | null {
  if (refs.length === 0) return [];
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  const out: JournalRecord[] = [];
  let at = 0;
  for (const [len, sum] of refs) {
    const line = buf.subarray(at, at + len);
    if (line.length !== len || sha1(line) !== sum) return null;
    try {
      out.push(...(JSON.parse(line.toString('utf8')) as JournalRecord[]));
    } catch {
      return null;
    }
    at += len;
  }
  return out;
}

/** The total length of the listed lines (where the next one goes). */
export function journalEnd(refs: readonly JournalRef[]): number {
  let n = 0;
  for (const [len] of refs) n += len;
  return n;
}

/**
 * A file's part after its journal records (in order) on top of `part` (its base part, or null), with
 * `resume` as where its read stopped. A new part; neither argument is changed.
 */
export function applyRecords(part: UsagePart | null, records: readonly JournalRecord[], resume: Resume): UsagePart {
  let [lines, malformed, entries, loose] = part === null ? [0, 0, [] as EntryTuple[], [] as EntryTuple[]] : [part[0], part[1], part[2], part[3]];
  for (const r of records) {
    if (r[1] === 'part') [lines, malformed, entries, loose] = [r[2], r[3], r[4], r[5]];
    else [lines, malformed, entries, loose] = [lines + r[2], malformed + r[3], [...entries, ...r[4]], [...loose, ...r[5]]];
  }
  return [lines, malformed, entries, loose, resume];
}
