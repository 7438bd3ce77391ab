import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeDir } from '../make-dir.ts';

/**
 * Transcript paths the tracker refused (src/tracker/drain.ts refusedTranscript), remembered so that each
 * is logged once, not once per event or per tracker run: `cco/refused/<sha1 of the path>`, an empty file
 * made with O_EXCL (one process wins). Forgotten after REFUSAL_MEMORY_MS (prune), so a path refused again
 * a day later is said again.
 */
const REFUSAL_MEMORY_MS = 24 * 3_600_000;

function dirOf(ccoDir: string): string {
  return path.join(ccoDir, 'refused');
}

/**
 * Whether this is the first refusal of `transcriptPath` (within REFUSAL_MEMORY_MS): records it.
 * @returns true when the caller should log it; true as well when nothing can be recorded (better twice than never)
 */
export function firstRefusal(ccoDir: string, transcriptPath: string, nowMs: number): boolean {
  const file = path.join(dirOf(ccoDir), createHash('sha1').update(transcriptPath).digest('hex'));
  try {
    if (nowMs - statSync(file).mtimeMs < REFUSAL_MEMORY_MS) return false;
    rmSync(file, { force: true });
  } catch {
    // not refused before
  }
  try {
    makeDir(dirOf(ccoDir));
    closeSync(openSync(file, 'wx', 0o600));
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}

/** Forgets refusals older than REFUSAL_MEMORY_MS. @throws never */
export function pruneRefusals(ccoDir: string, nowMs: number): void {
  let names: string[] = [];
  try {
    names = readdirSync(dirOf(ccoDir));
  } catch {
    return;
  }
  for (const n of names) {
    const f = path.join(dirOf(ccoDir), n);
    try {
      if (nowMs - statSync(f).mtimeMs >= REFUSAL_MEMORY_MS) rmSync(f, { force: true });
    } catch {
      // gone
    }
  }
}
