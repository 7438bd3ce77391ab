import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processAlive } from './process-alive.ts';

/** What we could learn about a Claude Code process (by its `CLAUDE_PID`). */
export interface ProcessProbe {
  pid: number;
  /**
   * true: the process exists (also when owned by another user: EPERM); false: it is gone (ESRCH, or a
   * zombie on Linux); null: could not tell (invalid pid, unexpected error).
   * A pid reused by an unrelated process after Claude exited reads as alive: pids are not unique over time.
   */
  alive: boolean | null;
  /** Resident set size (bytes), or null when unreadable (gone, no permission, unsupported platform). */
  rssBytes: number | null;
  /** Where `rssBytes` came from: `/proc/<pid>/status VmRSS`, `ps -o rss=`, or why it is missing. */
  source: string;
}

/** How long `ps` may take before the reading is given up (ms). */
const PS_TIMEOUT_MS = 1_000;

/**
 * Probes a process: alive (`process.kill(pid, 0)`) and its RSS (Linux: `/proc/<pid>/status` VmRSS;
 * macOS and other Unixes: `ps -o rss= -p <pid>`, KiB). Never throws.
 *
 * @param pid a process id; anything but a positive safe integer gives `alive: null` without a probe
 *   (0 and negative pids address process groups in kill(2))
 */
export function probeProcess(pid: number, platform: NodeJS.Platform = process.platform): ProcessProbe {
  if (!Number.isSafeInteger(pid) || pid < 1) return { pid, alive: null, rssBytes: null, source: 'invalid pid' };
  const alive = processAlive(pid);
  if (alive === false) return { pid, alive, rssBytes: null, source: 'process gone' };
  if (platform === 'linux') {
    const status = readProcStatus(pid);
    if (status !== null) {
      if (/^State:\s*Z/m.test(status)) return { pid, alive: false, rssBytes: null, source: 'process gone (zombie)' };
      const rss = rssFromProcStatus(status);
      return { pid, alive, rssBytes: rss, source: rss === null ? '/proc/<pid>/status has no VmRSS' : '/proc/<pid>/status VmRSS' };
    }
    return { pid, alive, rssBytes: null, source: '/proc/<pid>/status unreadable' };
  }
  if (platform === 'win32') return { pid, alive, rssBytes: null, source: 'not read on Windows' };
  const rss = rssFromPs(pid);
  return { pid, alive, rssBytes: rss, source: rss === null ? 'ps gave no reading' : 'ps -o rss=' };
}

/** RSS (bytes) from the text of `/proc/<pid>/status`: its `VmRSS: <n> kB` line; null when absent. Pure. */
export function rssFromProcStatus(text: string): number | null {
  const m = /^VmRSS:\s*(\d+)\s*kB/m.exec(text);
  return m === null ? null : Number(m[1]) * 1024;
}

/** RSS (bytes) from `ps -o rss=` output (KiB, blank padded); null when it is not one number. Pure. */
export function rssFromPsOutput(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) * 1024 : null;
}

function readProcStatus(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
}

function rssFromPs(pid: number): number | null {
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: PS_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return rssFromPsOutput(out);
  } catch {
    return null; // exit 1 when the pid is gone; ENOENT without ps; ETIMEDOUT
  }
}
