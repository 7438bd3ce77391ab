import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { completeLines } from './jsonl-lines.ts';
import { digestLines, emptyDigest, indexEntries, type FileDigest } from './transcript-digest.ts';
import type { UsageEntry } from '../usage/usage-record.ts';

/** What we remember about one transcript file between reads (the per-file cache record). */
export interface TranscriptCursor {
  path: string;
  /** File identity and state when last read: inode, size (bytes), mtime (epoch ms). */
  ino: number;
  size: number;
  mtimeMs: number;
  /** Byte offset just past the last complete line folded into `digest`. */
  offset: number;
  /**
   * Base64 of up to 64 bytes just before `offset`, and of the file's first 256 bytes (within `offset`):
   * together they show on the next read that the file was only appended to, not rewritten.
   */
  tail: string;
  head: string;
  digest: FileDigest;
}

/** The outcome of one catch-up. */
export interface CatchUp {
  cursor: TranscriptCursor;
  /** Usage entries added or grown by this read (what aggregates must add). */
  changes: UsageEntry[];
  /** True when the file was read from its first byte (new, shrunk, replaced or rewritten). */
  rescanned: boolean;
  bytesRead: number;
}

const CHUNK = 4 << 20;
const TAIL = 64;
const HEAD = 256;
/** A line longer than this (bytes) is skipped as malformed rather than held in memory. */
export const MAX_LINE_BYTES = 256 << 20;

/**
 * Reads what is new in a transcript since `prev` and folds it into the digest. A file that shrank,
 * whose inode changed, or whose bytes before the old offset changed, is read again from the start.
 * A last line without a newline is left for the next read unless it is already complete JSON.
 *
 * @param file absolute path of a `*.jsonl` transcript
 * @param prev the cursor from the previous read, or null
 * @throws the fs error when the file cannot be stat'ed or read (ENOENT, EACCES): callers decide
 */
export function catchUpTranscript(file: string, prev: TranscriptCursor | null): CatchUp {
  const st = statSync(file);
  const fd = openSync(file, 'r');
  try {
    if (prev !== null && prev.ino === st.ino && st.size >= prev.offset && tailMatches(fd, prev)) {
      if (st.size === prev.size && st.mtimeMs === prev.mtimeMs) return { cursor: prev, changes: [], rescanned: false, bytesRead: 0 };
      return readFrom(fd, file, st, structuredClone(prev.digest), prev.offset, false);
    }
    return readFrom(fd, file, st, emptyDigest(), 0, true);
  } finally {
    closeSync(fd);
  }
}

function tailMatches(fd: number, prev: TranscriptCursor): boolean {
  return bytesAt(fd, prev.head, 0) && bytesAt(fd, prev.tail, prev.offset - Buffer.from(prev.tail, 'base64').length);
}

function bytesAt(fd: number, b64: string, pos: number): boolean {
  const want = Buffer.from(b64, 'base64');
  if (want.length === 0) return true;
  const got = Buffer.alloc(want.length);
  const n = readSync(fd, got, 0, got.length, pos);
  return n === want.length && got.equals(want);
}

function readFrom(
  fd: number,
  file: string,
  st: { ino: number; size: number; mtimeMs: number },
  digest: FileDigest,
  start: number,
  rescanned: boolean,
): CatchUp {
  const index = indexEntries(digest);
  const changes: UsageEntry[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let pendingAt = start;
  let pos = start;
  let skippingLongLine = false;
  while (pos < st.size) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, st.size - pos));
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n <= 0) break;
    pos += n;
    let buf = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    if (skippingLongLine) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) { pendingAt += buf.length; pending = Buffer.alloc(0); continue; }
      buf = buf.subarray(nl + 1);
      pendingAt += nl + 1;
      skippingLongLine = false;
    }
    const { lines, end } = completeLines(buf, pendingAt, pos >= st.size);
    digestLines(digest, lines, index, changes);
    pending = buf.subarray(end - pendingAt);
    pendingAt = end;
    if (pending.length > MAX_LINE_BYTES) {
      digest.malformedLines++;
      pendingAt += pending.length;
      pending = Buffer.alloc(0);
      skippingLongLine = true;
    }
  }
  // A skipped over-long line that never ended is consumed; otherwise stop before the unfinished line.
  const offset = skippingLongLine ? pos : pendingAt;
  const tailLen = Math.min(TAIL, offset);
  const tail = Buffer.alloc(tailLen);
  if (tailLen > 0) readSync(fd, tail, 0, tailLen, offset - tailLen);
  const head = Buffer.alloc(Math.min(HEAD, offset));
  if (head.length > 0) readSync(fd, head, 0, head.length, 0);
  return {
    cursor: { path: file, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, offset, tail: tail.toString('base64'), head: head.toString('base64'), digest },
    changes,
    rescanned,
    bytesRead: pos - start,
  };
}
