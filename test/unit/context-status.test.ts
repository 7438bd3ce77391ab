import { describe, expect, it } from 'vitest';
import { CONTEXT_LEVELS, contextStatus, contextWindowFor } from '../../src/context/context-status.ts';
import type { ContextReading } from '../../src/claude/transcript-digest.ts';

const cfg = { usableFraction: 0.9, windowSize: 200_000, thresholds: [50, 80, 90] };
const reading = (tokens: number, source: ContextReading['source'] = 'usage'): ContextReading => ({ tokens, timeMs: 0, source });

describe('contextWindowFor', () => {
  it.each([
    'claude-sonnet-4-5[1m]', 'claude-sonnet-4-5[1M]', 'claude-sonnet-4-5-1m', 'claude-opus-4-6_1m', '1m-model',
  ])('%s has a 1,000,000-token window', (m) => {
    expect(contextWindowFor(m, 200_000)).toEqual({ size: 1_000_000, source: 'model name (1M variant)' });
  });

  it.each(['claude-sonnet-4-5-20250929', 'claude-opus-4-1', 'claude-3-5-haiku-20241022', 'claude-x-11m', 'claude-1mx'])(
    '%s uses the configured default', (m) => {
      expect(contextWindowFor(m, 123_000)).toEqual({ size: 123_000, source: 'default for model' });
    },
  );

  it('says when no model was seen yet', () => {
    expect(contextWindowFor(null, 200_000)).toEqual({ size: 200_000, source: 'default (no model seen yet)' });
  });
});

describe('contextStatus', () => {
  it('a 200k window gives a 180k usable limit', () => {
    const c = contextStatus(reading(1), 'claude-sonnet-4-5', cfg);
    expect(c.windowSize).toBe(200_000);
    expect(c.usableLimit).toBe(180_000);
  });

  it.each([
    [0, 'FRESH'], [49_999, 'FRESH'],
    [50_000, 'HEALTHY'], [89_999, 'HEALTHY'],
    [90_000, 'MODERATE'], [119_999, 'MODERATE'],
    [120_000, 'WARNING'], [143_999, 'WARNING'],
    [144_000, 'DANGER'], [179_999, 'DANGER'],
    [180_000, 'CRITICAL'], [250_000, 'CRITICAL'],
  ])('%s tokens of 180k usable is %s', (tokens, name) => {
    expect(contextStatus(reading(tokens), 'claude-sonnet-4-5', cfg).level?.name).toBe(name);
  });

  it('has the six levels in order', () => {
    expect(CONTEXT_LEVELS.map((l) => l.name)).toEqual(['FRESH', 'HEALTHY', 'MODERATE', 'WARNING', 'DANGER', 'CRITICAL']);
  });

  it('a 1M model scales the levels: 900k usable, 250k is HEALTHY, 249,999 FRESH', () => {
    const c = contextStatus(reading(250_000), 'claude-sonnet-4-5[1m]', cfg);
    expect(c.windowSize).toBe(1_000_000);
    expect(c.windowSource).toBe('model name (1M variant)');
    expect(c.usableLimit).toBe(900_000);
    expect(c.level?.name).toBe('HEALTHY');
    expect(contextStatus(reading(249_999), 'claude-sonnet-4-5[1m]', cfg).level?.name).toBe('FRESH');
    // the same 250k on a 200k model is past the 180k usable limit
    expect(contextStatus(reading(250_000), 'claude-sonnet-4-5', cfg).level?.name).toBe('CRITICAL');
  });

  it('next alert and the tokens to it', () => {
    const a = contextStatus(reading(49_999), 'm', cfg);
    expect(a.nextAlertPct).toBe(50);
    expect(a.tokensToNextAlert).toBe(90_000 - 49_999);
    const b = contextStatus(reading(90_000), 'm', cfg); // exactly 50%: next is 80% = 144,000
    expect(b.nextAlertPct).toBe(80);
    expect(b.tokensToNextAlert).toBe(54_000);
    const c = contextStatus(reading(162_000), 'm', cfg); // 90%: none left
    expect(c.nextAlertPct).toBeNull();
    expect(c.tokensToNextAlert).toBeNull();
  });

  it('labels the source of the reading', () => {
    expect(contextStatus(reading(10), 'm', cfg).usedSource).toBe('measured (last response)');
    expect(contextStatus(reading(10, 'compaction'), 'm', cfg).usedSource).toBe('measured (after compaction)');
  });

  it('a null reading (before the first response) gives no figures', () => {
    const c = contextStatus(null, null, cfg);
    expect(c).toEqual({
      model: null, windowSize: 200_000, windowSource: 'default (no model seen yet)', usableLimit: 180_000,
      used: null, usedSource: 'no response yet', level: null, nextAlertPct: null, tokensToNextAlert: null, growthPerHour: null, hoursLeft: null,
    });
  });

  it('rounds the usable limit and honours a configured window size', () => {
    const c = contextStatus(reading(0), 'm', { usableFraction: 0.85, windowSize: 100_001, thresholds: [] });
    expect(c.usableLimit).toBe(85_001); // 85,000.85
    expect(c.nextAlertPct).toBeNull();
  });
});
