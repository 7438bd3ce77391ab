import { describe, expect, it } from 'vitest';
import { parseNotices } from '../../src/front/outbox.ts';
import { readQuotaNoticeData, refreshNotice, refreshNotices } from '../../src/front/notice-refresh.ts';
import type { Notice } from '../../src/notify/hook-output.ts';
import { decideAlerts, takeDelivery } from '../../src/quota/alerts.ts';
import { quotaLevel } from '../../src/quota/levels.ts';
import type { QuotaStatus } from '../../src/quota/quota-status.ts';
import type { StatuslineSnapshot } from '../../src/render/statusline-snapshot.ts';

const H = 3_600_000;
const MIN = 60_000;
const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const END = START + 5 * H;

function picture(usedPct: number): QuotaStatus {
  return {
    plan: 'pro',
    budget: 200_000,
    budgetSource: 'estimate, pro preset',
    window: { startMs: START, endMs: END, source: 'official' },
    used: 1,
    usedPct,
    usedPctSource: 'official',
    usedFraction: usedPct / 100,
    remaining: 0,
    level: quotaLevel(usedPct),
    burnPerMin: 0,
    runwayMin: null,
    runwayToolCalls: null,
    perToolCall: { tokens: 0, calls: 0, perCall: null },
    nextAlertPct: null,
    tokensToNextAlert: null,
    official: null,
    weekly: null,
  };
}

/** The notice the tracker puts in the outbox at `at` for a crossing of 25 % at 25.8 %, as the hook reads it back. */
function outboxNotice(at: number): Notice {
  const { alerts } = decideAlerts([], picture(25.8), at, { thresholds: [25], resetMarksMin: [], modelNoteFromPct: 75 });
  const d = takeDelivery(alerts, 's', {
    windowStartMs: START,
    liveSinceMs: null,
    figure: { usedPct: 25.8, usedPctSource: 'official', windowEndMs: END },
    nowMs: at,
    modelNoteFromPct: 75,
    seeds: new Set(),
  }).delivery!;
  return parseNotices(JSON.stringify({ notices: [{ systemMessage: d.systemMessage, modelNote: d.modelNote, quota: d.quota }] }))[0]!;
}

const snapshot = (atMs: number, usedPct: number, endMs = END): StatuslineSnapshot => ({
  v: 1,
  atMs,
  quotaWhy: null,
  contextPct: {},
  official: { fiveHourPct: usedPct, sevenDayPct: null, savedAtMs: atMs },
  quota: { window: { startMs: endMs - 5 * H, endMs, source: 'official' }, usedPct, usedPctSource: 'official', burnPerMin: 0, weekly: null },
});

describe('a quota notice is composed again when the hook shows it', () => {
  const at = START + H;

  it('survives the outbox round trip with what it is about', () => {
    const n = outboxNotice(at);
    expect(n.quota).toMatchObject({ crossings: [{ kind: 'quota', threshold: 25, crossedAtMs: at }], windowEndMs: END, figureAtMs: at });
  });

  it("quotes the status line snapshot's newer figure, with its age, and counts down from now", () => {
    const n = outboxNotice(at);
    const shown = refreshNotice(n, snapshot(at + 5 * MIN, 32), at + 8 * MIN);
    expect(shown.systemMessage).toBe(
      'cco: 25% of the 5-hour quota reached: 32.0% used now (official, 3 min old); crossed 2026-11-20 11:00 UTC; resets 2026-11-20 15:00 UTC (in 3h 52m). GOOD: Comfortable: medium tasks fit; plan large ones to finish in this window.',
    );
  });

  it('keeps its own figure when the snapshot is older, of another window, or missing', () => {
    const n = outboxNotice(at);
    for (const snap of [snapshot(at - MIN, 32), snapshot(at + MIN, 32, END + 5 * H), null]) {
      expect(refreshNotice(n, snap, at + 30_000).systemMessage).toMatch(/^cco: 25% of the 5-hour quota reached: 25\.8% used now \(official\); resets/);
    }
  });

  it('leaves a notice without quota data as it is, and a malformed quota part is dropped, not fatal', () => {
    const plain: Notice = { systemMessage: 'cco: context at 57%', modelNote: null };
    expect(refreshNotice(plain, snapshot(at, 40), at)).toBe(plain);
    const bad = parseNotices(JSON.stringify({ notices: [{ systemMessage: 'x', modelNote: null, quota: { windowEndMs: 'soon' } }] }));
    expect(bad).toEqual([{ systemMessage: 'x', modelNote: null }]);
  });
});

describe('a quota part out of bounds never costs a notice', () => {
  const at = START + H;
  const good = () => outboxNotice(at).quota!;

  it('readQuotaNoticeData refuses times outside 2000..2200 (or not whole ms) and figures that are not finite', () => {
    expect(readQuotaNoticeData(good())).toEqual(good());
    const cases: [string, (q: Record<string, any>) => void][] = [
      [
        'windowEndMs 9e15',
        (q) => {
          q.windowEndMs = 9e15;
        },
      ],
      [
        'windowEndMs 1e308',
        (q) => {
          q.windowEndMs = 1e308;
        },
      ],
      [
        'figure.windowEndMs before 2000',
        (q) => {
          q.figure.windowEndMs = 0;
        },
      ],
      [
        'figureAtMs fractional',
        (q) => {
          q.figureAtMs = at + 0.5;
        },
      ],
      [
        'crossedAtMs -1e300',
        (q) => {
          q.crossings[0].crossedAtMs = -1e300;
        },
      ],
      [
        'usedPct 1e308',
        (q) => {
          q.figure.usedPct = 1e308;
        },
      ],
      [
        'usedPct negative',
        (q) => {
          q.figure.usedPct = -1;
        },
      ],
      [
        'threshold negative',
        (q) => {
          q.crossings[0].threshold = -5;
        },
      ],
    ];
    for (const [what, spoil] of cases) {
      const q = JSON.parse(JSON.stringify(good())) as Record<string, any>;
      spoil(q);
      expect(readQuotaNoticeData(q), what).toBeNull();
    }
  });

  it('an outbox notice with such a quota part keeps its stored words, and says so', () => {
    const bad: string[] = [];
    const q = { ...good(), windowEndMs: 9e15 };
    const n = parseNotices(
      JSON.stringify({
        notices: [
          { systemMessage: 'STORED', modelNote: 'note', quota: q },
          { systemMessage: 'plain', modelNote: null },
        ],
      }),
      () => bad.push('quota'),
    );
    expect(n).toEqual([
      { systemMessage: 'STORED', modelNote: 'note' },
      { systemMessage: 'plain', modelNote: null },
    ]);
    expect(bad).toEqual(['quota']);
  });

  it('refreshNotices: a notice whose refreshing throws is shown as stored, the others as usual', () => {
    const errors: string[] = [];
    const plain: Notice = { systemMessage: 'cco: context at 57%', modelNote: null };
    // Not from an outbox file (which readQuotaNoticeData checks): a time outside the Date range makes fmtTime throw.
    const broken: Notice = {
      systemMessage: 'STORED',
      modelNote: 'stored note',
      quota: { ...good(), windowEndMs: 9e15, figure: { ...good().figure, windowEndMs: 9e15 } },
    };
    expect(() => refreshNotice(broken, null, at)).toThrow(RangeError);
    const fine = outboxNotice(at);
    const shown = refreshNotices([plain, broken, fine], null, at + 30_000, (why) => errors.push(why));
    expect(shown[0]).toBe(plain);
    expect(shown[1]).toEqual({ systemMessage: 'STORED', modelNote: 'stored note' });
    expect(shown[2]).toEqual(refreshNotice(fine, null, at + 30_000));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/could not be composed again \(Invalid time value\); shown as the tracker stored it/);
  });
});
