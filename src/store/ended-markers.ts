import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Runtime } from '../runtime.ts';
import { writeTextAtomic } from './atomic-text.ts';
import type { SessionTracker } from './schemas.ts';

/**
 * Why markers: SessionEnd gets about 1.5 s and no later trigger repeats it, so when the session tracker's
 * lock is busy the end is written lock-free to `cco/ended/<session id>.json` (one file per session, so no
 * two writers share one) and folded into the tracker by the next write that holds its lock.
 */

const MarkerSchema = z.object({ sessionId: z.string(), endedAt: z.string(), reason: z.string().nullable() });
export type EndedMarker = z.infer<typeof MarkerSchema>;

function dir(rt: Runtime): string {
  return path.join(rt.paths.ccoDir, 'ended');
}

/** Writes the marker atomically (0600 in a 0700 dir). @throws fs errors */
export async function writeEndedMarker(rt: Runtime, m: EndedMarker): Promise<void> {
  mkdirSync(dir(rt), { recursive: true, mode: 0o700 });
  await writeTextAtomic(path.join(dir(rt), `${encodeURIComponent(m.sessionId)}.json`), JSON.stringify(m));
}

/** The markers waiting to be folded (unreadable ones are skipped, and removed with the rest). */
export function readEndedMarkers(rt: Runtime): { marker: EndedMarker | null; file: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir(rt)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.map((n) => {
    const file = path.join(dir(rt), n);
    try {
      const p = MarkerSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return { marker: p.success ? p.data : null, file };
    } catch {
      return { marker: null, file };
    }
  });
}

/**
 * Applies ended markers to the tracker: a session is marked ended unless a hook saw it after the end (it
 * was resumed). Pure: returns the same object when nothing changes.
 */
export function applyEndedMarkers(t: SessionTracker, markers: readonly EndedMarker[]): SessionTracker {
  let sessions: SessionTracker['sessions'] | null = null;
  for (const m of markers) {
    const s = (sessions ?? t.sessions)[m.sessionId];
    if (s === undefined || s.endedAt !== null || Date.parse(s.lastSeenAt) > Date.parse(m.endedAt)) continue;
    sessions ??= { ...t.sessions };
    sessions[m.sessionId] = { ...s, endedAt: m.endedAt, endReason: m.reason };
  }
  return sessions === null ? t : { ...t, sessions };
}

/** Removes folded marker files (a failure leaves them for the next fold, which is idempotent). */
export function removeEndedMarkers(files: readonly string[]): void {
  for (const f of files) rmSync(f, { force: true });
}
