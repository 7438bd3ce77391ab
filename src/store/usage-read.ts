import { catchUpTranscript, type TranscriptCursor } from '../claude/transcript-reader.ts';
import { emptyDigest } from '../claude/transcript-digest.ts';
import type { UsagePart } from './report-base.ts';

/** One transcript's usage as the report keeps it: its identity when read ([inode, size, mtime ms, ctime ms]) and its part. */
export interface UsageRead {
  ident: [number, number, number, number];
  part: UsagePart;
}

/** A read, and whether it started over from the first byte (the file was not only appended to, or there was no last read). */
export interface UsageCatchUp extends UsageRead {
  rescanned: boolean;
}

/**
 * Reads the usage of one transcript (a `usage` read: usage lines parsed, tool results never; see
 * DigestScope), going on from `prev` (the file's last read) when the file was only appended to since,
 * else from its first byte. Pure but for reading `file`; `prev`'s arrays are folded into in place.
 *
 * @returns the new read, or null when the file is gone (ENOENT)
 * @throws other fs errors of the transcript (EACCES, EISDIR)
 */
export function readUsage(file: string, prev: UsageRead | null): UsageCatchUp | null {
  const cursor: TranscriptCursor | null = prev === null ? null : {
    path: file, ino: prev.ident[0], size: prev.ident[1], mtimeMs: prev.ident[2], ctimeMs: prev.ident[3],
    offset: prev.part[4][0], tail: prev.part[4][1], head: prev.part[4][2],
    digest: { ...emptyDigest(), entries: prev.part[2], loose: prev.part[3], lines: prev.part[0], malformedLines: prev.part[1] },
  };
  try {
    const r = catchUpTranscript(file, cursor, { ownsPrev: true, scope: 'usage' });
    const c = r.cursor;
    return { ident: [c.ino, c.size, c.mtimeMs, c.ctimeMs], part: [c.digest.lines, c.digest.malformedLines, c.digest.entries, c.digest.loose, [c.offset, c.tail, c.head]], rescanned: r.rescanned };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
