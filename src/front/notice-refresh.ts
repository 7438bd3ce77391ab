import type { Notice } from '../notify/hook-output.ts';
import { agedSource, type QuotaFigure } from '../quota/alert-text.ts';
import { quotaNoticeText, type QuotaNoticeData } from '../quota/alerts.ts';
import type { StatuslineSnapshot } from '../statusline/snapshot.ts';

/**
 * A quota notice as it is shown, at `nowMs`: composed again with the newest figure of its window, the
 * status line snapshot's when that is newer than the one the tracker composed it with (the snapshot is
 * rewritten after every tracked event and every saved official reading), and the age of that figure;
 * the reset countdown is counted from `nowMs`. Other notices are returned as they are. Pure.
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
 * The quota part of an outbox notice, checked by hand (the fronts load no schema library); null when it
 * is not the shape `takeDelivery` writes. Pure.
 */
export function readQuotaNoticeData(v: unknown): QuotaNoticeData | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const f = o.figure as Record<string, unknown> | null | undefined;
  if (!num(o.windowEndMs) || !num(o.figureAtMs) || !num(o.modelNoteFromPct) || !Array.isArray(o.seeds) || !o.seeds.every((x) => typeof x === 'string')) return null;
  if (typeof f !== 'object' || f === null || !num(f.usedPct) || typeof f.usedPctSource !== 'string' || !num(f.windowEndMs)) return null;
  let crossings: QuotaNoticeData['crossings'] = null;
  if (o.crossings !== null) {
    if (!Array.isArray(o.crossings)) return null;
    crossings = [];
    for (const c of o.crossings as unknown[]) {
      const x = c as Record<string, unknown> | null;
      if (x === null || typeof x !== 'object' || (x.kind !== 'quota' && x.kind !== 'reset') || !num(x.threshold) || !num(x.crossedAtMs)) return null;
      crossings.push({ kind: x.kind, threshold: x.threshold, crossedAtMs: x.crossedAtMs });
    }
  }
  return {
    crossings, windowEndMs: o.windowEndMs, figureAtMs: o.figureAtMs, modelNoteFromPct: o.modelNoteFromPct, seeds: o.seeds as string[],
    figure: { usedPct: f.usedPct, usedPctSource: f.usedPctSource, windowEndMs: f.windowEndMs },
  };
}
