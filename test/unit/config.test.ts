import { describe, expect, it } from 'vitest';
import { ConfigSchema, defaultConfig, PLAN_BUDGETS, planBudget, planName } from '../../src/config/config.ts';

describe('config', () => {
  it('defaults: pro plan, cache reads not counted, product thresholds, the context window as Claude Code sizes it, hour alignment', () => {
    const c = defaultConfig();
    expect(c.plan).toBeUndefined(); // the pro preset, labelled 'no plan set'
    expect(planName(c)).toBe('pro');
    expect(c.customBudget).toBeUndefined();
    expect(c.quota.weights).toEqual({ input: 1, output: 1, cacheCreation: 1, cacheRead: 0 });
    expect(c.quota.thresholds).toEqual([10, 25, 50, 75, 90, 95]);
    // No window or usable share by default: the model table and Claude Code's own compaction point decide.
    expect(c.context).toEqual({ thresholds: [50, 80, 90], compactFromPct: 80, keepTurns: 10 });
    expect(c.window.alignment).toBe('hour');
    expect(planBudget(c)).toBe(200_000);
  });

  it('plan presets: max5 and max20 are 5x and 20x pro', () => {
    expect(PLAN_BUDGETS.max5).toBe(5 * PLAN_BUDGETS.pro);
    expect(PLAN_BUDGETS.max20).toBe(20 * PLAN_BUDGETS.pro);
    for (const plan of ['free', 'pro', 'team', 'max5', 'max20'] as const) {
      expect(planBudget(ConfigSchema.parse({ plan }))).toBe(PLAN_BUDGETS[plan]);
    }
  });

  it('custom without a budget parses but planBudget throws', () => {
    const c = ConfigSchema.parse({ plan: 'custom' });
    expect(() => planBudget(c)).toThrow(/customBudget/);
  });

  it('custom with a budget uses it', () => {
    expect(planBudget(ConfigSchema.parse({ plan: 'custom', customBudget: 123_456 }))).toBe(123_456);
  });

  it('rejects a non-positive or fractional custom budget and an unknown plan', () => {
    expect(() => ConfigSchema.parse({ plan: 'custom', customBudget: 0 })).toThrow();
    expect(() => ConfigSchema.parse({ plan: 'custom', customBudget: 1.5 })).toThrow();
    expect(() => ConfigSchema.parse({ plan: 'enterprise' })).toThrow();
  });

  it('partial quota.weights keeps the defaults for the others', () => {
    const c = ConfigSchema.parse({ quota: { weights: { cacheRead: 0.1 } } });
    expect(c.quota.weights).toEqual({ input: 1, output: 1, cacheCreation: 1, cacheRead: 0.1 });
    expect(c.quota.thresholds).toEqual([10, 25, 50, 75, 90, 95]);
  });

  it('a partial section keeps the other defaults of that section', () => {
    const c = ConfigSchema.parse({ context: { windowSize: 1_000_000 }, quota: { thresholds: [80] } });
    expect(c.context).toEqual({ windowSize: 1_000_000, thresholds: [50, 80, 90], compactFromPct: 80, keepTurns: 10 });
    expect(c.quota.thresholds).toEqual([80]);
    expect(c.quota.weights.cacheRead).toBe(0);
  });

  it('validates ranges', () => {
    expect(() => ConfigSchema.parse({ quota: { weights: { input: -1 } } })).toThrow();
    expect(() => ConfigSchema.parse({ quota: { thresholds: [101] } })).toThrow();
    expect(() => ConfigSchema.parse({ context: { usableFraction: 0 } })).toThrow();
    expect(() => ConfigSchema.parse({ context: { usableFraction: 1.01 } })).toThrow();
    expect(() => ConfigSchema.parse({ window: { alignment: 'minute' } })).toThrow();
    expect(ConfigSchema.parse({ context: { usableFraction: 1 } }).context.usableFraction).toBe(1);
  });

  it("keeps unknown keys (a newer build's settings survive)", () => {
    const c = ConfigSchema.parse({ future: { x: 1 }, quota: { extra: true } }) as Record<string, unknown>;
    expect(c.future).toEqual({ x: 1 });
    expect((c.quota as Record<string, unknown>).extra).toBe(true);
  });

  it('defaultConfig returns a fresh object each time', () => {
    const a = defaultConfig();
    a.quota.thresholds.push(99);
    expect(defaultConfig().quota.thresholds).toEqual([10, 25, 50, 75, 90, 95]);
  });
});
