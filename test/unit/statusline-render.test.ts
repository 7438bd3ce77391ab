import { describe, expect, it } from 'vitest';
import { quotaStatus, type QuotaStatus } from '../../src/quota/quota-status.ts';
import { appendSegment, fmtCountdown, fmtPctShort, fmtRate, renderStatusline, sourceMark } from '../../src/render/statusline.ts';
import type { OfficialReading } from '../../src/store/schema-official.ts';
import { DEFAULT_WEIGHTS } from '../../src/usage/tokens.ts';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

/** A quota picture from readings and recent usage, through the real quotaStatus. */
function quota(readings: OfficialReading[], recent: [number, number][] = []): QuotaStatus {
  return quotaStatus({
    plan: 'pro',
    budget: { tokens: 200_000, source: 'estimate, pro preset' },
    blocks: [],
    readings,
    weights: DEFAULT_WEIGHTS,
    thresholds: [50],
    recent: recent.map(([t, n]) => [t, { input_tokens: n, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }]),
    perToolCall: { tokens: 0, calls: 0, perCall: null },
    nowMs: NOW,
  });
}
const fiveHour = (pct: number, capturedMs = NOW): OfficialReading => ({
  window: 'five_hour',
  usedPercentage: pct,
  resetsAt: iso(NOW + 83 * MIN + 20_000),
  capturedAt: iso(capturedMs),
});
const sevenDay = (pct: number, capturedMs = NOW): OfficialReading => ({
  window: 'seven_day',
  usedPercentage: pct,
  resetsAt: iso(NOW + 50 * H),
  capturedAt: iso(capturedMs),
});

describe('renderStatusline', () => {
  it('fresh official readings: ● marks, reset countdown, 7-day %, context %, burn rate', () => {
    const q = quota(
      [fiveHour(42), sevenDay(18.3)],
      [
        [NOW - 40 * MIN, 99_000],
        [NOW - 10 * MIN, 36_000],
      ],
    );
    expect(renderStatusline({ nowMs: NOW, quota: q, context: { pct: 31 } })).toBe('5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 1.2k tok/min');
  });

  it('an old reading with usage since is projected and marked ◐; an old 7-day reading too', () => {
    const q = quota([fiveHour(42, NOW - 10 * MIN), sevenDay(18, NOW - 10 * MIN)], [[NOW - 5 * MIN, 20_000]]);
    expect(q.usedPctSource).toBe('official, 10 min old, projected');
    expect(renderStatusline({ nowMs: NOW, quota: q, context: { pct: 31 } })).toBe('5h 52%◐ ↻1h23m · 7d 18%◐ · ctx 31%● · 667 tok/min');
  });

  it('without a current official reading: the estimate, marked ~, and 7d n/a with the reason', () => {
    const expired: OfficialReading = { window: 'five_hour', usedPercentage: 97, resetsAt: iso(NOW - 1), capturedAt: iso(NOW - 2 * H) };
    const q = quota([expired]);
    const line = renderStatusline({ nowMs: NOW, quota: q, weeklyWhy: 'no rate_limits', context: { pct: null, why: 'no response yet' } });
    expect(line).toBe('5h 0%~ · 7d n/a (no rate_limits) · ctx n/a (no response yet) · 0 tok/min');
    expect(line).not.toContain('97');
  });

  it('without a quota picture: n/a with why, and no burn rate', () => {
    expect(renderStatusline({ nowMs: NOW, quota: null, quotaWhy: 'EACCES: permission denied, open /x/quota-tracker.json', context: { pct: 3.25 } })).toBe(
      '5h n/a (EACCES: permission denied, open /x/quot…) · ctx 3.3%●',
    );
  });

  it('stays short enough for a terminal line', () => {
    const q = quota([fiveHour(100), sevenDay(100)], [[NOW - MIN, 90_000_000]]);
    expect(renderStatusline({ nowMs: NOW, quota: q, context: { pct: 100 } }).length).toBeLessThanOrEqual(60);
  });
});

describe('statusline pieces', () => {
  it('sourceMark', () => {
    expect(sourceMark('official')).toBe('●');
    expect(sourceMark('official, 3 min old')).toBe('◐');
    expect(sourceMark('official, 0 min old, projected')).toBe('◐');
    expect(sourceMark('estimate, pro preset')).toBe('~');
    expect(sourceMark('estimate, calibrated from 4 official readings')).toBe('~');
  });

  it('fmtCountdown, fmtPctShort, fmtRate', () => {
    expect([0, 59_000, 60_000, 59 * MIN + 59_000, 83 * MIN, 5 * H, 50 * H + 30 * MIN].map(fmtCountdown)).toEqual([
      'now',
      '<1m',
      '1m',
      '59m',
      '1h23m',
      '5h00m',
      '2d2h',
    ]);
    expect([0, 4.5, 4.96, 9.99, 42.4, 42.5, 100].map(fmtPctShort)).toEqual(['0%', '4.5%', '5%', '10%', '42%', '43%', '100%']);
    expect([0, 850.4, 1_000, 1_234, 9_960, 56_000, 999_400, 2_500_000].map(fmtRate)).toEqual(['0', '850', '1k', '1.2k', '10k', '56k', '999k', '2.5M']);
  });

  it('appendSegment puts ours on their last non-blank line', () => {
    expect(appendSegment('main ✓ ~/proj\n', 'OURS')).toBe('main ✓ ~/proj | OURS');
    expect(appendSegment('line one\nline two  \n\n', 'OURS')).toBe('line one\nline two | OURS');
    expect(appendSegment('', 'OURS')).toBe('OURS');
    expect(appendSegment(' \n', 'OURS')).toBe('OURS');
  });
});
