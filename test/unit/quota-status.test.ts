import { describe, expect, it } from 'vitest';
import { buildBlocks } from '../../src/usage/blocks.ts';
import { BURN_SPAN_MS, quotaStatus, type QuotaInputs } from '../../src/quota/quota-status.ts';
import { DEFAULT_WEIGHTS, type TokenCounts } from '../../src/usage/tokens.ts';
import type { UsageEntry } from '../../src/usage/usage-record.ts';

const MIN = 60_000;
const H = 60 * MIN;
const START = Date.UTC(2025, 8, 3, 10, 0, 0); // block floor
const NOW = START + 2 * H + 34 * MIN; // 12:34

const tk = (i: number, o: number, cc: number, cr: number): TokenCounts => ({
  input_tokens: i,
  output_tokens: o,
  cache_creation_input_tokens: cc,
  cache_read_input_tokens: cr,
});
const e = (t: number, tokens: TokenCounts): UsageEntry => ({ key: null, sessionId: 's', timeMs: t, model: 'm', tokens });

// counted (default weights): 1000+1000+20000 = 22000 and 0+1000+27000 = 28000 -> 50,000; cache reads 500,000
const blocks = buildBlocks([e(START + 5 * MIN, tk(1000, 1000, 20_000, 200_000)), e(START + 2 * H + 10 * MIN, tk(0, 1000, 27_000, 300_000))]);

function inputs(over: Partial<QuotaInputs> = {}): QuotaInputs {
  return {
    plan: 'pro',
    budget: { tokens: 200_000, source: 'estimate, pro preset' },
    blocks,
    readings: [],
    weights: DEFAULT_WEIGHTS,
    thresholds: [10, 25, 50, 75, 90, 95],
    recent: [
      [NOW - 31 * MIN, tk(9_999, 0, 0, 0)], // too old
      [NOW - 30 * MIN, tk(7_777, 0, 0, 0)], // exactly 30 min: outside (the span is open at its start)
      [NOW - 29 * MIN, tk(1_000, 2_000, 0, 50_000)], // 3,000 counted
      [NOW, tk(0, 0, 3_000, 0)], // 3,000 counted
      [NOW + 1, tk(5_555, 0, 0, 0)], // in the future: outside
    ],
    perToolCall: { tokens: 60_000, calls: 20, perCall: 3000 },
    nowMs: NOW,
    ...over,
  };
}

describe('quotaStatus', () => {
  it('measures burn over 30 minutes', () => {
    expect(BURN_SPAN_MS).toBe(30 * MIN);
  });

  it('an active window: used, remaining, level, burn rate, runway, tool-call runway, next alert', () => {
    const q = quotaStatus(inputs());
    expect(q.plan).toBe('pro');
    expect(q.budget).toBe(200_000);
    expect(q.window).toEqual({ startMs: START, endMs: START + 5 * H, source: 'estimate, from transcripts' });
    expect(q.used).toBe(50_000);
    expect(q.usedFraction).toBe(0.25);
    expect(q.remaining).toBe(150_000);
    expect(q.level.name).toBe('GOOD');
    expect(q.burnPerMin).toBe(6_000 / 30); // 200 tokens/min: only the two entries inside the last 30 min
    expect(q.runwayMin).toBe(750); // 150,000 / 200
    expect(q.perToolCall.perCall).toBe(3_000);
    expect(q.runwayToolCalls).toBe(50);
    expect(q.nextAlertPct).toBe(50);
    expect(q.tokensToNextAlert).toBe(50_000);
  });

  it('applies the weights to used tokens and to the burn rate', () => {
    const q = quotaStatus(inputs({ weights: { input: 1, output: 1, cacheCreation: 1, cacheRead: 0.1 } }));
    expect(q.used).toBe(100_000); // 50,000 + 500,000 x 0.1
    expect(q.level.name).toBe('MODERATE');
    expect(q.burnPerMin).toBe((3_000 + 5_000 + 3_000) / 30);
    expect(q.nextAlertPct).toBe(75);
    expect(q.tokensToNextAlert).toBe(50_000);
  });

  it('no window open: nothing used, the whole budget remains', () => {
    const q = quotaStatus(inputs({ nowMs: START + 5 * H + 1, recent: [] }));
    expect(q.window).toBeNull();
    expect(q.used).toBe(0);
    expect(q.usedFraction).toBe(0);
    expect(q.remaining).toBe(200_000);
    expect(q.level.name).toBe('FRESH');
    expect(q.nextAlertPct).toBe(10);
    expect(q.tokensToNextAlert).toBe(20_000);
  });

  it('the window is still active at exactly start + 5 h', () => {
    expect(quotaStatus(inputs({ nowMs: START + 5 * H })).window?.startMs).toBe(START);
  });

  it('no blocks at all: no window', () => {
    expect(quotaStatus(inputs({ blocks: [] })).window).toBeNull();
  });

  it('idle (no usage in the last 30 min): runway null, tool-call runway still given', () => {
    const q = quotaStatus(inputs({ recent: [[NOW - 45 * MIN, tk(100, 0, 0, 0)]] }));
    expect(q.burnPerMin).toBe(0);
    expect(q.runwayMin).toBeNull();
    expect(q.runwayToolCalls).toBe(50);
  });

  it('without a tool-call sample the tool-call runway is unknown', () => {
    const q = quotaStatus(inputs({ perToolCall: { tokens: 0, calls: 0, perCall: null } }));
    expect(q.perToolCall.perCall).toBeNull();
    expect(q.runwayToolCalls).toBeNull();
  });

  it('floors the tool-call runway', () => {
    const q = quotaStatus(inputs({ perToolCall: { tokens: 7_000, calls: 1, perCall: 7000 } }));
    expect(q.runwayToolCalls).toBe(21); // 150,000 / 7,000 = 21.4
  });

  it('over budget: nothing remains, CRITICAL, no alert left, runway 0', () => {
    const q = quotaStatus(inputs({ budget: { tokens: 40_000, source: 'estimate, pro preset' } }));
    expect(q.used).toBe(50_000);
    expect(q.usedFraction).toBe(1.25);
    expect(q.remaining).toBe(0);
    expect(q.level.name).toBe('CRITICAL');
    expect(q.nextAlertPct).toBeNull();
    expect(q.tokensToNextAlert).toBeNull();
    expect(q.runwayMin).toBe(0);
    expect(q.runwayToolCalls).toBe(0);
  });

  it('rounds tokens to the next alert up', () => {
    // budget 199,999: 50% is 99,999.5 -> 49,999.5 away -> 50,000
    const q = quotaStatus(inputs({ budget: { tokens: 199_999, source: 'estimate, pro preset' } }));
    expect(q.nextAlertPct).toBe(50);
    expect(q.tokensToNextAlert).toBe(50_000);
  });

  it('a zero budget gives a zero fraction instead of dividing by zero', () => {
    const q = quotaStatus(inputs({ budget: { tokens: 0, source: 'estimate, pro preset' } }));
    expect(q.usedFraction).toBe(0);
    expect(q.remaining).toBe(0);
  });
});
