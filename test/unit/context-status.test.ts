import { describe, expect, it } from 'vitest';
import { CONTEXT_LEVEL_NAMES, contextLevels, contextStatus, contextWindowOf, usableLimitOf } from '../../src/context/context-status.ts';
import { canonicalModel, modelWindow } from '../../src/claude/model-windows.ts';
import type { ContextReading } from '../../src/claude/transcript-digest.ts';
import { slashFor } from '../../src/render/command-names.ts';

const cfg = { thresholds: [50, 80, 90] };
const reading = (tokens: number, source: ContextReading['source'] = 'usage'): ContextReading => ({ tokens, timeMs: 0, source });

describe('modelWindow: Claude Code 2.1.329 sizes', () => {
  // Measured with the pinned CLI (src/claude/model-windows.ts): window, and where it compacts on its own.
  it.each([
    ['claude-opus-5-5', 1_000_000, 967_000],
    ['claude-sonnet-5-5', 1_000_000, 967_000],
    ['claude-haiku-5-5', 1_000_000, 967_000],
    ['claude-opus-4-7', 1_000_000, 967_000],
    ['claude-sonnet-4-6', 200_000, 167_000],
    ['claude-opus-4-6', 200_000, 167_000],
    ['claude-sonnet-4-5', 200_000, 200_000],
    ['claude-haiku-4-5-20251001', 200_000, 200_000],
    ['claude-sonnet-4-5[1m]', 1_000_000, 1_000_000],
    ['claude-sonnet-4-6[1m]', 1_000_000, 1_000_000],
    ['claude-opus-5-5[1m]', 1_000_000, 967_000],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 200_000, 200_000],
    ['claude-sonnet-4-5@20250929', 200_000, 200_000],
    ['CLAUDE-OPUS-5-5', 1_000_000, 967_000],
  ])('%s: window %i, compacts at %i', (model, window, at) => {
    const w = contextWindowOf(model, null, undefined);
    expect(w.size).toBe(window);
    expect(usableLimitOf(window, model, {}).limit).toBe(at);
  });

  it('normalizes provider and date forms, keeps [1m]', () => {
    expect(canonicalModel('us.anthropic.claude-opus-4-6-v1:0')).toBe('claude-opus-4-6');
    expect(canonicalModel('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
    expect(canonicalModel('claude-sonnet-4-6-20260101[1m]')).toBe('claude-sonnet-4-6[1m]');
  });

  it.each(['claude-foo-1', 'gpt-5', '', 'claude-opus-4-1', 'claude-sonnet-5-5x'])('%s is not known', (m) => {
    expect(modelWindow(m).known).toBe(false);
  });
});

describe('contextWindowOf', () => {
  it('the status line figure wins over the table', () => {
    expect(contextWindowOf('claude-opus-5-5', 200_000, undefined)).toEqual({ size: 200_000, source: 'status line, context_window_size' });
  });

  it('an unknown model is unknown unless configured', () => {
    expect(contextWindowOf('claude-foo-1', null, undefined)).toEqual({ size: null, source: 'window unknown for claude-foo-1' });
    expect(contextWindowOf('claude-foo-1', null, 300_000)).toEqual({ size: 300_000, source: 'config, context.windowSize' });
    expect(contextWindowOf(null, null, undefined)).toEqual({ size: null, source: 'window unknown: no model seen yet' });
  });

  it('the table names its source', () => {
    expect(contextWindowOf('claude-opus-5-5', null, 300_000).source).toBe('model table of Claude Code 2.1.329, claude-opus-5-5');
  });
});

describe('usableLimitOf', () => {
  it('a configured fraction wins', () => {
    expect(usableLimitOf(200_000, 'claude-sonnet-4-6', { usableFraction: 0.9 })).toEqual({ limit: 180_000, source: 'config, context.usableFraction 0.9' });
  });

  it('follows CLAUDE_CODE_AUTO_COMPACT_WINDOW (compacts 33,000 below it), capped by the window', () => {
    expect(usableLimitOf(200_000, 'claude-sonnet-4-5', {}, { window: 100_000 }).limit).toBe(67_000);
    expect(usableLimitOf(200_000, 'claude-sonnet-4-6', {}, { window: 500_000 }).limit).toBe(167_000);
  });

  it('DISABLE_AUTO_COMPACT: the whole window', () => {
    expect(usableLimitOf(1_000_000, 'claude-opus-5-5', {}, { disabled: true }).limit).toBe(1_000_000);
  });

  it("a model the table lacks, with a known window: Claude Code's default buffer", () => {
    expect(usableLimitOf(1_000_000, 'claude-foo-1', {})).toEqual({
      limit: 967_000,
      source: 'assumed: Claude Code auto-compacts 33,000 below the window (its default; no model-table entry for claude-foo-1)',
    });
    expect(usableLimitOf(1_000_000, null, {}).source).toBe('assumed: Claude Code auto-compacts 33,000 below the window (its default; no model seen yet)');
    // a model the table lists says the table, not "assumed"
    expect(usableLimitOf(200_000, 'claude-sonnet-4-6', {}).source).toMatch(/^Claude Code auto-compacts 33,000 below the window, model table of Claude Code/);
  });
});

describe('contextStatus', () => {
  it('claude-opus-5-5 at 131,000 tokens (13 %): FRESH, the next alert at 50 % of 967,000', () => {
    const c = contextStatus(reading(131_000), 'claude-opus-5-5', cfg);
    expect(c.windowSize).toBe(1_000_000);
    expect(c.usableLimit).toBe(967_000);
    expect(c.level?.name).toBe('FRESH');
    expect(c.nextAlertPct).toBe(50);
    expect(c.tokensToNextAlert).toBe(483_500 - 131_000);
  });

  it.each([
    [0, 'FRESH'],
    [46_388, 'FRESH'],
    [46_389, 'HEALTHY'],
    [83_499, 'HEALTHY'],
    [83_500, 'MODERATE'],
    [111_333, 'MODERATE'],
    [111_334, 'WARNING'],
    [133_599, 'WARNING'],
    [133_600, 'DANGER'],
    [166_999, 'DANGER'],
    [167_000, 'CRITICAL'],
    [250_000, 'CRITICAL'],
  ])('%s tokens of claude-sonnet-4-6 (167,000 usable) is %s', (tokens, name) => {
    expect(contextStatus(reading(tokens), 'claude-sonnet-4-6', cfg).level?.name).toBe(name);
  });

  it('has the six levels in order, naming the commands in the form that works', () => {
    expect(CONTEXT_LEVEL_NAMES).toEqual(['FRESH', 'HEALTHY', 'MODERATE', 'WARNING', 'DANGER', 'CRITICAL']);
    expect(contextLevels()[3]!.recommendation).toContain('/cco:compact-context');
    expect(contextLevels(slashFor(new Set(['compact-context'])))[3]!.recommendation).toContain(' (/compact-context shows');
  });

  it('an unknown model: the fill is shown, no level, no next alert', () => {
    const c = contextStatus(reading(900_000), 'claude-foo-1', cfg);
    expect(c.windowSize).toBeNull();
    expect(c.usableLimit).toBeNull();
    expect(c.windowSource).toBe('window unknown for claude-foo-1');
    expect(c.used).toBe(900_000);
    expect(c.level).toBeNull();
    expect(c.nextAlertPct).toBeNull();
    expect(c.hoursLeft).toBeNull();
  });

  it('an unknown model becomes known once the status line reports its window', () => {
    const statusline = { usedPercentage: 40, usedTokens: 400_000, windowSize: 1_000_000, model: 'claude-foo-1', capturedAt: '2026-12-07T10:00:00.000Z' };
    const c = contextStatus(reading(400_000), 'claude-foo-1', cfg, { statusline }); // 41 % of 967,000
    expect(c.windowSize).toBe(1_000_000);
    expect(c.usableLimit).toBe(967_000);
    expect(c.level?.name).toBe('HEALTHY');
  });

  it('next alert: exact tokens, no float noise (80 % of 167,000 = 133,600)', () => {
    const b = contextStatus(reading(83_500), 'claude-sonnet-4-6', cfg);
    expect(b.nextAlertPct).toBe(80);
    expect(b.tokensToNextAlert).toBe(133_600 - 83_500);
    const c = contextStatus(reading(150_300), 'claude-sonnet-4-6', cfg); // 90 %: none left
    expect(c.nextAlertPct).toBeNull();
    expect(c.tokensToNextAlert).toBeNull();
  });

  it('labels the source of the reading', () => {
    expect(contextStatus(reading(10), 'm', cfg).usedSource).toBe('measured, last response');
    expect(contextStatus(reading(10, 'compaction'), 'm', cfg).usedSource).toBe('measured, after compaction');
  });

  it('a null reading (before the first response) gives no figures', () => {
    const c = contextStatus(null, null, cfg);
    expect(c).toMatchObject({
      model: null,
      windowSize: null,
      windowSource: 'window unknown: no model seen yet',
      usableLimit: null,
      used: null,
      usedSource: 'no response yet',
      level: null,
      nextAlertPct: null,
      tokensToNextAlert: null,
      growthPerHour: null,
      hoursLeft: null,
    });
  });

  it('rounds the usable limit of a configured fraction and window', () => {
    const c = contextStatus(reading(0), 'm', { usableFraction: 0.85, windowSize: 100_001, thresholds: [] });
    expect(c.usableLimit).toBe(85_001); // 85,000.85
    expect(c.nextAlertPct).toBeNull();
  });
});
