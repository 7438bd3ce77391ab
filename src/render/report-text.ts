import type { UsageReport } from '../usage/report.ts';
import { TOKEN_FIELDS } from '../usage/tokens.ts';
import { fmtInt } from './format.ts';

/** Plain-text `cco report`: totals, then one row per 5-hour block. Pure. */
export function renderReport(r: UsageReport): string {
  const head = ['input', 'output', 'cache create', 'cache read'];
  const row = (label: string, t: Record<(typeof TOKEN_FIELDS)[number], number>) =>
    label.padEnd(22) + TOKEN_FIELDS.map((f) => fmtInt(t[f]).padStart(14)).join('');
  const lines = [
    `Usage of ${r.stats.files} transcripts (${fmtInt(r.stats.entries)} API responses, measured)`,
    ''.padEnd(22) + head.map((h) => h.padStart(14)).join(''),
    row('total', r.totals),
    '',
    '5-hour blocks (UTC)',
    ...r.blocks.map((b) => row(b.start.replace('T', ' ').replace(':00Z', ''), b)),
  ];
  if (r.stats.malformedLines > 0) lines.push('', `${r.stats.malformedLines} malformed transcript line(s) skipped`);
  return lines.join('\n') + '\n';
}
