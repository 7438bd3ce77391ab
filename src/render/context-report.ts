import { displayText } from './display-text.ts';
import type { ContextAnalysis } from '../context/analysis.ts';
import type { ContextStatus } from '../context/context-status.ts';
import { fillRows, limitText, nextAlertText, usedText, windowText } from './context-figures.ts';
import { fmtInt, fmtPct, fmtTime } from './format.ts';
import { kv } from './kv.ts';

/** Everything the /context-status report shows. */
export interface ContextReportView {
  nowMs: number;
  sessionId: string | null;
  /** How the session was chosen (`--session`, `this session`, `latest in this directory`, ...). */
  chosenBy: string;
  status: ContextStatus;
  /** Null when the transcript could not be read; `reason` says why. */
  analysis: ContextAnalysis | null;
  /** Why figures are n/a (no session, no transcript, no usage yet), or null. */
  reason: string | null;
}

export const RULE = '─'.repeat(62);

/** "exchange 3"; turn 0 (before the segment's first prompt) is "since the compaction" or "opening". */
export function turnName(turn: number, compacted: boolean): string {
  return turn > 0 ? `exchange ${turn}` : compacted ? 'since the compaction' : 'opening';
}

/** "1 item", "12 items". */
export function items(n: number): string {
  return `${fmtInt(n)} item${n === 1 ? '' : 's'}`;
}

/** "exchange 3" or "exchanges 1-8" (turn 0 folds into the first exchange). */
export function span(from: number, to: number): string {
  const f = Math.max(1, from);
  return f >= to ? `exchange ${to}` : `exchanges ${f}-${to}`;
}

/** How the system part was obtained, in words. */
function systemBasis(a: ContextAnalysis): string {
  const s = a.breakdown!.system;
  if (!s.measured) return 'estimated: the remainder after the estimated parts (no first request to measure from)';
  if (s.basis === 'session-start')
    return `measured: the session's first request (${fmtInt(s.requestTokens!)}) minus its estimated prompt (~${fmtInt(s.precedingEstTokens!)})`;
  return `measured: the first request after the compaction (${fmtInt(s.requestTokens!)}) minus the estimated summary (~${fmtInt(s.precedingEstTokens!)}); includes files re-attached after compacting`;
}

/** Renders the /context-status report: the context window, the breakdown with counts, the opportunities in short. Pure. */
export function renderContextReport(v: ContextReportView): string {
  const c = v.status;
  const a = v.analysis;
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(kv(label, value));

  out.push(`CLAUDE CODE CONTEXT STATUS  ·  ${fmtTime(v.nowMs)}`, RULE, 'CONTEXT WINDOW');
  row('Session', v.sessionId === null ? 'none tracked yet' : `${displayText(v.sessionId)}  (${v.chosenBy})`);
  row('Model', c.model === null ? 'unknown' : displayText(c.model));
  row('Window', windowText(c));
  row('Usable limit', limitText(c));
  row('Used', usedText(c, v.reason));
  for (const [label, value] of fillRows(c)) row(label, value);
  row('Level', c.level === null ? 'n/a' : `${c.level.name}: ${c.level.recommendation}`);
  row('Next alert', nextAlertText(c));
  if (a !== null) row('Compacted', a.compacted ? `yes (boundary at line ${a.boundaryLine! + 1}); the figures cover what came after it` : 'no');

  out.push('', 'BREAKDOWN  (parts sum to the measured total)');
  if (a === null || a.breakdown === null) {
    out.push(`  n/a: ${v.reason ?? 'no measured context yet'}`);
  } else {
    const b = a.breakdown;
    const n = b.counts;
    const detail: Record<string, string> = {
      systemAndTools: systemBasis(a),
      fileReads: `estimated · ${fmtInt(n.fileReads)} read${n.fileReads === 1 ? '' : 's'} of ${fmtInt(n.filesRead)} file${n.filesRead === 1 ? '' : 's'}`,
      toolResults: `estimated · ${fmtInt(n.toolResults)} result${n.toolResults === 1 ? '' : 's'}`,
      subagentResults: `estimated · ${fmtInt(n.subagentResults)} result${n.subagentResults === 1 ? '' : 's'}`,
      code: `estimated · ${fmtInt(n.codeEdits)} edit${n.codeEdits === 1 ? '' : 's'} of ${fmtInt(n.filesEdited)} file${n.filesEdited === 1 ? '' : 's'}`,
      conversation: `estimated · ${fmtInt(n.exchanges)} exchange${n.exchanges === 1 ? '' : 's'}`,
      compactSummary: 'estimated',
    };
    for (const p of b.parts) {
      if (p.key === 'compactSummary' && p.items === 0) continue;
      const pct = b.total > 0 ? fmtPct(p.tokens / b.total) : 'n/a';
      out.push(`  ${p.label.padEnd(24)} ${fmtInt(p.tokens).padStart(9)}  ${pct.padStart(6)}  ${detail[p.key] ?? ''}`);
    }
    out.push(`  ${'Total'.padEnd(24)} ${fmtInt(b.total).padStart(9)}  ${(b.total > 0 ? '100.0%' : 'n/a').padStart(6)}  ${b.totalSource}`);
    out.push(
      b.scale === null
        ? '  Estimated parts: none (no content items in the live segment).'
        : `  Estimated parts: content characters / 4, scaled x${b.scale.toFixed(2)} to fit the measured total.`,
    );
    const late = b.notYetMeasured;
    if (late.items > 0)
      out.push(
        `  Not in this total yet: ${fmtInt(late.items)} item${late.items === 1 ? '' : 's'} after the measured request (~${fmtInt(late.estTokens)} tokens, estimated).`,
      );
  }

  out.push('', `COMPACTION OPPORTUNITIES  (estimated; keeping the last ${a?.opportunities.options.keepTurns ?? '?'} exchanges)`);
  if (a === null) {
    out.push(`  n/a: ${v.reason ?? 'no transcript'}`);
  } else {
    const o = a.opportunities;
    const line = (label: string, count: number, tokens: number, extra = '') =>
      row(label, count === 0 ? 'none' : `${fmtInt(count)} · ~${fmtInt(tokens)} tokens${extra}`);
    line('Superseded reads', o.superseded.length, o.tokens.superseded);
    line('Duplicate results', o.duplicates.length, o.tokens.duplicates);
    line('Oversized outputs', o.oversized.length, o.tokens.oversized, o.oversized.length > 0 ? ` (largest ~${fmtInt(o.oversized[0]!.tokens)})` : '');
    row(
      'Old exchanges',
      o.oldExchanges === null
        ? 'none'
        : `${span(o.oldExchanges.fromTurn, o.oldExchanges.toTurn)} of ${o.keep.lastTurn} · ${items(o.oldExchanges.items)} · ~${fmtInt(o.oldExchanges.tokens)} tokens`,
    );
    const share = a.breakdown !== null && a.breakdown.total > 0 ? ` · ${fmtPct(o.totalTokens / a.breakdown.total)} of the context` : '';
    row('Total', o.totalItems === 0 ? 'nothing obvious to drop' : `~${fmtInt(o.totalTokens)} tokens in ${items(o.totalItems)} (each counted once)${share}`);
    out.push('  /compact-context lists them and gives the exact /compact line to run.');
  }
  if (v.reason !== null && a !== null && a.breakdown === null) out.push('', `Note: ${v.reason}`);
  return out.join('\n') + '\n';
}
