import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { notRegularError, unreadableKind } from '../fs-kind.ts';
import { parseValues } from './jsonl-lines.ts';
import { digestBytes, digestLines, emptyDigest, indexEntries, type DigestScope, type FileDigest } from './transcript-digest.ts';
import type { UsageEntry } from '../usage/usage-record.ts';

/** What we remember about one transcript file between reads (the per-file cache record). */
export interface TranscriptCursor {
  path: string;
  /**
   * File identity and state when last read: inode, size (bytes), mtime and ctime (epoch ms). The ctime
   * is kept because a rewrite can put the mtime back (utimes) but never the ctime.
   */
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Byte offset just past the last complete line folded into `digest`. */
  offset: number;
  /**
   * A fingerprint of the bytes before `offset` (see `prefixPrint`: its first bytes, the bytes just before
   * `offset` and samples between): checked when the file grew, so that a rewrite followed by an append
   * before the next read is read from the start, not taken for an append.
   */
  print: string;
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

/**
 * Bytes per read. Small enough that a chunk is still in the CPU cache when its lines are searched and
 * decoded (4 MB cost about 5 % more CPU per byte than 128 or 256 KB on a 1 GB history).
 */
const CHUNK = 256 << 10;
/** Room kept for the unfinished line carried from one read to the next (it grows when a line is longer). */
const CARRY_ROOM = 256 << 10;
/** The fingerprint's samples: PRINT_BLOCKS blocks of PRINT_BLOCK bytes (a prefix up to both is hashed whole). */
const PRINT_BLOCK = 1_024;
const PRINT_BLOCKS = 16;
/** A line longer than this (bytes) is skipped as malformed rather than held in memory. */
const MAX_LINE_BYTES = 256 << 20;

/**
 * Whether `st` is the file `prev` was read from, as it was then (nothing to read): same inode, size,
 * mtime and ctime.
 */
export function sameState(
  prev: Pick<TranscriptCursor, 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>,
  st: { ino: number; size: number; mtimeMs: number; ctimeMs: number },
): boolean {
  return prev.ino === st.ino && prev.size === st.size && prev.mtimeMs === st.mtimeMs && prev.ctimeMs === st.ctimeMs;
}

/**
 * Reads what is new in a transcript since `prev` and folds it into the digest. A file that shrank,
 * whose inode changed, or whose bytes before the old offset changed, is read again from the start.
 * So is a file that did not grow although its mtime or ctime moved: an in-place rewrite of the same
 * size (an editor, a tool that redacts a line) changes bytes anywhere, and the fingerprint compared on
 * an append only samples a prefix beyond 16 KB: it misses a change between its samples. Claude Code
 * only appends, so this costs a re-read only when someone else wrote the file.
 * A last line without a newline is left for the next read unless it is already complete JSON. A file
 * whose inode, size and mtime are those of `prev` is taken as unchanged without being opened.
 *
 * @param file absolute path of a `*.jsonl` transcript
 * @param prev the cursor from the previous read, or null
 * @param opts.ownsPrev true when `prev` is the caller's own copy (just parsed): its digest is then folded
 *   into in place instead of cloned first
 * @param opts.scope what the digest folds (see `DigestScope`; default `all`): `prev` must have been read
 *   with the same scope
 * @throws the fs error when the file cannot be stat'ed or read (ENOENT, EACCES): callers decide
 */
export function catchUpTranscript(file: string, prev: TranscriptCursor | null, opts: { ownsPrev?: boolean; scope?: DigestScope } = {}): CatchUp {
  const scope = opts.scope ?? 'all';
  const st = statSync(file);
  // Same inode, size, mtime and ctime as when last read: nothing to read (the file is not even opened).
  if (prev !== null && sameState(prev, st)) return { cursor: prev, changes: [], rescanned: false, bytesRead: 0 };
  // A FIFO (or device, socket, /proc file) named as a transcript would block open() or read() forever.
  const bad = unreadableKind(file);
  if (bad !== null) throw notRegularError(file, bad);
  // O_NONBLOCK: should the path be swapped for a FIFO after the check, open() still returns at once.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw notRegularError(file, 'not a regular file');
    // Read on only when the file grew (appended to); one that kept its size or shrank while its times
    // moved was written in place, anywhere: read it from the start.
    if (
      prev !== null &&
      prev.ino === st.ino &&
      st.size > prev.size &&
      st.size >= prev.offset &&
      prefixPrint(fd, prev.offset) === prev.print &&
      appendStartsLine(fd, prev.offset)
    ) {
      return readFrom(fd, file, st, opts.ownsPrev === true ? prev.digest : structuredClone(prev.digest), prev.offset, false, scope);
    }
    return readFrom(fd, file, st, emptyDigest(), 0, true, scope);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the bytes from `offset` on start a new line: true when the last read ended on a newline (the
 * byte at `offset - 1`, read from the file: the fingerprint, checked first, covers it and found it
 * unchanged) or at the file's start, else only when the byte at `offset` is a newline. A read that ended
 * on an unterminated line it counted (complete JSON at the end of the file) and bytes appended straight
 * onto that line make it a longer one, which a read from the start sees as one line: read from the start too.
 */
function appendStartsLine(fd: number, offset: number): boolean {
  if (offset === 0) return true;
  // b[0]: the byte at offset - 1; b[1]: the byte at offset (absent only when the file shrank since its stat).
  const b = Buffer.alloc(2);
  const n = readSync(fd, b, 0, 2, offset - 1);
  return n < 2 || b[0] === 0x0a || b[1] === 0x0a;
}

/**
 * A fingerprint of a file's first `offset` bytes: the SHA-1 (base64) of all of them when they are at most
 * PRINT_BLOCKS x PRINT_BLOCK (16 KB), else of PRINT_BLOCKS blocks of PRINT_BLOCK bytes spread evenly from
 * the first byte to the last one before `offset` (positions derived from `offset` alone, so that a later
 * read samples the same bytes). Costs at most 16 reads of 1 KB: cheap enough for every hook event. A
 * rewrite of a small prefix is always seen; one of a large prefix when it touches a sampled block (the
 * first bytes and the bytes just before `offset` always are), else only once the size stops growing (a rewrite
 * that keeps the size is read from the start anyway).
 */
function prefixPrint(fd: number, offset: number): string {
  const h = createHash('sha1');
  const whole = offset <= PRINT_BLOCK * PRINT_BLOCKS;
  const buf = Buffer.alloc(whole ? offset : PRINT_BLOCK);
  if (whole) {
    h.update(buf.subarray(0, readSync(fd, buf, 0, offset, 0)));
  } else {
    for (let i = 0; i < PRINT_BLOCKS; i++) {
      const at = Math.floor(((offset - PRINT_BLOCK) * i) / (PRINT_BLOCKS - 1));
      h.update(buf.subarray(0, readSync(fd, buf, 0, PRINT_BLOCK, at)));
    }
  }
  return h.digest('base64');
}

function readFrom(
  fd: number,
  file: string,
  st: { ino: number; size: number; mtimeMs: number; ctimeMs: number },
  digest: FileDigest,
  start: number,
  rescanned: boolean,
  scope: DigestScope,
): CatchUp {
  const index = indexEntries(digest);
  const changes: UsageEntry[] = [];
  // One buffer, reused: buf[0, carry) is the unfinished line carried over from the last read, and the
  // next read lands right after it. bufAt is the file offset of buf[0].
  let buf = Buffer.alloc(0);
  let carry = 0;
  let bufAt = start;
  let pos = start;
  let skippingLongLine = false;
  while (pos < st.size) {
    const want = Math.min(CHUNK, st.size - pos);
    if (buf.length < carry + want) {
      // Doubling: a line of many chunks costs log(n) copies, not one per chunk (and one garbage buffer each).
      const bigger = Buffer.allocUnsafe(Math.max(carry + want + CARRY_ROOM, 2 * buf.length));
      buf.copy(bigger, 0, 0, carry);
      buf = bigger;
    }
    const n = readSync(fd, buf, carry, want, pos);
    if (n <= 0) break;
    pos += n;
    let view = buf.subarray(0, carry + n);
    // The carried bytes hold no newline: only this read's bytes are searched for the last one (else a
    // line of many chunks would be searched again at every read).
    let fresh = carry;
    if (skippingLongLine) {
      const nl = view.indexOf(0x0a);
      if (nl < 0) {
        bufAt += view.length;
        carry = 0;
        continue;
      }
      view.copy(buf, 0, nl + 1);
      bufAt += nl + 1;
      view = buf.subarray(0, view.length - nl - 1);
      fresh = 0;
      skippingLongLine = false;
    }
    const nlInFresh = view.subarray(fresh).lastIndexOf(0x0a);
    const lastNl = nlInFresh < 0 ? -1 : fresh + nlInFresh;
    let end = lastNl < 0 ? 0 : lastNl + 1;
    if (lastNl > 0) digestBytes(digest, view, 0, lastNl, index, changes, scope);
    // At the end of the file, an unterminated last line counts when it is already complete JSON (see completeLines).
    if (pos >= st.size && end < view.length) {
      const tail = view.toString('utf8', end);
      if (tail.trim().length > 0 && parseValues(tail).complete) {
        digestLines(digest, [tail], index, changes, scope);
        end = view.length;
      }
    }
    carry = view.length - end;
    if (carry > 0 && end > 0) view.copy(buf, 0, end);
    bufAt += end;
    if (carry > MAX_LINE_BYTES) {
      digest.malformedLines++;
      bufAt += carry;
      carry = 0;
      skippingLongLine = true;
    }
  }
  const pendingAt = bufAt;
  // A skipped over-long line that never ended is consumed; otherwise stop before the unfinished line.
  const offset = skippingLongLine ? pos : pendingAt;
  return {
    cursor: {
      path: file,
      ino: st.ino,
      size: st.size,
      mtimeMs: st.mtimeMs,
      ctimeMs: st.ctimeMs,
      offset,
      print: prefixPrint(fd, offset),
      digest,
    },
    changes,
    rescanned,
    bytesRead: pos - start,
  };
}
