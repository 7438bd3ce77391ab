import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_FIXTURES, NEEDS_SHARED, SHARED_FIXTURES, SHARED_SOURCES } from '../helpers/fixture-sets.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';

// The figures reference_totals.py gives on the shared set (read when the set is there).
let expected: { totals: unknown; sessions: unknown; blocks: unknown };
let h: TempHome;

/** Runs the built CLI with the temp state dir first and the fixture config dirs after it. */
function report(...flags: string[]): {
  totals: unknown;
  sessions: unknown;
  blocks: { start: string }[];
  models: Record<string, unknown>;
  days: Record<string, unknown>;
  stats: { files: number };
} {
  const dirs = [h.configDir, ...SHARED_SOURCES].join(',');
  const out = execFileSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'report', '--json', ...flags], {
    env: h.env({ CLAUDE_CONFIG_DIR: dirs }),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe.skipIf(!HAS_SHARED_FIXTURES)(`cco report --json on the shared real transcripts: ${NEEDS_SHARED}`, () => {
  beforeAll(() => {
    expected = JSON.parse(readFileSync(path.join(SHARED_FIXTURES, 'reference', 'expected.json'), 'utf8')) as typeof expected;
    h = tempHome();
  });
  afterAll(() => h?.cleanup());

  it('equals expected.json (totals, per session, 5-hour blocks) on a cold scan', () => {
    const r = report();
    expect(r.totals).toEqual(expected.totals);
    expect(r.sessions).toEqual(expected.sessions);
    expect(r.blocks).toEqual(expected.blocks);
    expect(r.stats.files).toBe(28);
  });

  it('gives the same report warm (from the per-file caches) and with --no-cache', () => {
    const warm = report();
    const uncached = report('--no-cache');
    expect(warm.totals).toEqual(expected.totals);
    expect(warm.blocks).toEqual(expected.blocks);
    expect(uncached).toEqual(warm);
  });

  it('splits the same totals by model and by UTC day', () => {
    const r = report();
    const sum = (rows: Record<string, unknown>) =>
      Object.values(rows as Record<string, Record<string, number>>).reduce(
        (a, t) => a + t.input_tokens! + t.output_tokens! + t.cache_creation_input_tokens! + t.cache_read_input_tokens!,
        0,
      );
    const t = expected.totals as Record<string, number>;
    const total = t.input_tokens! + t.output_tokens! + t.cache_creation_input_tokens! + t.cache_read_input_tokens!;
    expect(sum(r.models)).toBe(total);
    expect(sum(r.days)).toBe(total);
    expect(Object.keys(r.days).every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  });
});
