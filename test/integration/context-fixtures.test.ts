import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTranscripts, mainTranscriptOf } from '../../src/claude/transcript-files.ts';
import { readTranscriptRecords } from '../../src/claude/transcript-records.ts';
import { analyzeContext, lastMeasuredContext } from '../../src/context/analysis.ts';
import { compactCommand, compactKeepList, MAX_COMPACT_LINE } from '../../src/context/compact-line.ts';
import { HAS_SHARED_FIXTURES, LOCAL_SOURCES, NEEDS_SHARED, SHARED_SOURCES } from '../helpers/fixture-sets.ts';

/** Every transcript of the repository's own fixtures (main files, old-style agent files and subagent files). */
const LOCAL = listTranscripts(LOCAL_SOURCES);
/** Every transcript of the shared real fixtures (none when they are absent). */
const ALL = listTranscripts(SHARED_SOURCES);
const byName = (stem: string) => ALL.find((f) => path.basename(f).startsWith(stem))!;

function analyze(file: string) {
  const records = readTranscriptRecords(file);
  const last = lastMeasuredContext(records);
  const cwd = records.map((r) => r.rec.cwd).find((c): c is string => typeof c === 'string') ?? null;
  const a = analyzeContext(records, { total: last === null ? null : { tokens: last.tokens, source: last.source }, cwd });
  return { records, last, a };
}

/** What must hold on any transcript: parts sum to the measured total, items are main-chain content after the boundary, the /compact line is one line. */
function invariants(file: string): void {
  const { records, last, a } = analyze(file);
  const lineOf = new Map(records.map((r) => [r.line, r.rec]));
  if (last !== null) {
    const b = a.breakdown!;
    expect(b.parts.reduce((n, p) => n + p.tokens, 0)).toBe(last.tokens);
    expect(b.parts.every((p) => Number.isInteger(p.tokens) && p.tokens >= 0)).toBe(true);
    expect(a.opportunities.totalTokens).toBeLessThanOrEqual(b.total + a.content.items.length);
  } else {
    expect(a.breakdown).toBeNull();
  }
  for (const it of a.content.items) {
    const rec = lineOf.get(it.line)!;
    expect(rec.isSidechain).not.toBe(true);
    expect(['user', 'assistant', 'attachment']).toContain(rec.type);
    expect(it.estTokens).toBe(Math.ceil(it.chars / 4));
    if (a.boundaryLine !== null) expect(it.line).toBeGreaterThan(a.boundaryLine);
  }
  const line = compactCommand(a);
  expect(line.startsWith('/compact Keep: ')).toBe(true);
  expect(line.length).toBeLessThanOrEqual(MAX_COMPACT_LINE);
  expect(line).not.toMatch(/[\n\r]/);
  expect(compactKeepList(a)).not.toMatch(/[\n\r]/);
}

describe("context analysis on the repository's transcript cases", () => {
  it.each(LOCAL.map((f) => [path.relative(path.dirname(path.dirname(path.dirname(f))), f), f]))('%s: invariants', (_name, file) => invariants(file));

  it('files that hold only sidechain records give no items (a subagent file and an old agent-*.jsonl file)', () => {
    const side = LOCAL.filter((f) => mainTranscriptOf(f) !== f || path.basename(f).startsWith('agent-'));
    expect(side.map((f) => path.basename(f))).toEqual(['agent-0a1b2c3d.jsonl', 'agent-a5b6c7d.jsonl']);
    for (const f of side) {
      const { records, a } = analyze(f);
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => r.rec.isSidechain === true)).toBe(true);
      expect(a.content.items).toEqual([]);
    }
  });

  it('a main file with inline sidechain records leaves them out (case sidechain)', () => {
    const { records, a } = analyze(LOCAL.find((f) => f.includes('/sidechain/') && !path.basename(f).startsWith('agent-'))!);
    // lines 2 and 3: the subagent's prompt and its Bash call, written inline
    const side = records.filter((r) => r.rec.isSidechain === true).map((r) => r.line);
    expect(side).toEqual([2, 3]);
    expect(a.content.items.length).toBeGreaterThan(0);
    expect(a.content.items.some((i) => side.includes(i.line))).toBe(false);
    expect(a.breakdown!.counts.subagentResults).toBe(1);
  });

  it('the compacted session covers only what follows the boundary, with the summary (case compaction)', () => {
    const { records, last, a } = analyze(LOCAL.find((f) => f.includes('/compaction/'))!);
    expect(a.compacted).toBe(true);
    // lines: 0 hook progress, 1 prompt, 2 Read, 3 result, 4 TodoWrite, 5 result, 6 /compact, 7 boundary,
    // 8 summary, 9 command echo, 10 cost-state, 11 prompt, 12 Edit (3 + 6,000 + 0 context tokens), 13 result
    expect(a.boundaryLine).toBe(7);
    expect(records[7]!.rec.subtype).toBe('compact_boundary');
    expect(last).toEqual({ tokens: 6_003, source: 'usage', line: 12 });
    expect(a.content.items.filter((i) => i.kind === 'compact-summary').map((i) => i.line)).toEqual([8]);
    expect(a.content.items.every((i) => i.line > 7)).toBe(true);
  });
});

describe.skipIf(!HAS_SHARED_FIXTURES)(`context analysis on the shared real transcripts: ${NEEDS_SHARED}`, () => {
  it('finds the fixture files', () => {
    expect(ALL.length).toBe(28);
  });

  it.each(ALL.map((f) => [path.relative(path.dirname(path.dirname(path.dirname(f))), f), f]))('%s: invariants', (_name, file) => invariants(file));

  it('files that hold only sidechain records give no items (subagent and old agent-*.jsonl files)', () => {
    const side = ALL.filter((f) => mainTranscriptOf(f) !== f || path.basename(f).startsWith('agent-'));
    expect(side.length).toBe(5);
    for (const f of side) {
      const { records, a } = analyze(f);
      if (records.length > 0) expect(records.every((r) => r.rec.isSidechain === true)).toBe(true);
      expect(a.content.items).toEqual([]);
    }
  });

  it('a main file with inline sidechain records (d-kimuson 5c0375b4) leaves them out', () => {
    const { records, a } = analyze(byName('5c0375b4'));
    const side = new Set(records.filter((r) => r.rec.isSidechain === true).map((r) => r.line));
    expect(side.size).toBe(22);
    expect(a.content.items.some((i) => side.has(i.line))).toBe(false);
    // its three Task calls come back as subagent results in the main chain
    expect(a.breakdown!.counts.subagentResults).toBe(3);
  });

  it("a session whose subagent has its own file (daaain 29ccd257) counts the Task result, not the subagent's reads", () => {
    const { a } = analyze(byName('29ccd257-68b1-427f-ae5f-6524b7cb6f20.jsonl'));
    expect(a.breakdown!.counts).toMatchObject({ subagentResults: 1, fileReads: 0, toolResults: 0, exchanges: 1 });
    expect(a.breakdown!.parts.find((p) => p.key === 'subagentResults')!.tokens).toBeGreaterThan(0);
  });

  it('the compacted session (entireio 0cf3db51) covers only what follows the boundary, with the summary', () => {
    const { records, last, a } = analyze(byName('0cf3db51'));
    expect(a.compacted).toBe(true);
    expect(a.boundaryLine).toBe(5);
    expect(records[5]!.rec.subtype).toBe('compact_boundary');
    expect(last).toEqual({ tokens: 87_052, source: 'usage', line: 157 });
    // the file begins mid-session: the system figure is the first request after the boundary (50,225)
    // minus the summary (14,111 chars -> 3,528 tokens)
    expect(a.system).toEqual({ tokens: 46_697, requestTokens: 50_225, precedingEstTokens: 3_528, line: 9, basis: 'after-compaction' });
    const part = (k: string) => a.breakdown!.parts.find((p) => p.key === k)!;
    expect(part('systemAndTools').tokens).toBe(46_697);
    expect(part('compactSummary')).toMatchObject({ estTokens: 3_528, items: 1 });
    expect(part('compactSummary').tokens).toBeGreaterThan(0);
    expect(a.content.items.filter((i) => i.kind === 'compact-summary').map((i) => i.line)).toEqual([6]);
  });

  it('an uncompacted session (entireio a2b25ca9) takes the system figure from its first request', () => {
    const { a } = analyze(byName('a2b25ca9'));
    expect(a.compacted).toBe(false);
    expect(a.system).toMatchObject({ basis: 'session-start', requestTokens: 41_818, line: 5 });
    expect(a.breakdown!.system.measured).toBe(true);
  });
});
