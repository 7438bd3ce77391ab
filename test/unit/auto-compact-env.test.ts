import { describe, expect, it } from 'vitest';
import { autoCompactFrom } from '../../src/claude/auto-compact-env.ts';
import { spoolEnv } from '../../src/front/spool.ts';
import { SpoolEntrySchema } from '../../src/tracker/spool-read.ts';

describe("autoCompactFrom: Claude Code's auto-compaction settings from a hook environment", () => {
  it('reads the window and the switch', () => {
    expect(autoCompactFrom({ CLAUDE_CODE_AUTO_COMPACT_WINDOW: '100000' })).toEqual({ window: 100_000, disabled: false });
    expect(autoCompactFrom({ DISABLE_AUTO_COMPACT: '1' })).toEqual({ window: null, disabled: true });
    expect(autoCompactFrom({})).toEqual({ window: null, disabled: false });
  });

  it.each(['', ' ', '0', '-5', '1e5', '100000.5', 'auto', '9999999999'])('ignores a window of %j', (w) => {
    expect(autoCompactFrom({ CLAUDE_CODE_AUTO_COMPACT_WINDOW: w }).window).toBeNull();
  });

  it.each([
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['', false],
    ['true', true],
    ['yes', true],
  ])('DISABLE_AUTO_COMPACT=%j is %s', (v, off) => {
    expect(autoCompactFrom({ DISABLE_AUTO_COMPACT: v }).disabled).toBe(off);
  });

  it('a hook spools these variables (and only the ones the tracker reads), and the tracker accepts the entry', () => {
    const env = spoolEnv({ CLAUDE_PID: '42', CLAUDE_CODE_AUTO_COMPACT_WINDOW: '150000', HOME: '/h', ANTHROPIC_API_KEY: 'secret' });
    expect(env).toEqual({ CLAUDE_PID: '42', CLAUDE_CODE_AUTO_COMPACT_WINDOW: '150000' });
    const entry = { v: 1, event: 'PostToolUse', receivedAt: '2026-12-07T10:00:00.000Z', input: { session_id: 's' }, env, cwd: '/w' };
    expect(SpoolEntrySchema.safeParse(entry).success).toBe(true);
  });
});
