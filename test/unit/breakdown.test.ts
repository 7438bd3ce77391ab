import { describe, expect, it } from 'vitest';
import { analyzeContext, lastMeasuredContext, measuredRequestLine } from '../../src/context/analysis.ts';
import { apportion, contextBreakdown, systemAndToolsFigure, type SystemFigure } from '../../src/context/breakdown.ts';
import type { ContextItem, ItemKind, SegmentContent } from '../../src/context/context-items.ts';
import { asst, boundary, chars, prompt, recs, result, summary, text, use } from '../helpers/context-records.ts';

function content(specs: [ItemKind, number, string?][], prompts = 1): SegmentContent {
  const items: ContextItem[] = specs.map(([kind, est, target], id) => ({
    id,
    kind,
    tool: null,
    target: target ?? null,
    range: null,
    chars: est * 4,
    estTokens: est,
    turn: 1,
    line: id,
    hash: String(id),
    isError: false,
  }));
  return { items, prompts: Array.from({ length: prompts }, (_, i) => ({ turn: i + 1, line: i, text: `p${i}` })), todos: null, plan: null };
}

const sys = (tokens: number): SystemFigure => ({ tokens, requestTokens: tokens + 10, precedingEstTokens: 10, line: 1, basis: 'session-start' });
const byKey = (b: ReturnType<typeof contextBreakdown>) => Object.fromEntries(b.parts.map((p) => [p.key, p.tokens]));
const sum = (b: ReturnType<typeof contextBreakdown>) => b.parts.reduce((n, p) => n + p.tokens, 0);

describe('apportion', () => {
  it('splits in proportion with integers that sum exactly to the target', () => {
    expect(apportion([200, 50, 0, 25, 25], 3_000)).toEqual([2_000, 500, 0, 250, 250]);
    expect(apportion([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(apportion([1, 2], 1)).toEqual([0, 1]);
  });

  it('gives zeros for zero weights or a zero target', () => {
    expect(apportion([0, 0], 5)).toEqual([0, 0]);
    expect(apportion([3, 4], 0)).toEqual([0, 0]);
  });
});

describe('contextBreakdown', () => {
  const c = content(
    [
      ['file-read', 100, '/a'],
      ['file-read', 100, '/a'],
      ['tool-result', 50],
      ['code', 25, '/a'],
      ['conversation', 25],
    ],
    2,
  );

  it('keeps the measured system figure and scales the estimates into the rest', () => {
    const b = contextBreakdown(c, { tokens: 10_000, source: 'measured, last response' }, sys(7_000));
    expect(byKey(b)).toEqual({
      systemAndTools: 7_000,
      fileReads: 2_000,
      toolResults: 500,
      subagentResults: 0,
      code: 250,
      conversation: 250,
      compactSummary: 0,
    });
    expect(sum(b)).toBe(10_000);
    expect(b.scale).toBe(10);
    expect(b.system).toMatchObject({ tokens: 7_000, measured: true, basis: 'session-start' });
    expect(b.parts.find((p) => p.key === 'fileReads')).toMatchObject({ estTokens: 200, items: 2 });
    expect(b.totalSource).toBe('measured, last response');
  });

  it('counts files, reads, results, edits and exchanges', () => {
    expect(contextBreakdown(c, { tokens: 10_000, source: 's' }, sys(7_000)).counts).toEqual({
      filesRead: 1,
      fileReads: 2,
      toolResults: 1,
      subagentResults: 0,
      codeEdits: 1,
      filesEdited: 1,
      exchanges: 2,
    });
  });

  it('rounds with largest remainders so the parts still sum exactly', () => {
    const b = contextBreakdown(
      content([
        ['file-read', 1],
        ['tool-result', 1],
        ['conversation', 1],
      ]),
      { tokens: 100, source: 's' },
      sys(90),
    );
    expect(byKey(b)).toMatchObject({ systemAndTools: 90, fileReads: 4, toolResults: 3, conversation: 3 });
  });

  it('sums exactly to the total for many totals and system figures, with no negative part', () => {
    const odd = content([
      ['file-read', 7],
      ['tool-result', 13],
      ['subagent-result', 3],
      ['code', 11],
      ['conversation', 17],
      ['compact-summary', 5],
    ]);
    for (const total of [0, 1, 99, 1_001, 33_333, 187_654]) {
      for (const s of [0, 50, 20_000, 500_000]) {
        const b = contextBreakdown(odd, { tokens: total, source: 's' }, sys(s));
        expect(sum(b)).toBe(total);
        expect(b.parts.every((p) => p.tokens >= 0 && Number.isInteger(p.tokens))).toBe(true);
        expect(byKey(b).systemAndTools).toBe(Math.min(total, s));
      }
    }
  });

  it('caps the system part at the total (nothing left for the others)', () => {
    const b = contextBreakdown(c, { tokens: 5_000, source: 's' }, sys(6_000));
    expect(byKey(b)).toMatchObject({ systemAndTools: 5_000, fileReads: 0, conversation: 0 });
    expect(b.scale).toBe(0);
  });

  it('without a system figure takes the remainder after the unscaled estimates, labelled as estimated', () => {
    const b = contextBreakdown(c, { tokens: 1_000, source: 's' }, null);
    expect(byKey(b)).toEqual({ systemAndTools: 700, fileReads: 200, toolResults: 50, subagentResults: 0, code: 25, conversation: 25, compactSummary: 0 });
    expect(b.system).toMatchObject({ measured: false, basis: 'remainder', requestTokens: null });
    const small = contextBreakdown(c, { tokens: 150, source: 's' }, null);
    expect(byKey(small)).toMatchObject({ systemAndTools: 0, fileReads: 100, toolResults: 25, code: 13, conversation: 12 });
    expect(sum(small)).toBe(150);
  });

  it('gives everything to the system part when there are no items', () => {
    const b = contextBreakdown(content([], 0), { tokens: 4_321, source: 's' }, sys(1_000));
    expect(byKey(b).systemAndTools).toBe(4_321);
    expect(sum(b)).toBe(4_321);
    expect(b.scale).toBeNull();
  });
});

describe('systemAndToolsFigure', () => {
  it('is the first request minus the first prompt when the transcript starts at session start', () => {
    const r = recs([
      { type: 'attachment', attachment: { type: 'skill_listing', content: chars(4_000) } },
      prompt(chars(40)),
      asst([text('hi')], 5_000),
      asst([use('r', 'Read', { file_path: '/a' })], 5_000),
      result('r', chars(400)),
      asst([text('done')], 5_200),
    ]);
    expect(systemAndToolsFigure(r)).toEqual({ tokens: 4_990, requestTokens: 5_000, precedingEstTokens: 10, line: 2, basis: 'session-start' });
  });

  it('keeps the session-start figure after a compaction', () => {
    const r = recs([prompt(chars(40)), asst([text('hi')], 5_000), boundary(90_000, 8_000), summary(chars(400)), asst([text('x')], 9_000)]);
    expect(systemAndToolsFigure(r)).toMatchObject({ tokens: 4_990, basis: 'session-start' });
  });

  it('uses the first request after the last boundary when the file begins mid-session', () => {
    const r = recs([
      result('gone', 'output of a call made before the file begins'),
      asst([text('a')], 150_000),
      boundary(150_000),
      summary(chars(400)),
      asst([text('b')], 20_000),
    ]);
    expect(systemAndToolsFigure(r)).toEqual({ tokens: 19_900, requestTokens: 20_000, precedingEstTokens: 100, line: 4, basis: 'after-compaction' });
  });

  it('is null for a file that begins mid-session without a boundary, or without any usage', () => {
    expect(systemAndToolsFigure(recs([result('gone', 'x'), asst([text('a')], 150_000)]))).toBeNull();
    expect(systemAndToolsFigure(recs([prompt('hello')]))).toBeNull();
  });

  it('skips zero-usage <synthetic> responses and sidechain responses when finding the first request', () => {
    const synthetic = asst([text('API Error')], 10);
    (synthetic.message as Record<string, unknown>).model = '<synthetic>';
    const r = recs([prompt(chars(40)), { ...asst([text('side')], 70_000), isSidechain: true }, synthetic, asst([text('ok')], 5_000)]);
    expect(systemAndToolsFigure(r)).toMatchObject({ requestTokens: 5_000, line: 3 });
  });
});

describe('breakdown after a compaction (analyzeContext)', () => {
  const r = recs([
    prompt('old request'), // 11 chars -> 3 tokens
    asst([use('r1', 'Read', { file_path: '/big' })], 4_003), // first request: system 4,000
    result('r1', chars(4_000)),
    boundary(60_000, 5_000),
    summary(chars(2_000)), // 500 tokens
    prompt('new request here'), // 16 chars -> 4
    asst([text('done')], 6_000), // 4 chars -> 1
  ]);
  const a = analyzeContext(r, { total: { tokens: 6_000, source: 'measured, last response' } });

  it('counts only the segment after the boundary, with the summary', () => {
    expect(a.compacted).toBe(true);
    expect(a.boundaryLine).toBe(3);
    expect(a.content.items.every((i) => i.line > 3)).toBe(true);
    // 2,000 left over: summary 500 and the prompt 4 estimated (the measured response's own text is not
    // in its total) -> 1,984.1 and 15.9 -> 1,984 and 16
    expect(byKey(a.breakdown!)).toEqual({
      systemAndTools: 4_000,
      fileReads: 0,
      toolResults: 0,
      subagentResults: 0,
      code: 0,
      conversation: 16,
      compactSummary: 1_984,
    });
    expect(a.breakdown!.notYetMeasured).toEqual({ items: 1, estTokens: 1 });
    expect(a.breakdown!.counts).toMatchObject({ fileReads: 0, exchanges: 1 });
    expect(a.system).toMatchObject({ basis: 'session-start', tokens: 4_000 });
  });

  it('has no breakdown without a measured total', () => {
    expect(analyzeContext(r, { total: null }).breakdown).toBeNull();
  });
});

describe('the measured request bounds the breakdown', () => {
  /** One response over two lines (one per block), as Claude Code writes it. */
  const response = (id: string, ctx: number, blocks: unknown[]) =>
    blocks.map((b) => {
      const r = asst([b], ctx);
      (r.message as Record<string, unknown>).id = id;
      r.requestId = `req_${id}`;
      return r;
    });
  const bash = JSON.stringify({ command: 'make' }).length;
  const r = recs([
    prompt(chars(40)), // 0: 10
    ...response('A', 1_010, [text(chars(8)), use('r1', 'Read', { file_path: '/a' })]), // 1, 2: first request -> system 1,000
    result('r1', chars(400)), // 3: 100
    ...response('B', 1_200, [text(chars(20)), use('r2', 'Bash', { command: 'make' })]), // 4, 5: measured 1,200
    result('r2', chars(4_000)), // 6: 1,000, after the measurement
  ]);

  it('finds the first line of the response the total was measured on', () => {
    expect(measuredRequestLine(r, 1_200)).toBe(4);
    expect(measuredRequestLine(r, 1_010)).toBe(1);
    expect(measuredRequestLine(r, 999)).toBeNull();
  });

  it('leaves later items out of the parts and counts, and says how much they are', () => {
    const b = analyzeContext(r, { total: { tokens: 1_200, source: 's' } }).breakdown!;
    expect(b.notYetMeasured).toEqual({ items: 3, estTokens: 5 + Math.ceil(bash / 4) + 1_000 });
    expect(byKey(b)).toMatchObject({ systemAndTools: 1_000, toolResults: 0 });
    expect(byKey(b).fileReads).toBeGreaterThan(0);
    expect(b.counts).toMatchObject({ fileReads: 1, toolResults: 0, exchanges: 1 });
    expect(sum(b)).toBe(1_200);
  });

  it('keeps every item when the total is not tied to a response (a compaction figure)', () => {
    const b = analyzeContext(r, { total: { tokens: 3_000, source: 's' } }).breakdown!;
    expect(b.notYetMeasured).toEqual({ items: 0, estTokens: 0 });
    expect(b.counts.toolResults).toBe(1);
  });
});

describe('lastMeasuredContext', () => {
  it('is the last main-chain response with context, skipping zero-usage synthetic records and sidechains', () => {
    const synthetic = asst([text('API Error')], 10);
    (synthetic.message as Record<string, unknown>).model = '<synthetic>';
    const r = recs([prompt('x'), asst([text('a')], 7_000), { ...asst([text('s')], 90_000), isSidechain: true }, synthetic]);
    expect(lastMeasuredContext(r)).toEqual({ tokens: 7_000, source: 'usage', line: 1 });
  });

  it('is the postTokens of a later boundary, and null after a boundary without them', () => {
    expect(lastMeasuredContext(recs([asst([text('a')], 7_000), boundary(7_000, 2_500), summary('s')]))).toEqual({
      tokens: 2_500,
      source: 'compaction',
      line: 1,
    });
    expect(lastMeasuredContext(recs([asst([text('a')], 7_000), boundary(7_000), summary('s')]))).toBeNull();
    expect(lastMeasuredContext(recs([asst([text('a')], 7_000), boundary(7_000), summary('s'), asst([text('b')], 3_000)]))).toMatchObject({
      tokens: 3_000,
      line: 3,
    });
  });
});
