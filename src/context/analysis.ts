import { liveSegment, type TranscriptRecord } from '../claude/transcript-records.ts';
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
  const breakdown = opts.total === null ? null : contextBreakdown(content, opts.total, system);
  const scale = opts.scale ?? breakdown?.scale ?? 1;
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
