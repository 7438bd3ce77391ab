import { liveSegment, type TranscriptRecord } from '../claude/transcript-records.ts';
import { contextTokens } from '../usage/tokens.ts';
import { usageOf } from '../usage/usage-record.ts';
import { contextBreakdown, systemAndToolsFigure, type Breakdown, type SystemFigure } from './breakdown.ts';
import { contextItems, type SegmentContent } from './context-items.ts';
import { findOpportunities, type Opportunities, type OpportunityOptions } from './opportunities.ts';

/** Everything /context-status and /compact-context show about a session's context. */
export interface ContextAnalysis {
  /** True when the transcript has a compaction boundary (the segment starts after the last one). */
  compacted: boolean;
  /** 0-based transcript line of the last boundary, or null. */
  boundaryLine: number | null;
  /** The live segment's items, prompts, todos and plan. */
  content: SegmentContent;
  system: SystemFigure | null;
  /** Null without a measured total (no response yet, or not given). */
  breakdown: Breakdown | null;
  opportunities: Opportunities;
  /** The session's working directory (paths under it are shown relative), or null. */
  cwd: string | null;
}

export interface AnalyzeOptions extends OpportunityOptions {
  /** The measured context total (tokens) and its source, e.g. the session record's `context`; null when unknown. */
  total: { tokens: number; source: string } | null;
  cwd?: string | null;
}

/**
 * Analyzes a whole transcript's records (as `readTranscriptRecords` gives them): the live segment's
 * items, the breakdown of `total` (when given), the compaction opportunities (tokens scaled like the
 * breakdown's parts, unless `scale` is given) and the keep-list. Pure.
 */
export function analyzeContext(records: readonly TranscriptRecord[], opts: AnalyzeOptions): ContextAnalysis {
  const seg = liveSegment(records);
  const content = contextItems(seg.records);
  const system = systemAndToolsFigure(records);
  const breakdown = opts.total === null ? null : contextBreakdown(content, opts.total, system, measuredRequestLine(seg.records, opts.total.tokens));
  const scale = opts.scale ?? (breakdown !== null && breakdown.scale !== null && breakdown.scale > 0 ? breakdown.scale : 1);
  return {
    compacted: seg.boundary !== null,
    boundaryLine: seg.boundary?.line ?? null,
    content,
    system,
    breakdown,
    opportunities: findOpportunities(content, { ...opts, scale }),
    cwd: opts.cwd ?? null,
  };
}

/**
 * The transcript's last measured context size: the main chain's last response with context tokens
 * (`<synthetic>` error records, which carry zero usage, are skipped), or the `postTokens` of a later
 * compaction boundary. Null when there is neither (or the last boundary has no `postTokens` and no
 * response follows it). Pure.
 */
export function lastMeasuredContext(records: readonly TranscriptRecord[]): { tokens: number; source: 'usage' | 'compaction'; line: number } | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const { rec, line } = records[i]!;
    if (rec.isSidechain === true) continue;
    if (rec.type === 'system' && rec.subtype === 'compact_boundary') {
      const meta = rec.compactMetadata;
      const post = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>).postTokens : undefined;
      // What came before a boundary is no longer in context: without postTokens nothing is measured.
      return typeof post === 'number' && post > 0 ? { tokens: post, source: 'compaction', line } : null;
    }
    if (rec.type !== 'assistant') continue;
    const u = usageOf(rec);
    if (u === null || u.model === '<synthetic>') continue;
    const t = contextTokens(u.tokens);
    if (t > 0) return { tokens: t, source: 'usage', line };
  }
  return null;
}

/**
 * The first line of the last main-chain response whose context equals `tokens` (the request a measured
 * total belongs to; a response spans several lines, one per content block), or null when none does
 * (e.g. the total is a compaction's postTokens). Pure.
 */
export function measuredRequestLine(records: readonly TranscriptRecord[], tokens: number): number | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const { rec } = records[i]!;
    if (rec.type !== 'assistant' || rec.isSidechain === true) continue;
    const u = usageOf(rec);
    if (u === null || contextTokens(u.tokens) !== tokens) continue;
    let first = i;
    if (u.key !== null) {
      for (let j = i - 1; j >= 0; j--) {
        const o = records[j]!.rec;
        if (o.type !== 'assistant') continue;
        if (usageOf(o)?.key !== u.key) break;
        first = j;
      }
    }
    return records[first]!.line;
  }
  return null;
}
