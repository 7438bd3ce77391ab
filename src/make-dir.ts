import { mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Kernel pseudo filesystems: no file of ours belongs there (mkdir under /proc even spins in Node). */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/** Whether absolute `p` lies on a pseudo filesystem (/proc, /sys, /dev). Pure. */
export function onPseudoFs(p: string): boolean {
  return PSEUDO_ROOTS.some((r) => p === r || p.startsWith(`${r}/`));
}

/**
 * Creates `dir` and its missing parents (mode `mode`, default 0700), like `mkdirSync(dir, {recursive})`
 * but bounded: one mkdir per missing component, never more. Why not Node's recursive mkdir: under
 * /proc it loops at 100 % CPU and the process cannot even take SIGTERM (issue 17); here such a place is
 * refused before any mkdir, also when reached through a symlink.
 *
 * @throws Error with code `EPSEUDOFS` when `dir` (its existing part resolved) is on /proc, /sys or /dev;
 *   fs errors of mkdir (EACCES, ENOTDIR, ...) as Node reports them
 */
export function makeDir(dir: string, mode = 0o700): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    try {
      statSync(p);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    missing.push(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  let real = p;
  try {
    real = realpathSync(p);
  } catch {
    // not resolvable: the mkdirs below report why
  }
  if (onPseudoFs(abs) || onPseudoFs(real)) {
    throw Object.assign(new Error(`${abs} is on a kernel pseudo filesystem (/proc, /sys, /dev): cco keeps no files there`), { code: 'EPSEUDOFS' });
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
