import { sortedKeys, type UsageReport } from './report.ts';
import type { TokenCounts } from './tokens.ts';

/**
 * What an update changed in a report: the rows it touched, with their new values (not differences),
 * and every block from `blocksFrom` on. The report cache keeps the patches since its base merged into
 * one (`mergePatches`), so that an incremental report writes the rows it changed, not the whole report.
 */
export interface ReportPatch {
  totals: TokenCounts;
  stats: UsageReport['stats'];
  sessions: Record<string, TokenCounts>;
  models: Record<string, TokenCounts>;
  days: Record<string, TokenCounts>;
  /** The index in the report's blocks from which `blocks` replace them (earlier ones are kept). */
  blocksFrom: number;
  blocks: UsageReport['blocks'];
}

type Rows = 'sessions' | 'models' | 'days';
const ROWS: readonly Rows[] = ['sessions', 'models', 'days'];

/**
 * Applies `patch` to `report` IN PLACE (the caller's own copy, e.g. just parsed): the touched rows are
 * set, a record is sorted again only when the patch adds a key to it (the report keeps its keys in
 * sorted order, as buildReport gives them), and the blocks from `blocksFrom` on are replaced. Costs what
 * the patch holds, plus a sort of a record the patch adds a key to.
 *
 * @throws RangeError when `blocksFrom` is past the report's blocks (a patch of another report)
 */
export function patchReport(report: UsageReport, patch: ReportPatch): void {
  if (patch.blocksFrom > report.blocks.length) throw new RangeError(`patch from block ${patch.blocksFrom} of ${report.blocks.length}`);
  report.totals = { ...patch.totals };
  report.stats = { ...patch.stats };
  for (const r of ROWS) {
    const rec = report[r];
    let added = false;
    for (const [k, v] of Object.entries(patch[r])) {
      if (!added && !Object.hasOwn(rec, k)) added = true;
      rec[k] = { ...v };
    }
    if (added) report[r] = sortedKeys(rec);
  }
  report.blocks.length = patch.blocksFrom;
  for (const b of patch.blocks) report.blocks.push({ ...b });
}

/**
 * One patch with the effect of `first` then `then` (which was computed on the report `first` gave).
 * Pure; neither argument is changed.
 */
export function mergePatches(first: ReportPatch | null, then: ReportPatch): ReportPatch {
  if (first === null) return then;
  // `then` replaces blocks from its own start: the part of `first`'s blocks before that is kept.
  const from = Math.min(first.blocksFrom, then.blocksFrom);
  const kept = first.blocks.slice(0, Math.max(0, then.blocksFrom - first.blocksFrom));
  return {
    totals: then.totals, stats: then.stats,
    sessions: { ...first.sessions, ...then.sessions }, models: { ...first.models, ...then.models }, days: { ...first.days, ...then.days },
    blocksFrom: from, blocks: [...kept, ...then.blocks],
  };
}
