/**
 * One line of `cco doctor`: a check that is `ok`, or that needs a `fix` (what is wrong, and what to do).
 * The checks in src/doctor/ are pure: facts in (gathered by src/cli/doctor.ts), results out.
 */
export interface CheckResult {
  /** Short name of what was checked (`node`, `plugin`, `dist`, ...). */
  check: string;
  status: 'ok' | 'fix';
  /** What was found, one line. */
  detail: string;
  /** For `fix`: what to do about it, one line. */
  fix?: string;
}

export function ok(check: string, detail: string): CheckResult {
  return { check, status: 'ok', detail };
}

export function fix(check: string, detail: string, todo: string): CheckResult {
  return { check, status: 'fix', detail, fix: todo };
}

/** "3 s", "12 min", "5 h", "2 d": how long ago `ms` (elapsed ms) was. Pure. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

/** `n thing`/`n things`. Pure. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
