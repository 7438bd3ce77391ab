import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { notRegularError, unreadableKind } from '../fs-kind.ts';
import { parseValues } from './jsonl-lines.ts';

/** One JSON record of a transcript with where it was found. */
export interface TranscriptRecord {
  /** 0-based index of the (non-blank) line it came from. */
  line: number;
  rec: Record<string, unknown>;
}

/** Whole-transcript reads are for commands (not hooks' hot path); past this size the start is skipped. */
const MAX_TRANSCRIPT_BYTES = 256 << 20;

/**
 * Every JSON object record of a transcript, in file order (several objects on one line are split;
 * lines that are not JSON are skipped). For transcripts over 256 MB only the last 256 MB are read,
 * starting at the first complete line.
 *
 * @throws the fs error when the file cannot be read (ENOENT, EACCES)
 */
export function readTranscriptRecords(file: string): TranscriptRecord[] {
  // A FIFO, device or /proc file named as a transcript would block open() or read() forever.
  const bad = unreadableKind(file);
  if (bad !== null) throw notRegularError(file, bad);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegularError(file, 'not a regular file');
    const size = st.size;
    const start = Math.max(0, size - MAX_TRANSCRIPT_BYTES);
    const buf = Buffer.alloc(size - start);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, start + off);
      if (n <= 0) break;
      off += n;
    }
    text = buf.toString('utf8', 0, off);
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
  } finally {
    closeSync(fd);
  }
  return parseRecords(text);
}

/** Parses transcript text into records (pure; see `readTranscriptRecords`). */
export function parseRecords(text: string): TranscriptRecord[] {
  const out: TranscriptRecord[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim().length === 0) continue;
    for (const v of parseValues(raw).values) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.push({ line, rec: v as Record<string, unknown> });
    }
    line++;
  }
  return out;
}

/**
 * The part of a transcript that is in the model's context now: the main chain (not sidechain) records
 * after the last compaction boundary (`system`/`compact_boundary`), which itself is returned as
 * `boundary` (null when the session was never compacted). Pure.
 */
export function liveSegment(records: readonly TranscriptRecord[]): { boundary: TranscriptRecord | null; records: TranscriptRecord[] } {
  let lastBoundary = -1;
  records.forEach((r, i) => {
    if (r.rec.type === 'system' && r.rec.subtype === 'compact_boundary') lastBoundary = i;
  });
  const after = records.slice(lastBoundary + 1).filter((r) => r.rec.isSidechain !== true);
  return { boundary: lastBoundary < 0 ? null : records[lastBoundary]!, records: after };
}
