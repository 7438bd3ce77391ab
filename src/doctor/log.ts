import { ago, fix, ok, plural, type CheckResult } from './check.ts';

export interface LogFacts {
  file: string;
  /** The log's size (bytes); null when there is no log. */
  size: number | null;
  /** The last lines of the log (JSON lines as `logLine` writes them; others are ignored). */
  tail: string[];
  nowMs: number;
}

/** A log over this size is worth truncating: the log rotates at 10 MB (src/store/log.ts), so it was written by something else. */
export const LOG_MAX_BYTES = 20 << 20;
const DAY_MS = 24 * 3_600_000;

/** Log errors: `error` lines of `cco/logs/cco.log` in the last 24 h, and the log's size. Pure. */
export function checkLog(f: LogFacts): CheckResult[] {
  if (f.size === null) return [ok('log', `no log yet (${f.file})`)];
  const recent: { at: number; level: string; where: string; msg: string }[] = [];
  for (const line of f.tail) {
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof rec !== 'object' || rec === null) continue;
    const r = rec as Record<string, unknown>;
    const at = typeof r.at === 'string' ? Date.parse(r.at) : NaN;
    if (!Number.isFinite(at) || f.nowMs - at > DAY_MS) continue;
    recent.push({ at, level: String(r.level), where: String(r.where ?? ''), msg: String(r.msg ?? '') });
  }
  const errors = recent.filter((r) => r.level === 'error');
  const warnings = recent.filter((r) => r.level === 'warn').length;
  const out: CheckResult[] = [];
  if (errors.length > 0) {
    const last = errors.at(-1)!;
    out.push(
      fix(
        'log',
        `${plural(errors.length, 'error')} in the last 24 h; last ${ago(f.nowMs - last.at)} in ${last.where}: ${last.msg.slice(0, 160)}`,
        `read ${f.file}; if it is a bug, report it with those lines`,
      ),
    );
  }
  if (f.size > LOG_MAX_BYTES) out.push(fix('log', `${f.file} is ${(f.size / (1 << 20)).toFixed(0)} MB (it rotates at 10 MB)`, `truncate it: : > "${f.file}"`));
  if (out.length === 0) out.push(ok('log', `no errors in the last 24 h${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}`));
  return out;
}
