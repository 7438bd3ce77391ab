import { describe, expect, it } from 'vitest';
import { renderStatusline } from '../../src/render/statusline.ts';
import { BURN_WINDOW_MS, frontView, payloadNeedsSaving, readFrontPayload, READING_REFRESH_MS } from '../../src/statusline/front-view.ts';
import type { StatuslineSnapshot } from '../../src/render/statusline-snapshot.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const sec = (ms: number) => Math.floor(ms / 1000);
const text = (o: Record<string, unknown>) => JSON.stringify({ session_id: 's1', ...o });
const official = {
  rate_limits: {
    five_hour: { used_percentage: 42, resets_at: sec(NOW + 83 * 60_000 + 30_000) },
    seven_day: { used_percentage: 18.3, resets_at: sec(NOW + 3 * 86_400_000) },
  },
};
const ctx = (pct: number | null) => ({ context_window: { used_percentage: pct, context_window_size: 200_000, current_usage: null } });
const snap = (o: Partial<StatuslineSnapshot> = {}): StatuslineSnapshot => ({
  v: 1,
  atMs: NOW - 60_000,
  quotaWhy: null,
  quota: {
    window: { startMs: NOW - 3_600_000, endMs: NOW + 4 * 3_600_000, source: 'estimated' },
    usedPct: 18,
    usedPctSource: 'estimate, pro preset',
    burnPerMin: 1_234,
    weekly: null,
  },
  official: { fiveHourPct: 42, sevenDayPct: 18.3, savedAtMs: NOW - 10_000 },
  contextPct: { s1: 31 },
  ...o,
});
const line = (t: string, s: StatuslineSnapshot | null) => renderStatusline(frontView(readFrontPayload(t), s, NOW));

describe('status line front: what it shows', () => {
  it('official figures from the payload, the burn rate from the snapshot', () => {
    expect(line(text({ ...official, ...ctx(31) }), snap())).toBe('5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 1.2k tok/min');
    expect(line(text({ ...official, ...ctx(31) }), null)).toBe('5h 42%● ↻1h23m · 7d 18%● · ctx 31%● · 0 tok/min');
    // The snapshot is older than the burn window: nothing was tracked since, so no burn.
    expect(line(text({ ...official, ...ctx(31) }), snap({ atMs: NOW - BURN_WINDOW_MS - 1 }))).toMatch(/· 0 tok\/min$/);
  });

  it("without rate_limits: the snapshot's estimate with its window reset, until that window ends", () => {
    expect(line(text(ctx(31)), snap())).toBe('5h 18%~ ↻4h00m · 7d n/a (no rate_limits) · ctx 31%● · 1.2k tok/min');
    const ended = snap({ quota: { ...snap().quota!, window: { startMs: NOW - 5 * 3_600_000 - 1, endMs: NOW - 1, source: 'estimated' } } });
    expect(line(text(ctx(31)), ended)).toBe('5h n/a (window reset) · ctx 31%●');
  });

  it('a window whose reset has passed is ignored; fields of the wrong type count as absent; the context % falls back to tokens / size', () => {
    expect(line(text({ rate_limits: { five_hour: { used_percentage: 97, resets_at: sec(NOW - 1_000) } }, ...ctx(31) }), snap())).toMatch(/^5h 18%~ /);
    expect(readFrontPayload(text({ rate_limits: { five_hour: { used_percentage: '42', resets_at: 1 } } }))).toMatchObject({
      fiveHour: null,
      hasRateLimits: true,
    });
    expect(
      readFrontPayload(
        text({
          context_window: {
            used_percentage: null,
            context_window_size: 200_000,
            current_usage: { input_tokens: 1_000, cache_creation_input_tokens: 1_000, cache_read_input_tokens: 60_000 },
          },
        }),
      ).contextPct,
    ).toBe(31);
    expect(line('nope', null)).toBe('5h n/a (no usage tracked yet) · ctx n/a (stdin is not JSON)');
    expect(line(text(ctx(null)), snap())).toMatch(/ctx n\/a \(no response yet\)/);
  });
});

describe('status line front: when it hands the payload to the tracker', () => {
  const p = (o: Record<string, unknown>) => readFrontPayload(text(o));
  it('only for figures the snapshot does not hold yet, or an official reading a minute old', () => {
    expect(payloadNeedsSaving(p({ ...official, ...ctx(31) }), snap(), NOW)).toBe(false);
    expect(payloadNeedsSaving(p({ ...official, ...ctx(31) }), null, NOW)).toBe(true);
    expect(
      payloadNeedsSaving(p({ ...official, ...ctx(31) }), snap({ official: { fiveHourPct: 42, sevenDayPct: 18.3, savedAtMs: NOW - READING_REFRESH_MS } }), NOW),
    ).toBe(true);
    expect(
      payloadNeedsSaving(
        p({ rate_limits: { ...official.rate_limits, five_hour: { ...official.rate_limits.five_hour, used_percentage: 43 } }, ...ctx(31) }),
        snap(),
        NOW,
      ),
    ).toBe(true);
    expect(payloadNeedsSaving(p({ ...official, ...ctx(31.4) }), snap(), NOW)).toBe(false);
    expect(payloadNeedsSaving(p({ ...official, ...ctx(32) }), snap(), NOW)).toBe(true);
    expect(payloadNeedsSaving(p({ ...official, ...ctx(31) }), snap({ contextPct: {} }), NOW)).toBe(true);
    // Nothing to save at all: no official window, no context figure.
    expect(payloadNeedsSaving(p(ctx(null)), null, NOW)).toBe(false);
  });
});
