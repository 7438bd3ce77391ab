import type { CheckResult } from '../doctor/check.ts';

/**
 * `cco doctor` as text: a header, then one line per result, `ok   <check>  <detail>` or
 * `fix  <check>  <detail>; fix: <what to do>`, then a count. Pure.
 */
export function renderDoctor(results: readonly CheckResult[], stateDir: string): string {
  const width = Math.max(...results.map((r) => r.check.length), 5);
  const lines = results.map(
    (r) => `${r.status === 'ok' ? 'ok ' : 'fix'}  ${r.check.padEnd(width)}  ${r.detail}${r.status === 'fix' ? `; fix: ${r.fix ?? 'see above'}` : ''}`,
  );
  const toFix = results.filter((r) => r.status === 'fix').length;
  return [
    `cco doctor (state dir ${stateDir})`,
    ...lines,
    toFix === 0 ? `all ${results.length} checks ok` : `${toFix} of ${results.length} checks need a fix`,
    '',
  ].join('\n');
}
