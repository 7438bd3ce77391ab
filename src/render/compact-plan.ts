import { clipPath, compactCommand, outputName, rel } from '../context/compact-line.ts';
import { clip } from '../util/clip.ts';
import type { ItemRef } from '../context/opportunities.ts';
import { usedText } from './context-figures.ts';
import { items, RULE, span, turnName, type ContextReportView } from './context-report.ts';
import { fmtInt, fmtPct, fmtTime } from './format.ts';
import { kv } from './kv.ts';

/** Everything the /compact-context plan shows: what the /context-status report shows. */
export type CompactPlanView = ContextReportView;

/** Rows listed per category before "+N more". */
const MAX_ROWS = 25;

function rows<T>(list: readonly T[], fmt: (x: T) => string): string[] {
  const out = list.slice(0, MAX_ROWS).map(fmt);
  if (list.length > MAX_ROWS) out.push(`    … and ${list.length - MAX_ROWS} more`);
  return out;
}

function tok(n: number): string {
  return `~${fmtInt(n)}`.padStart(9);
}

/** Renders the /compact-context plan: each opportunity in detail, the total, the keep-list and the exact /compact line. Pure. */
export function renderCompactPlan(v: CompactPlanView): string {
  const out: string[] = [];
  const c = v.status;
  out.push(`CLAUDE CODE COMPACTION PLAN  ·  ${fmtTime(v.nowMs)}`, RULE);
  out.push(`  Session   ${v.sessionId === null ? 'none tracked yet' : `${v.sessionId}  (${v.chosenBy})`}`);
  out.push(`  Context   ${usedText(c, v.reason)}`);
  if (c.level !== null) out.push(`  Level     ${c.level.name}: ${c.level.recommendation}`);
  const a = v.analysis;
  if (a === null) {
    out.push('', `No plan: ${v.reason ?? 'no transcript to read'}.`);
    return out.join('\n') + '\n';
  }
  const o = a.opportunities;
  const scale = a.breakdown?.scale ?? null;
  out.push(
    `  Tokens    estimated: content characters / 4${scale !== null && a.breakdown !== null && o.options.scale === scale ? `, scaled x${scale.toFixed(2)} to the measured total` : ' (no measured total to scale to)'}`,
  );
  if (a.compacted) out.push(`  Note      compacted before (boundary at line ${a.boundaryLine! + 1}): only what came after it is listed`);
  const cwd = a.cwd;
  const turn = (t: number) => turnName(t, a.compacted);
  const where = (r: ItemRef) => `${turn(r.turn)}, line ${r.line + 1}`;

  out.push('', `SUPERSEDED FILE READS  (${o.superseded.length === 0 ? 'none' : `${fmtInt(o.superseded.length)} · ~${fmtInt(o.tokens.superseded)} tokens`})`);
  out.push(
    ...rows(
      o.superseded,
      (s) =>
        `  ${tok(s.tokens)}  ${clipPath(rel(s.target!, cwd), 60)}${s.range === null ? '' : ` [${s.range}]`}  (${where(s)}) → ${s.by === 'read' ? 'read again' : 'edited'} (${turn(s.byTurn)}, line ${s.byLine + 1})`,
    ),
  );

  out.push('', `DUPLICATE RESULTS  (${o.duplicates.length === 0 ? 'none' : `${fmtInt(o.duplicates.length)} · ~${fmtInt(o.tokens.duplicates)} tokens`})`);
  out.push(...rows(o.duplicates, (d) => `  ${tok(d.tokens)}  ${outputName(d, cwd, 60)}  (${where(d)}) same as ${turn(d.firstTurn)}, line ${d.firstLine + 1}`));

  out.push(
    '',
    `OVERSIZED OUTPUTS  (${o.oversized.length === 0 ? `none of ${fmtInt(o.options.oversizedMinTokens)}+ tokens` : `top ${o.oversized.length} of ${fmtInt(o.options.oversizedMinTokens)}+ tokens · ~${fmtInt(o.tokens.oversized)} tokens`})`,
  );
  out.push(...rows(o.oversized, (r) => `  ${tok(r.tokens)}  ${outputName(r, cwd, 60)}  (${where(r)})`));

  out.push('', `OLD EXCHANGES  (before the last ${o.options.keepTurns})`);
  if (o.oldExchanges === null) out.push(`  none: ${o.keep.lastTurn} exchange${o.keep.lastTurn === 1 ? '' : 's'} in the live context`);
  else {
    const x = o.oldExchanges;
    out.push(`  ${tok(x.tokens)}  ${span(x.fromTurn, x.toTurn)} of ${o.keep.lastTurn}: ${items(x.items)} (prompts, answers, tool calls and results)`);
  }

  const share =
    a.breakdown !== null && a.breakdown.total > 0 ? ` (${fmtPct(o.totalTokens / a.breakdown.total)} of the measured ${fmtInt(a.breakdown.total)})` : '';
  out.push('', `TOTAL  ~${fmtInt(o.totalTokens)} tokens in ${items(o.totalItems)}${share}; an item in several categories counts once`);

  const k = o.keep;
  out.push('', 'KEEP');
  if (k.recentRequests.length === 0) out.push('  Latest requests    none in the live context');
  else
    k.recentRequests.forEach((p, i) => {
      out.push(kv(i === 0 ? 'Latest requests' : '', `[${turn(p.turn)}] “${clip(p.text, 110)}”`));
    });
  out.push(kv('Files in progress', k.filesInProgress.length === 0 ? 'none' : k.filesInProgress.map((f) => rel(f, cwd)).join(', ')));
  if (k.openTodos.length === 0) out.push(kv('Open todos', 'none'));
  else
    k.openTodos.forEach((t, i) => {
      out.push(kv(i === 0 ? 'Open todos' : '', `[${t.status}] ${clip(t.content, 100)}`));
    });
  if (k.plan !== null) out.push(kv('Approved plan', `${turn(k.plan.turn)} (line ${k.plan.line + 1})`));

  out.push('', 'THE /compact LINE  (copy and run it yourself: only you can start a compaction)', compactCommand(a));
  return out.join('\n') + '\n';
}
