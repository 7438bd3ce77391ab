// `cco report --json` (the built CLI) on the repository's own transcripts (test/fixtures/transcripts,
// written by scripts/gen-fixtures.mjs): each case of DESIGN.md's token-accounting rule against the figures
// written by hand beside it (<case>/expected.ts), then all cases at once as several config dirs.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sum, type Block, type ExpectedReport, type Tokens } from '../helpers/expected-report.ts';
import { LOCAL_CASES, LOCAL_FIXTURES } from '../helpers/fixture-sets.ts';
import { ROOT, tempHomePerTest } from '../helpers/sandbox-env.ts';

const home = tempHomePerTest();

interface Report {
  totals: Tokens;
  sessions: Record<string, Tokens>;
  models: Record<string, Tokens>;
  days: Record<string, Tokens>;
  blocks: Block[];
  stats: { entries: number };
}

const cases = await Promise.all(
  LOCAL_CASES.map(async (name) => ({
    name,
    dir: path.join(LOCAL_FIXTURES, name),
    expected: ((await import(pathToFileURL(path.join(LOCAL_FIXTURES, name, 'expected.ts')).href)) as { default: ExpectedReport }).default,
  })),
);

/** The report on these config dirs, a temp one (for cco's own state) first; the raw JSON text. */
function reportText(dirs: string[], ...flags: string[]): string {
  const h = home();
  return execFileSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'report', '--json', ...flags], {
    env: h.env({ CLAUDE_CONFIG_DIR: [h.configDir, ...dirs].join(',') }),
    encoding: 'utf8',
  });
}

/** Every file under `dir` (relative paths, sorted). */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

function expectReport(r: Report, e: ExpectedReport): void {
  expect(r.totals).toEqual(e.totals);
  expect(r.sessions).toEqual(e.sessions);
  expect(r.models).toEqual(e.models);
  expect(r.days).toEqual(e.days);
  expect(r.blocks).toEqual(e.blocks);
  expect(r.stats.entries).toBe(e.entries);
}

/** Adds `b`'s token rows into `a` by key. */
function addRows(a: Record<string, Tokens>, b: Record<string, Tokens>): Record<string, Tokens> {
  for (const [k, v] of Object.entries(b)) a[k] = a[k] === undefined ? v : sum(a[k], v);
  return a;
}

describe("cco report --json on the repository's transcript cases (hand-written expected figures)", () => {
  it('has the cases of the rule, each with its expected.ts', () => {
    expect(LOCAL_CASES).toEqual([
      'blocks',
      'compaction',
      'fork',
      'no-request-id',
      'progress-subagent',
      'several-per-line',
      'sidechain',
      'streamed-duplicates',
      'subagent-files',
      'synthetic-model',
    ]);
  });

  it.each(cases)('case $name', ({ dir, expected }) => {
    const before = tree(dir);
    const cold = reportText([dir]);
    expectReport(JSON.parse(cold) as Report, expected);
    expect(reportText([dir], '--no-cache')).toBe(cold);
    // The fixtures are only read: cco's caches and state go to the first config dir.
    expect(tree(dir)).toEqual(before);
  });

  it('all cases at once, as several config dirs: the sums of the cases (their days and ids do not overlap)', () => {
    const r = JSON.parse(reportText(cases.map((c) => c.dir))) as Report;
    const sessions: Record<string, Tokens> = {};
    const models: Record<string, Tokens> = {};
    const days: Record<string, Tokens> = {};
    for (const { expected: e } of cases) {
      // Distinct sessions and days per case, so that the union below is a plain sum.
      expect(Object.keys(e.sessions).filter((s) => s in sessions)).toEqual([]);
      expect(Object.keys(e.days).filter((d) => d in days)).toEqual([]);
      addRows(sessions, e.sessions);
      addRows(models, e.models);
      addRows(days, e.days);
    }
    expectReport(r, {
      totals: sum(...cases.map((c) => c.expected.totals)),
      sessions,
      models,
      days,
      blocks: cases.flatMap((c) => c.expected.blocks).sort((a, b) => a.start.localeCompare(b.start)),
      entries: cases.reduce((n, c) => n + c.expected.entries, 0),
    });
  });
});
