import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config/config.ts';
import { agedSource } from '../../src/quota/alert-text.ts';
import { decideAlerts, takeDelivery, type AlertPolicy, type DeliveryContext } from '../../src/quota/alerts.ts';
import { quotaLevel } from '../../src/quota/levels.ts';
import type { QuotaStatus } from '../../src/quota/quota-status.ts';
import { quotaStep } from '../../src/quota/quota-step.ts';
import { hookOutput } from '../../src/notify/hook-output.ts';
import { notificationCommand } from '../../src/notify/desktop.ts';
import type { UsageEntry } from '../../src/usage/usage-record.ts';
import { emptyQuotaTracker } from '../../src/usage/window-ledger.ts';

const H = 3_600_000;
const MIN = 60_000;
const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const POLICY: AlertPolicy = { thresholds: [10, 25, 50, 75, 90, 95], resetMarksMin: [60, 30, 5], modelNoteFromPct: 75 };

function picture(usedPct: number, _nowMs: number, used = 1): QuotaStatus {
  return {
    plan: 'pro',
    budget: 200_000,
    budgetSource: 'estimate, pro preset',
    window: { startMs: START, endMs: START + 5 * H, source: 'official' },
    used,
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

describe('decideAlerts', () => {
  it('records every threshold crossed once per window, never again, with a model note from 75 %', () => {
    const now = START + H;
    const first = decideAlerts([], picture(52, now), now, POLICY);
    expect(first.created.map((a) => a.id)).toEqual(['quota-10', 'quota-25', 'quota-50'].map((k) => `${k}@${new Date(START).toISOString()}`));
    expect(first.created.every((a) => a.modelNote === null)).toBe(true);
    expect(first.created[2]!.message).toMatch(
      /^cco: 50% of the 5-hour quota reached: 52\.0% used now \(official\); resets 2026-11-20 15:00 UTC \(in 4h 00m\)\. MODERATE:/,
    );
    const again = decideAlerts(first.alerts, picture(60, now + MIN), now + MIN, POLICY);
    expect(again.created).toEqual([]);
    expect(again.alerts).toBe(first.alerts);
    const high = decideAlerts(first.alerts, picture(76, now + 2 * MIN), now + 2 * MIN, POLICY);
    expect(high.created.map((a) => a.threshold)).toEqual([75]);
    expect(high.created[0]!.modelNote).toMatch(/^The user's Claude Code 5-hour usage window is 76% used/);
  });

  it('fires reset marks inside the last hour only for a window with usage, most distant first', () => {
    const now = START + 5 * H - 29 * MIN;
    expect(decideAlerts([], picture(5, now), now, POLICY).created.map((a) => `${a.kind}-${a.threshold}`)).toEqual(['reset-60', 'reset-30']);
    expect(decideAlerts([], picture(0, now, 0), now, POLICY).created).toEqual([]);
    expect(decideAlerts([], picture(5, START + H), START + H, POLICY).created).toEqual([]);
  });

  it('creates nothing without a window, and prunes alerts older than a day', () => {
    const old = decideAlerts([], picture(30, START), START, POLICY).alerts;
    const noWindow = { ...picture(30, START), window: null };
    expect(decideAlerts(old, noWindow, START + 25 * H, POLICY).alerts).toEqual([]);
  });
});

describe('takeDelivery', () => {
  const ctx = (nowMs: number, usedPct: number, over: Partial<DeliveryContext> = {}): DeliveryContext => ({
    windowStartMs: START,
    liveSinceMs: null,
    figure: { usedPct, usedPctSource: 'official', windowEndMs: START + 5 * H },
    nowMs,
    modelNoteFromPct: 75,
    seeds: new Set(),
    ...over,
  });

  it('gives each session the pending alerts once, as one message: the most severe quota and the most urgent reset', () => {
    const now = START + 5 * H - 4 * MIN;
    const { alerts } = decideAlerts([], picture(80, now), now, POLICY);
    const a = takeDelivery(alerts, 'sess-a', ctx(now, 80));
    const lines = a.delivery!.systemMessage.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cco: 75% of the 5-hour quota reached: 80\.0% used now \(official\); resets /);
    expect(lines[1]).toMatch(/^cco: the 5-hour window resets .* \(in 4m\)/);
    expect(a.delivery!.modelNote).toMatch(/80% used/);
    expect(a.delivery!.alertIds).toHaveLength(alerts.length);
    expect(a.delivery!.quota.crossings).toEqual([
      { kind: 'quota', threshold: 75, crossedAtMs: now },
      { kind: 'reset', threshold: 5, crossedAtMs: now },
    ]);
    expect(takeDelivery(a.alerts, 'sess-a', ctx(now, 80)).delivery).toBeNull();
    expect(takeDelivery(a.alerts, 'sess-b', ctx(now, 80)).delivery?.systemMessage).toBe(a.delivery!.systemMessage);
  });

  it('quotes the figure current at delivery, and says when the threshold was crossed', () => {
    const crossed = START + H;
    const { alerts } = decideAlerts([], picture(25.8, crossed), crossed, POLICY);
    expect(alerts.find((a) => a.threshold === 25)!.message).toMatch(/^cco: 25% of the 5-hour quota reached: 25\.8% used now \(official\); resets/);
    const later = crossed + 12 * MIN;
    const d = takeDelivery(alerts, 's', ctx(later, 32)).delivery!;
    expect(d.systemMessage).toBe(
      'cco: 25% of the 5-hour quota reached: 32.0% used now (official); crossed 2026-11-20 11:00 UTC; resets 2026-11-20 15:00 UTC (in 3h 48m). GOOD: Comfortable: medium tasks fit; plan large ones to finish in this window.',
    );
    expect(d.systemMessage).not.toContain('25.8');
  });

  it('a session that started after the crossings gets where the window stands, once, not each threshold', () => {
    const crossed = START + H;
    const { alerts } = decideAlerts([], picture(42, crossed), crossed, POLICY);
    const late = crossed + 30 * MIN;
    const d = takeDelivery(alerts, 'new', ctx(late, 42, { liveSinceMs: crossed + 20 * MIN }));
    expect(d.delivery!.systemMessage).toBe(
      'cco: this 5-hour window is at 42.0% used (official); resets 2026-11-20 15:00 UTC (in 3h 30m). GOOD: Comfortable: medium tasks fit; plan large ones to finish in this window.',
    );
    expect(d.delivery!.quota.crossings).toBeNull();
    expect(d.delivery!.alertIds).toEqual(['quota-10', 'quota-25'].map((k) => `${k}@${new Date(START).toISOString()}`)); // 42 %: 10 and 25
    expect(takeDelivery(d.alerts, 'new', ctx(late, 42, { liveSinceMs: crossed + 20 * MIN })).delivery).toBeNull();
    // a crossing after it started is told as a crossing
    const next = decideAlerts(d.alerts, picture(51, late + MIN), late + MIN, POLICY);
    expect(takeDelivery(next.alerts, 'new', ctx(late + MIN, 51, { liveSinceMs: crossed + 20 * MIN })).delivery!.systemMessage).toMatch(
      /^cco: 50% of the 5-hour quota reached: 51\.0% used now/,
    );
  });

  it('names the handoff command the way the person types it', () => {
    const now = START + H;
    const { alerts } = decideAlerts([], picture(92, now), now, POLICY);
    expect(takeDelivery(alerts, 's', ctx(now, 92)).delivery!.systemMessage).toContain('save a handoff (/cco:save-and-restart)');
    expect(takeDelivery(alerts, 's', ctx(now, 92, { seeds: new Set(['save-and-restart']) })).delivery!.modelNote).toContain('(/save-and-restart)');
  });

  it('delivers nothing from another window', () => {
    const { alerts } = decideAlerts([], picture(30, START + H), START + H, POLICY);
    expect(takeDelivery(alerts, 's', ctx(START + H, 30, { windowStartMs: START + 5 * H })).delivery).toBeNull();
    expect(takeDelivery(alerts, 's', ctx(START + H, 30, { windowStartMs: null })).delivery).toBeNull();
  });
});

describe('agedSource', () => {
  it('ages an official figure, keeps an estimate', () => {
    expect(agedSource('official', 30_000)).toBe('official');
    expect(agedSource('official', 3 * MIN)).toBe('official, 3 min old');
    expect(agedSource('official, 2 min old, projected', 3 * MIN + 5_000)).toBe('official, 5 min old, projected');
    expect(agedSource('estimate, pro preset', 10 * MIN)).toBe('estimate, pro preset');
  });
});

describe('quotaStep (what a hook does under the lock)', () => {
  const cfg: Config = { ...defaultConfig(), plan: 'custom', customBudget: 10_000 };
  const entry = (k: string, t: number, counted: number): UsageEntry => ({
    key: k,
    sessionId: 's',
    timeMs: t,
    model: 'm',
    tokens: { input_tokens: counted, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 999 },
  });

  it('merges, decides the crossing once, and delivers it to the calling session only', () => {
    const t0 = START + 10 * MIN;
    const s1 = quotaStep(emptyQuotaTracker(), [entry('a', t0, 4_000)], cfg, t0 + MIN, { id: 'sess-a', liveSinceMs: null });
    expect(s1.picture.usedPct).toBe(40);
    expect(s1.created.map((a) => a.threshold)).toEqual([10, 25]);
    expect(s1.delivery?.systemMessage).toMatch(/^cco: 25% of the 5-hour quota reached: 40\.0% used now \(estimate, customBudget of cco\/config\.json\)/);
    const s2 = quotaStep(s1.next, [entry('a', t0, 4_000), entry('b', t0 + 2 * MIN, 1_500)], cfg, t0 + 3 * MIN, { id: 'sess-b', liveSinceMs: t0 });
    expect(s2.created.map((a) => a.threshold)).toEqual([50]);
    expect(s2.delivery?.systemMessage).toMatch(/^cco: 50% /);
    const s3 = quotaStep(s2.next, [], cfg, t0 + 4 * MIN, { id: 'sess-a', liveSinceMs: null });
    expect(s3.created).toEqual([]);
    expect(s3.delivery?.systemMessage).toMatch(/^cco: 50% /);
    const s4 = quotaStep(s3.next, [], cfg, t0 + 5 * MIN, { id: 'sess-a', liveSinceMs: null });
    expect(s4.delivery).toBeNull();
    expect(s4.next).toBe(s3.next);
  });

  it('takes a calibration sample from a fresh official reading and then estimates against it', () => {
    const t0 = START + 10 * MIN;
    const withReading = {
      ...emptyQuotaTracker(),
      readings: [{ window: 'five_hour', usedPercentage: 20, resetsAt: new Date(START + 5 * H).toISOString(), capturedAt: new Date(t0 + MIN).toISOString() }],
    };
    const s = quotaStep(withReading, [entry('a', t0, 6_000)], cfg, t0 + 2 * MIN, null);
    expect(s.next.calibration).toHaveLength(1);
    expect(s.next.calibration[0]!.impliedBudget).toBe(30_000); // 6,000 at 20 %
    expect(s.picture.budget).toBe(30_000);
    expect(s.picture.usedPctSource).toBe('official, 1 min old');
    expect(s.delivery).toBeNull();
  });
});

describe('hookOutput and desktop notifications', () => {
  const d = { systemMessage: 'cco: hi', modelNote: 'note', alertIds: ['x'] };
  it('shows each event its audience: the note only on (async) PostToolUse, the line only on Stop, both at SessionStart and UserPromptSubmit', () => {
    expect(hookOutput('PostToolUse', d)).toEqual({ hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'note' } });
    expect(hookOutput('Stop', d)).toEqual({ systemMessage: 'cco: hi' });
    for (const ev of ['SessionStart', 'UserPromptSubmit']) {
      expect(hookOutput(ev, d)).toEqual({ systemMessage: 'cco: hi', hookSpecificOutput: { hookEventName: ev, additionalContext: 'note' } });
    }
    expect(hookOutput('PostToolUse', { ...d, modelNote: null })).toBeNull();
    expect(hookOutput('PostToolUse', null)).toBeNull();
  });

  it('does not show a part again to whoever saw it (seenBy)', () => {
    expect(hookOutput('UserPromptSubmit', { ...d, seenBy: 'model' })).toEqual({ systemMessage: 'cco: hi' });
    expect(hookOutput('UserPromptSubmit', { ...d, seenBy: 'person' })).toEqual({
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'note' },
    });
    expect(hookOutput('Stop', { ...d, seenBy: 'person' })).toBeNull();
    expect(hookOutput('SessionStart', { ...d, seenBy: 'person', modelNote: null })).toBeNull();
  });

  it('uses notify-send on Linux, osascript with escaped strings on macOS, nothing elsewhere', () => {
    expect(notificationCommand('linux', 'T', 'B')).toEqual(['notify-send', ['--app-name=Claude Code', 'T', 'B']]);
    expect(notificationCommand('darwin', 'T', 'say "hi"')).toEqual(['osascript', ['-e', 'display notification "say \\"hi\\"" with title "T"']]);
    expect(notificationCommand('win32', 'T', 'B')).toBeNull();
  });
});

describe('quotaStep window alignment', () => {
  it('floors the estimated window to the hour by default and starts it at the first request with alignment "exact"', () => {
    const t = Date.UTC(2026, 10, 20, 10, 17, 30);
    const e: UsageEntry = {
      key: 'k',
      sessionId: 's',
      timeMs: t,
      model: 'm',
      tokens: { input_tokens: 10, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    const hour = quotaStep(emptyQuotaTracker(), [e], defaultConfig(), t + 60_000, null);
    expect(hour.picture.window?.startMs).toBe(Date.UTC(2026, 10, 20, 10, 0, 0));
    const exact = quotaStep(emptyQuotaTracker(), [e], { ...defaultConfig(), window: { alignment: 'exact' } }, t + 60_000, null);
    expect(exact.picture.window?.startMs).toBe(t);
    expect(exact.picture.window?.endMs).toBe(t + 5 * 3_600_000);
  });
});

describe('hookOutput with several notices', () => {
  it('joins the messages for the person and the notes for the model', () => {
    const out = hookOutput(
      'UserPromptSubmit',
      { systemMessage: 'quota', modelNote: null },
      null,
      { systemMessage: 'context', modelNote: 'compact' },
      { systemMessage: 'ctx', modelNote: 'again' },
    );
    expect(out).toEqual({
      systemMessage: 'quota\ncontext\nctx',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'compact\n\nagain' },
    });
  });
});
