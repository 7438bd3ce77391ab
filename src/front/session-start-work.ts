import { statSync } from 'node:fs';
import { readRegular } from '../store/read-regular.ts';
import type { StatePaths } from '../store/paths.ts';

/**
 * Whether a SessionStart may have more to do than track: a pending handoff in the index
 * (`cco/handoffs/pending.json` lists at least one project) or a session queue that may hold a due
 * planned session. Then the SessionStart front loads the handoff and plan code
 * (dist/hooks/session-start-extras.cjs); otherwise it stays at one bare `node` start. A read problem
 * says yes: the extras validate properly and report it.
 */
export function sessionStartHasWork(paths: StatePaths): boolean {
  if (exists(paths.sessionQueue)) return true;
  // Never opened unless a regular file (a FIFO would block the session's start); anything else in its
  // place is work: the extras' read moves it aside.
  const read = readRegular(paths.handoffPending);
  if (read.kind !== 'text') return read.kind !== 'missing';
  const text = read.text;
  try {
    const pending = (JSON.parse(text) as { pending?: unknown } | null)?.pending;
    return typeof pending !== 'object' || pending === null || Object.keys(pending).length > 0;
  } catch {
    return true;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
