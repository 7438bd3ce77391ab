import { makeDir } from '../make-dir.ts';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { outboxPrefix } from '../front/outbox.ts';
import type { Notice } from '../notify/hook-output.ts';

/** Undelivered notices older than this (ms) are dropped: their session is long gone. */
const OUTBOX_MAX_AGE_MS = 24 * 3_600_000;

let counter = 0;

/**
 * Puts `notices` in the session's outbox as a new file (never overwriting one a hook may be taking),
 * written atomically (write-file-atomic). Called by the tracker only, under its lock.
 * @throws fs errors
 */
export async function writeOutbox(outboxDir: string, sessionId: string, notices: readonly Notice[], nowMs: number): Promise<void> {
  if (notices.length === 0) return;
  makeDir(outboxDir);
  const name = `${outboxPrefix(sessionId)}${String(nowMs).padStart(15, '0')}-${process.pid}-${counter++}.json`;
  await writeFileAtomic(path.join(outboxDir, name), JSON.stringify({ notices }), { mode: 0o600, fsync: false });
}

/**
 * Removes outbox files older than OUTBOX_MAX_AGE_MS and claimed files left by a killed hook.
 * @returns how many were removed
 * @throws never
 */
export function pruneOutbox(outboxDir: string, nowMs: number): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(outboxDir);
  } catch {
    return 0;
  }
  for (const n of names) {
    const f = path.join(outboxDir, n);
    try {
      const age = nowMs - statSync(f).mtimeMs;
      if (age > OUTBOX_MAX_AGE_MS || (n.includes('.taking-') && age > 60_000)) {
        unlinkSync(f);
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
