import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Appends one JSON line to our log (`cco/logs/cco.log`). Logging must never be the thing that fails:
 * any error here is swallowed. Messages are cut to one line.
 */
export function logLine(logFile: string, level: 'info' | 'warn' | 'error', where: string, message: string, now = new Date()): void {
  try {
    mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o700 });
    const msg = message.replace(/\s+/g, ' ').slice(0, 2_000);
    appendFileSync(logFile, JSON.stringify({ at: now.toISOString(), level, where, msg, pid: process.pid }) + '\n', { mode: 0o600 });
  } catch {
    // nowhere left to report to
  }
}
