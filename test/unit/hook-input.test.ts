import { describe, expect, it } from 'vitest';
import { HookInputSchema } from '../../src/claude/hook-input.ts';

describe('HookInputSchema: a malformed SessionStart source', () => {
  it('null, a number or an object reads as absent (so the start is a startup), and tracking keeps the rest', () => {
    for (const source of [null, 7, { a: 1 }, ['startup']]) {
      const r = HookInputSchema.safeParse({ session_id: 's', source, cwd: '/w' });
      expect(r.success, JSON.stringify(source)).toBe(true);
      expect(r.data?.source).toBeUndefined();
      expect(r.data?.cwd).toBe('/w');
    }
    expect(HookInputSchema.parse({ session_id: 's', source: 'resume' }).source).toBe('resume');
    // an unknown string stays as it is
    expect(HookInputSchema.parse({ session_id: 's', source: 'teleport' }).source).toBe('teleport');
  });
});
