import { describe, expect, it } from 'vitest';
import { contextItems, type ContextItem, type ItemKind, type SegmentContent } from '../../src/context/context-items.ts';
import { findOpportunities, isMetaCommand } from '../../src/context/opportunities.ts';
import { asst, chars, prompt, recs, result, use } from '../helpers/context-records.ts';

/** Two exchanges of reads and one edit; sizes in the comments (tokens = chars / 4). */
const reads = contextItems(
  recs([
    prompt('one'), // 0
    asst([use('r1', 'Read', { file_path: '/a' })]),
    result('r1', chars(800)), // 2: /a, 200
    asst([use('r2', 'Read', { file_path: '/b', offset: 1, limit: 10 })]),
    result('r2', chars(40)), // 4: /b lines 1-10, 10
    prompt('two'), // 5
    asst([use('r3', 'Read', { file_path: '/a' })]),
    result('r3', chars(800)), // 7: /a again, same content, 200
    asst([use('r4', 'Read', { file_path: '/b', offset: 50, limit: 10 })]),
    result('r4', chars(44, 'y')), // 9: another part of /b, 11
    asst([use('r5', 'Read', { file_path: '/c' })]),
    result('r5', chars(100, 'c')), // 11: /c, 25
    asst([use('e1', 'Edit', { file_path: '/c', old_string: 'c', new_string: 'd' })]), // 12
    result('e1', 'ok'),
    asst([use('r6', 'Read', { file_path: '/d' })]),
    result('r6', chars(12, 'd')), // 15: /d, never read again
    asst([use('r7', 'Read', { file_path: '/b' })]), // 16
    result('r7', chars(60, 'b')), // 17: all of /b
  ]),
);

describe('findOpportunities: superseded reads and duplicates', () => {
  const o = findOpportunities(reads);

  it('finds reads made stale by a later read of the same part or the whole file, or by an edit', () => {
    expect(o.superseded.map((s) => [s.target, s.line, s.tokens, s.by, s.byLine, s.byTurn])).toEqual([
      ['/a', 2, 200, 'read', 7, 2],
      ['/b', 4, 10, 'read', 17, 2], // another range (line 9) does not supersede it; the whole-file read does
      ['/b', 9, 11, 'read', 17, 2],
      ['/c', 11, 25, 'edit', 12, 2],
    ]);
    expect(o.tokens.superseded).toBe(246);
  });

  it('lists a result with the same content as an earlier one', () => {
    expect(o.duplicates.map((d) => [d.target, d.line, d.tokens, d.firstLine, d.firstTurn])).toEqual([['/a', 7, 200, 2, 1]]);
  });

  it('leaves duplicates below the minimum size out', () => {
    expect(findOpportunities(reads, { duplicateMinTokens: 201 }).duplicates).toEqual([]);
  });

  it('totals each item once and scales tokens by the breakdown factor', () => {
    expect(o.totalTokens).toBe(200 + 10 + 11 + 25 + 200);
    expect(o.totalItems).toBe(5);
    const scaled = findOpportunities(reads, { scale: 2 });
    expect(scaled.superseded.map((s) => s.tokens)).toEqual([400, 20, 22, 50]);
    expect(scaled.totalTokens).toBe(892);
  });

  it('has no old exchanges or oversized outputs in a short segment', () => {
    expect(o.oldExchanges).toBeNull();
    expect(o.oversized).toEqual([]);
  });
});

/** 17 exchanges: tool result k (turn k + 1) has 3,100 - 100k tokens; plus a summary and a note in turn 0. */
function big(): SegmentContent {
  const mk = (id: number, kind: ItemKind, est: number, turn: number): ContextItem => ({
    id,
    kind,
    tool: 'Bash',
    target: `cmd${id}`,
    range: null,
    chars: est * 4,
    estTokens: est,
    turn,
    line: id,
    hash: `h${id}`,
    isError: false,
  });
  const items = [mk(0, 'compact-summary', 500, 0), mk(1, 'conversation', 10, 0)];
  for (let k = 0; k < 17; k++) items.push(mk(items.length, 'tool-result', 3_100 - 100 * k, k + 1));
  return { items, prompts: Array.from({ length: 17 }, (_, k) => ({ turn: k + 1, line: 100 + k, text: `request ${k + 1}` })), todos: null, plan: null };
}

describe('findOpportunities: oversized outputs, old exchanges, the total', () => {
  const o = findOpportunities(big(), { oversizedMinTokens: 1_700 });

  it('lists the 10 largest results above the threshold, largest first', () => {
    expect(o.oversized.map((r) => r.tokens)).toEqual([3_100, 3_000, 2_900, 2_800, 2_700, 2_600, 2_500, 2_400, 2_300, 2_200]);
    expect(o.oversized[0]).toMatchObject({ tool: 'Bash', target: 'cmd2', turn: 1 });
    expect(o.tokens.oversized).toBe(26_500);
  });

  it('honours the threshold and the count', () => {
    expect(findOpportunities(big(), { oversizedMinTokens: 2_950, oversizedTop: 10 }).oversized.map((r) => r.tokens)).toEqual([3_100, 3_000]);
    expect(findOpportunities(big(), { oversizedMinTokens: 0, oversizedTop: 3 }).oversized).toHaveLength(3);
  });

  it('takes everything before the last K exchanges, except the compaction summary', () => {
    // 17 exchanges, keep 10: exchanges 1-7 (3,100 .. 2,500) and the turn-0 note (10)
    expect(o.oldExchanges).toEqual({ fromTurn: 0, toTurn: 7, items: 8, tokens: 19_600 + 10 });
    expect(findOpportunities(big(), { keepTurns: 15 }).oldExchanges).toEqual({ fromTurn: 0, toTurn: 2, items: 3, tokens: 3_100 + 3_000 + 10 });
    expect(findOpportunities(big(), { keepTurns: 17 }).oldExchanges).toBeNull();
  });

  it('counts an item in several categories once in the total', () => {
    // oversized: exchanges 1-10; old: exchanges 1-7 and the note -> union: exchanges 1-10 and the note
    expect(o.totalTokens).toBe(26_500 + 10);
    expect(o.totalItems).toBe(11);
    expect(o.totalTokens).toBeLessThan(o.tokens.oversized + o.tokens.oldExchanges);
  });
});

describe('findOpportunities: the keep-list', () => {
  const steps: Record<string, unknown>[] = [];
  for (let t = 1; t <= 12; t++) {
    steps.push(prompt(t === 3 ? '/clear' : t === 12 ? '/cco:context-status' : `request ${t}`));
    if (t === 1) steps.push(asst([use('e0', 'Write', { file_path: '/old.ts', content: 'x' })]));
    if (t === 5) steps.push(asst([use('e1', 'Edit', { file_path: '/x.ts' })]));
    if (t === 11)
      steps.push(
        asst([use('e2', 'MultiEdit', { file_path: '/y.ts', edits: [] })]),
        asst([
          use('t', 'TodoWrite', {
            todos: [
              { content: 'done', status: 'completed' },
              { content: 'doing', status: 'in_progress' },
              { content: 'next', status: 'pending' },
            ],
          }),
        ]),
      );
    if (t === 12) steps.push(asst([use('e3', 'Edit', { file_path: '/x.ts' })]));
  }
  const o = findOpportunities(contextItems(recs(steps)));

  it('names the files edited in the last K exchanges, most recent first, once each', () => {
    expect(o.keep.filesInProgress).toEqual(['/x.ts', '/y.ts']);
    expect(findOpportunities(contextItems(recs(steps)), { keepTurns: 12 }).keep.filesInProgress).toEqual(['/x.ts', '/y.ts', '/old.ts']);
  });

  it('lists the open todos of the last TodoWrite and the last requests without meta commands', () => {
    expect(o.keep.openTodos).toEqual([
      { content: 'doing', status: 'in_progress' },
      { content: 'next', status: 'pending' },
    ]);
    expect(o.keep.recentRequests.map((p) => [p.turn, p.text])).toEqual([
      [9, 'request 9'],
      [10, 'request 10'],
      [11, 'request 11'],
    ]);
    expect(o.keep.lastTurn).toBe(12);
  });
});

describe('isMetaCommand', () => {
  it("knows built-in session commands and this pack's reports, not task commands or text", () => {
    for (const t of ['/clear', '/model opus', '/compact keep x', '/cco:compact-context', '/session-status', '/cco:anything'])
      expect(isMetaCommand(t)).toBe(true);
    for (const t of ['/init', '/review-pr 12', 'please /clear the cache', 'fix it']) expect(isMetaCommand(t)).toBe(false);
  });
});
