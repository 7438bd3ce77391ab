import { describe, expect, it } from 'vitest';
import { ConfigSchema, defaultConfig } from '../../src/config/config.ts';

describe('config: planning', () => {
  it("defaults: 09:00-18:00 Monday to Friday, this computer's zone, weekly cap 95 %", () => {
    expect(defaultConfig().planning).toEqual({ workingHours: { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }, weeklyCapPct: 95 });
  });

  it('accepts a zone and other hours; refuses an unknown zone, an end before the start, a bad time, no days', () => {
    expect(
      ConfigSchema.parse({ planning: { timeZone: 'Europe/Berlin', workingHours: { start: '07:30', end: '24:00', days: ['sat'] } } }).planning,
    ).toMatchObject({ timeZone: 'Europe/Berlin', workingHours: { start: '07:30', end: '24:00', days: ['sat'] } });
    expect(ConfigSchema.safeParse({ planning: { timeZone: 'Mars/Olympus' } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ planning: { workingHours: { start: '18:00', end: '09:00' } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ planning: { workingHours: { start: '9:00' } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ planning: { workingHours: { end: '24:30' } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ planning: { workingHours: { days: [] } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ planning: { weeklyCapPct: 0 } }).success).toBe(false);
  });
});
