import { isEpochMs, isFiniteIn, MAX_QUOTA_PCT } from '../claude/figure-bounds.ts';
import type { Notice } from '../notify/hook-output.ts';
import { agedSource, type QuotaFigure } from '../quota/alert-text.ts';
import { quotaNoticeText, type QuotaNoticeData } from '../quota/alerts.ts';
import type { StatuslineSnapshot } from '../render/statusline-snapshot.ts';

/**
 * A quota notice as it is shown, at `nowMs`: composed again with the newest figure of its window, the
 * status line snapshot's when that is newer than the one the tracker composed it with (the snapshot is
 * rewritten after every tracked event and every saved official reading), and the age of that figure;
 * the reset countdown is counted from `nowMs`. Other notices are returned as they are. Pure.
 * @throws RangeError when a time in the notice or the snapshot is outside the Date range (formatting it);
 *   `readQuotaNoticeData` and `readStatuslineSnapshot` keep such times out, and `refreshNotices` catches it
 */
export function refreshNotice(n: Notice, snap: StatuslineSnapshot | null, nowMs: number): Notice {
  const d = n.quota;
  if (d === undefined) return n;
  const q = snap?.quota ?? null;
  const newer = snap !== null && q !== null && q.window !== null && q.window.endMs === d.windowEndMs && snap.atMs > d.figureAtMs;
  const figure: QuotaFigure = newer
    ? { usedPct: q.usedPct, usedPctSource: agedSource(q.usedPctSource, nowMs - snap.atMs), windowEndMs: d.windowEndMs }
    : { ...d.figure, usedPctSource: agedSource(d.figure.usedPctSource, nowMs - d.figureAtMs) };
  return { ...n, ...quotaNoticeText(d, figure, nowMs) };
}

/**
 * Every notice as `refreshNotice` shows it, each on its own: a notice whose refreshing throws is shown
 * with the words the tracker stored (its quota part dropped) and the error goes to `onError`, so one bad
 * notice never costs the others. Same order and length as `notices`. Pure apart from `onError`.
 */
export function refreshNotices(notices: readonly Notice[], snap: StatuslineSnapshot | null, nowMs: number, onError: (why: string) => void): Notice[] {
  return notices.map((n) => {
    try {
      return refreshNotice(n, snap, nowMs);
    } catch (e) {
      onError(`a quota notice could not be composed again (${e instanceof Error ? e.message : String(e)}); shown as the tracker stored it`);
      return { systemMessage: n.systemMessage, modelNote: n.modelNote };
    }
  });
}

/**
 * The quota part of an outbox notice, checked by hand (the fronts load no schema library); null when it
 * is not the shape `takeDelivery` writes, or a figure is out of bounds (src/claude/figure-bounds.ts):
 * every time (`windowEndMs`, `figureAtMs`, `figure.windowEndMs`, `crossings[].crossedAtMs`) must be an
 * integer epoch ms between 2000 and 2200, `figure.usedPct` finite in [0, MAX_QUOTA_PCT], thresholds and
 * `modelNoteFromPct` finite and not negative. The notice is then shown with its stored words. Pure.
 */
export function readQuotaNoticeData(v: unknown): QuotaNoticeData | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const nonNegative = (x: unknown): x is number => isFiniteIn(x, 0, Number.MAX_VALUE);
  const f = o.figure as Record<string, unknown> | null | undefined;
  if (
    !isEpochMs(o.windowEndMs) ||
    !isEpochMs(o.figureAtMs) ||
    !nonNegative(o.modelNoteFromPct) ||
    !Array.isArray(o.seeds) ||
    !o.seeds.every((x) => typeof x === 'string')
  )
    return null;
  if (typeof f !== 'object' || f === null || !isFiniteIn(f.usedPct, 0, MAX_QUOTA_PCT) || typeof f.usedPctSource !== 'string' || !isEpochMs(f.windowEndMs))
    return null;
  let crossings: QuotaNoticeData['crossings'] = null;
  if (o.crossings !== null) {
    if (!Array.isArray(o.crossings)) return null;
    crossings = [];
    for (const c of o.crossings as unknown[]) {
      const x = c as Record<string, unknown> | null;
      if (x === null || typeof x !== 'object' || (x.kind !== 'quota' && x.kind !== 'reset') || !nonNegative(x.threshold) || !isEpochMs(x.crossedAtMs))
        return null;
      crossings.push({ kind: x.kind, threshold: x.threshold, crossedAtMs: x.crossedAtMs });
    }
  }
  return {
    crossings,
    windowEndMs: o.windowEndMs,
    figureAtMs: o.figureAtMs,
    modelNoteFromPct: o.modelNoteFromPct,
    seeds: o.seeds as string[],
    figure: { usedPct: f.usedPct, usedPctSource: f.usedPctSource, windowEndMs: f.windowEndMs },
  };
}
