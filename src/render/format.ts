/** Number and time formatting for text reports. Pure; `en-US` grouping so output is stable across locales. */

/** 12345 -> "12,345". */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.4567 -> "45.7%" (one decimal). */
export function fmtPct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * A percentage (0-100 scale) rounded **down** to `decimals` places, without the `%`: 89.8 -> "89",
 * 89.96 with 1 -> "89.9". For alert text: a figure just under a threshold never reads as that threshold.
 * A float just below a whole step (79.99999999999999 for 80) counts as the step. Non-finite gives "n/a".
 */
export function fmtPctDown(pct: number, decimals = 0): string {
  if (!Number.isFinite(pct)) return 'n/a';
  const scale = 10 ** decimals;
  return (Math.floor(pct * scale + 1e-9) / scale).toFixed(decimals);
}

/** A duration in ms -> "2h 05m", "12m", "45s". Negative durations print as "0m". */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms <= 0) return '0m';
  const totalMin = Math.floor(ms / 60_000);
  if (totalMin === 0) return `${Math.floor(ms / 1000)}s`;
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`;
}

/** Epoch ms -> "2026-11-20 23:41 UTC". @throws RangeError outside the Date range (|ms| > 8.64e15) or for NaN. */
export function fmtTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** A progress bar of `width` cells for a fraction in [0, 1] (clamped): "[#######.............]". */
export function bar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
