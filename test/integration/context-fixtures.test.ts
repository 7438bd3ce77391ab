import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTranscripts, mainTranscriptOf } from '../../src/claude/transcript-files.ts';
import { readTranscriptRecords } from '../../src/claude/transcript-records.ts';
import { analyzeContext, lastMeasuredContext } from '../../src/context/analysis.ts';
import { compactCommand, compactKeepList, MAX_COMPACT_LINE } from '../../src/context/compact-line.ts';
import { FIXTURE_SOURCES } from '../helpers/sandbox-env.ts';

/** Every transcript of the shared real fixtures (main files, old-style agent files and subagent files). */
const ALL = listTranscripts(FIXTURE_SOURCES);
const byName = (stem: string) => ALL.find((f) => path.basename(f).startsWith(stem))!;

function analyze(file: string) {
  const records = readTranscriptRecords(file);
  const last = lastMeasuredContext(records);
  const cwd = records.map((r) => r.rec.cwd).find((c): c is string => typeof c === 'string') ?? null;
  const a = analyzeContext(records, { total: last === null ? null : { tokens: last.tokens, source: last.source }, cwd });
  return { records, last, a };
}

describe('context analysis on the shared real transcripts', () => {
  it('finds the fixture files', () => {
    expect(ALL.length).toBe(28);
  });

  it.each(ALL.map((f) => [path.relative(path.dirname(path.dirname(path.dirname(f))), f), f]))('%s: invariants', (_name, file) => {
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
  });

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

  it('a session whose subagent has its own file (daaain 29ccd257) counts the Task result, not the subagent\'s reads', () => {
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
