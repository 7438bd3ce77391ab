import { makeDir } from '../make-dir.ts';
import { appendFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

/** Past this size (bytes) the log is rotated: `cco.log` becomes `cco.log.1` (replacing the older one). */
export const LOG_ROTATE_BYTES = 10 << 20;

/**
 * Appends one JSON line to our log (`cco/logs/cco.log`), rotating it past LOG_ROTATE_BYTES (so at most
 * about twice that is kept). Logging must never be the thing that fails: any error here is swallowed.
 * Messages are cut to one line.
 */
export function logLine(logFile: string, level: 'info' | 'warn' | 'error', where: string, message: string, now = new Date()): void {
  try {
    makeDir(path.dirname(logFile));
    try {
      if (statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
    } catch {
      // no log yet
    }
    const msg = message.replace(/\s+/g, ' ').slice(0, 2_000);
    appendFileSync(logFile, JSON.stringify({ at: now.toISOString(), level, where, msg, pid: process.pid }) + '\n', { mode: 0o600 });
  } catch {
    // nowhere left to report to
  }
}
