import { createHash } from 'node:crypto';
import path from 'node:path';
import { catchUpTranscript, type CatchUp, type TranscriptCursor } from '../claude/transcript-reader.ts';
import type { Runtime } from '../runtime.ts';
import { z } from 'zod';
import { TranscriptCursorSchema } from './schemas.ts';

/**
 * A cache file of another format version (an older or newer build of this pack) is not corrupt, just
 * not ours to read: it reads as "no cache" and is overwritten by the rescan.
 */
const CursorFileSchema = z.union([
  TranscriptCursorSchema,
  z.looseObject({ version: z.number() }).transform(() => null),
]).nullable();
import { readState, update } from './update.ts';

/** Where the cursor of `transcript` is cached: `cco/cache/transcripts/<sha1 of path>.json`. */
export function cursorFile(rt: Runtime, transcript: string): string {
  return path.join(rt.paths.transcriptCacheDir, createHash('sha1').update(transcript).digest('hex') + '.json');
}

/**
 * Catches up one transcript under the lock of its cache file, so that two hooks of one session (parallel
 * tool calls) never fold the same bytes twice. A corrupt cache is quarantined and the file re-read; a
 * cache of another format version is simply replaced.
 *
 * @param opts.persist false reads with the cache (if any) but writes nothing (read-only state dir)
 * @throws the fs error of the transcript (ENOENT, EACCES); LockBusyError when the cache lock is busy
 */
export async function catchUpCached(rt: Runtime, transcript: string, opts: { lockBudgetMs?: number; persist?: boolean } = {}): Promise<CatchUp> {
  const file = cursorFile(rt, transcript);
  const onQuarantine = (f: string, to: string, why: string) => rt.log('warn', 'cache', `${f} moved to ${to}: ${why}`);
  if (opts.persist === false) {
    const prev = readState(file, CursorFileSchema, () => null);
    return catchUpTranscript(transcript, prev?.path === transcript ? prev : null);
  }
  let result: CatchUp | undefined;
  await update(file, CursorFileSchema, () => null, (prev) => {
    result = catchUpTranscript(transcript, prev?.path === transcript ? prev : null);
    if (result.bytesRead === 0 && !result.rescanned && prev !== null) return undefined;
    return toFile(result.cursor);
  }, { lockBudgetMs: opts.lockBudgetMs ?? 2_000, onQuarantine, now: rt.now });
  return result!;
}

function toFile(c: TranscriptCursor) {
  return { version: 4 as const, ...c };
}
