// Its own module: the hook fronts load it, and must not load node:child_process (process-memory.ts).

/**
 * Whether a process exists: signal 0 checks without sending anything.
 * @returns true (exists; EPERM: exists, owned by another user), false (ESRCH: gone), null (other errors, invalid pid)
 */
export function processAlive(pid: number): boolean | null {
  if (!Number.isSafeInteger(pid) || pid < 1) return null;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true;
    return null;
  }
}
