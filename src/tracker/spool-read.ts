import { readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SpoolEntry } from '../front/spool.ts';
import { readTextOrNull } from '../store/read-text.ts';

/** A spool entry as the tracker accepts it (src/front/spool.ts writes them). */
export const SpoolEntrySchema = z.object({
  v: z.literal(1),
  event: z.string().min(1),
  receivedAt: z.string(),
  input: z.record(z.string(), z.unknown()),
  env: z.object({
    CLAUDE_PID: z.string().optional(), CLAUDE_PROJECT_DIR: z.string().optional(),
    CLAUDE_CODE_AUTO_COMPACT_WINDOW: z.string().optional(), DISABLE_AUTO_COMPACT: z.string().optional(),
  }),
  cwd: z.string(),
  tracker: z.string().optional(),
}) satisfies z.ZodType<SpoolEntry>;

/** One spool file as read: its entry, or why it was unusable (then it has been moved aside). */
export type SpoolRead = { name: string; file: string; entry: SpoolEntry } | { name: string; file: string; entry: null; why: string };

/**
 * Reads and validates the spool file `name`. A file that is not JSON or fails the schema is renamed
 * `<file>.corrupt-<ISO time>` (kept for inspection, out of the queue) and reported as `entry: null`.
 *
 * @returns the read; `null` when the file is gone (taken by another drainer)
 * @throws fs errors other than ENOENT
 */
export function readSpoolEntry(spoolDir: string, name: string, now: Date): SpoolRead | null {
  const file = path.join(spoolDir, name);
  const text = readTextOrNull(file);
  if (text === null) return null;
  let why: string;
  try {
    const parsed = SpoolEntrySchema.safeParse(JSON.parse(text));
    if (parsed.success) return { name, file, entry: parsed.data as SpoolEntry };
    const i = parsed.error.issues[0];
    why = `schema: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`;
  } catch (e) {
    why = `not JSON (${(e as Error).message})`;
  }
  try {
    renameSync(file, `${file}.corrupt-${now.toISOString().replace(/:/g, '-')}`);
  } catch {
    // gone meanwhile
  }
  return { name, file, entry: null, why };
}

/**
 * Removes half-written spool entries (`.<name>.tmp`) older than `maxAgeMs`: a hook killed between its
 * write and its rename leaves one; its event is lost, but the session's next event catches up the same.
 * @returns how many were removed
 * @throws never
 */
export function pruneSpoolTemps(spoolDir: string, nowMs: number, maxAgeMs = 60_000): number {
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(spoolDir).filter((n) => n.startsWith('.') && n.endsWith('.tmp'));
  } catch {
    return 0;
  }
  for (const n of names) {
    const f = path.join(spoolDir, n);
    try {
      if (nowMs - statSync(f).mtimeMs > maxAgeMs) {
        unlinkSync(f);
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
