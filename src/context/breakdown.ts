import type { TranscriptRecord } from '../claude/transcript-records.ts';
import { contextTokens } from '../usage/tokens.ts';
import { usageOf } from '../usage/usage-record.ts';
import { contextItems, type ContextItem, type ItemKind, type SegmentContent } from './context-items.ts';

/**
 * What the context window holds, by part: the system prompt and tools from a measured request, the
 * rest estimated from content sizes and scaled so that all parts sum exactly to the measured total.
 * Pure.
 */

/** The system prompt and tool definitions (tokens), derived from one measured request. */
export interface SystemFigure {
  /** System prompt + tools (tokens): `requestTokens - precedingEstTokens`, at least 0. */
  tokens: number;
  /** Measured context (input + cache creation + cache read) of the request the figure comes from. */
  requestTokens: number;
  /** Estimate (tokens) of the transcript content that request carried: the first prompt, or the summary. */
  precedingEstTokens: number;
  /** 0-based transcript line of that request's first assistant record. */
  line: number;
  /** `session-start`: the session's first request; `after-compaction`: the first one after the last boundary. */
  basis: 'session-start' | 'after-compaction';
}

/** The main-chain records from the start up to (not including) the first usage record with context, and that record. */
function firstRequest(records: readonly TranscriptRecord[]): { before: TranscriptRecord[]; at: TranscriptRecord; tokens: number } | null {
  const before: TranscriptRecord[] = [];
  for (const r of records) {
    if (r.rec.isSidechain === true) continue;
    if (r.rec.type === 'assistant') {
      const u = usageOf(r.rec);
      const tokens = u === null ? 0 : contextTokens(u.tokens);
      if (u !== null && tokens > 0 && u.model !== '<synthetic>') return { before, at: r, tokens };
    }
    before.push(r);
  }
  return null;
}

const isBoundary = (r: TranscriptRecord) => r.rec.type === 'system' && r.rec.subtype === 'compact_boundary';

/**
 * The system prompt and tools figure for a transcript (all its records, not only the live segment):
 * - when the transcript starts at session start (before its first main-chain request there are one or
 *   more user prompts and no tool result, compaction boundary or summary), the first request's
 *   measured context minus the estimate of the content before it (the first prompt). The system
 *   prompt does not change at compaction, so this figure holds after one too;
 * - otherwise (the file begins mid-session), after a compaction boundary: the first request after the
 *   last boundary minus the estimate of the segment content before it (the summary). That figure also
 *   holds whatever Claude Code re-attached after compacting (recently read files);
 * - else null: no request to measure from.
 */
export function systemAndToolsFigure(records: readonly TranscriptRecord[]): SystemFigure | null {
  const first = firstRequest(records);
  if (first !== null && !first.before.some(isBoundary)) {
    const c = contextItems(first.before);
    const clean = c.prompts.length > 0 && c.items.every((i) => i.kind === 'conversation');
    if (clean) return figure(first.tokens, c.items, first.at.line, 'session-start');
  }
  let last = -1;
  records.forEach((r, i) => {
    if (isBoundary(r)) last = i;
  });
  if (last < 0) return null;
  const after = firstRequest(records.slice(last + 1));
  if (after === null) return null;
  return figure(after.tokens, contextItems(after.before).items, after.at.line, 'after-compaction');
}

function figure(requestTokens: number, before: readonly ContextItem[], line: number, basis: SystemFigure['basis']): SystemFigure {
  const est = before.reduce((n, i) => n + i.estTokens, 0);
  return { tokens: Math.max(0, requestTokens - est), requestTokens, precedingEstTokens: est, line, basis };
}

export type PartKey = 'systemAndTools' | 'fileReads' | 'toolResults' | 'subagentResults' | 'code' | 'conversation' | 'compactSummary';

export interface BreakdownPart {
  key: PartKey;
  label: string;
  /** Tokens of the measured total given to this part; all parts sum exactly to the total. */
  tokens: number;
  /** The unscaled estimate (chars / 4, tokens); null for the system part. */
  estTokens: number | null;
  /** Items counted in this part (0 for the system part). */
  items: number;
}

export interface BreakdownCounts {
  /** Distinct files read, and Read results. */
  filesRead: number;
  fileReads: number;
  /** Results of tools other than Read and Task/Agent. */
  toolResults: number;
  subagentResults: number;
  /** Edit/Write/MultiEdit/NotebookEdit calls, and the distinct files they touched. */
  codeEdits: number;
  filesEdited: number;
  /** User exchanges (prompts) in the live segment. */
  exchanges: number;
}

export interface Breakdown {
  /** The measured context total (tokens) and where it comes from. */
  total: number;
  totalSource: string;
  /** In a fixed order: system and tools, file reads, tool results, subagent results, code, conversation, compaction summary. */
  parts: BreakdownPart[];
  /**
   * How the system part was obtained: `measured` when it comes from a measured request (`basis` says
   * which, with that request's context and the estimate subtracted from it); `remainder` when there was
   * no request to measure from (the total minus the unscaled estimates).
   */
  system: { tokens: number; measured: boolean; basis: SystemFigure['basis'] | 'remainder'; requestTokens: number | null; precedingEstTokens: number | null };
  /** Factor applied to the estimates of the other parts (null when there is nothing to scale). */
  scale: number | null;
  counts: BreakdownCounts;
  /**
   * Items after the measured request (its own response, later results and prompts): not in the measured
   * total, so left out of the parts and counts. Zero when the total is not tied to a request.
   */
  notYetMeasured: { items: number; estTokens: number };
}

const PARTS: { key: Exclude<PartKey, 'systemAndTools'>; kind: ItemKind; label: string }[] = [
  { key: 'fileReads', kind: 'file-read', label: 'File reads' },
  { key: 'toolResults', kind: 'tool-result', label: 'Tool results' },
  { key: 'subagentResults', kind: 'subagent-result', label: 'Subagent results' },
  { key: 'code', kind: 'code', label: 'Code generated' },
  { key: 'conversation', kind: 'conversation', label: 'Conversation' },
  { key: 'compactSummary', kind: 'compact-summary', label: 'Compaction summary' },
];

/**
 * Splits `target` (an integer >= 0) in proportion to `weights` (>= 0) into integers that sum exactly
 * to it (largest remainder; ties to the earlier weight). All zeros when every weight is 0.
 */
export function apportion(weights: readonly number[], target: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || target <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w / sum) * target);
  const out = exact.map(Math.floor);
  let left = target - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]!++;
  return out;
}

/** The counts of a segment. */
function breakdownCounts(content: SegmentContent): BreakdownCounts {
  const of = (k: ItemKind) => content.items.filter((i) => i.kind === k);
  const reads = of('file-read');
  const code = of('code');
  return {
    filesRead: new Set(reads.map((i) => i.target ?? '?')).size,
    fileReads: reads.length,
    toolResults: of('tool-result').length,
    subagentResults: of('subagent-result').length,
    codeEdits: code.length,
    filesEdited: new Set(code.map((i) => i.target ?? '?')).size,
    exchanges: content.prompts.length,
  };
}

/**
 * The breakdown of a measured total (tokens, e.g. the session's last context reading) over the live
 * segment's items (those before line `upToLine` when given: the request the total was measured on). The system part is `system.tokens` (capped at the total); with no system figure it
 * is the remainder after the unscaled estimates (at least 0). The other parts share what is left in
 * proportion to their estimates (largest-remainder rounding), so the parts sum exactly to `total`; when
 * there are no items, the system part takes it all.
 */
export function contextBreakdown(
  content: SegmentContent,
  total: { tokens: number; source: string },
  system: SystemFigure | null,
  upToLine: number | null = null,
): Breakdown {
  const later = upToLine === null ? [] : content.items.filter((i) => i.line >= upToLine);
  if (later.length > 0) {
    content = { ...content, items: content.items.filter((i) => i.line < upToLine!), prompts: content.prompts.filter((p) => p.line < upToLine!) };
  }
  const T = Math.max(0, Math.round(total.tokens));
  const est = PARTS.map((p) => content.items.filter((i) => i.kind === p.kind).reduce((n, i) => n + i.estTokens, 0));
  const estSum = est.reduce((a, b) => a + b, 0);
  let S = system !== null ? Math.min(T, system.tokens) : Math.max(0, T - estSum);
  if (estSum === 0) S = T;
  const sys: Breakdown['system'] =
    system === null
      ? { tokens: S, measured: false, basis: 'remainder', requestTokens: null, precedingEstTokens: null }
      : { tokens: S, measured: true, basis: system.basis, requestTokens: system.requestTokens, precedingEstTokens: system.precedingEstTokens };
  const shares = apportion(est, T - S);
  const parts: BreakdownPart[] = [
    { key: 'systemAndTools', label: 'System prompt and tools', tokens: S, estTokens: null, items: 0 },
    ...PARTS.map((p, i) => ({
      key: p.key,
      label: p.label,
      tokens: shares[i]!,
      estTokens: est[i]!,
      items: content.items.filter((it) => it.kind === p.kind).length,
    })),
  ];
  return {
    total: T,
    totalSource: total.source,
    parts,
    system: sys,
    scale: estSum === 0 ? null : (T - S) / estSum,
    counts: breakdownCounts(content),
    notYetMeasured: { items: later.length, estTokens: later.reduce((n, i) => n + i.estTokens, 0) },
  };
}
