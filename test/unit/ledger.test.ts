import { describe, expect, it } from 'vitest';
import { emptyDigest, type EntryTuple, type FileDigest } from '../../src/claude/transcript-digest.ts';
import { mergeDigests } from '../../src/usage/ledger.ts';

function file(entries: EntryTuple[], loose: EntryTuple[] = []): FileDigest {
  return { ...emptyDigest(), entries, loose };
}

describe('mergeDigests', () => {
  it('returns nothing for no digests', () => {
    expect(mergeDigests([])).toEqual([]);
  });

  it('keeps the largest copy of a key across files, whichever file it is in', () => {
    const a = file([['k', 'sA', 100, 'm', 10, 0, 0, 0]]);
    const b = file([['k', 'sB', 200, 'm', 10, 5, 0, 0]]);
    expect(mergeDigests([a, b])).toEqual([
      {
        key: 'k',
        sessionId: 'sB',
        timeMs: 200,
        model: 'm',
        tokens: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    ]);
    expect(mergeDigests([b, a])[0]?.sessionId).toBe('sB');
  });

  it("keeps the first file's copy on a tie of totals", () => {
    const a = file([['k', 'sA', 100, 'm', 1, 2, 3, 4]]);
    const b = file([['k', 'sB', 200, 'm', 4, 3, 2, 1]]);
    const r1 = mergeDigests([a, b]);
    expect(r1).toHaveLength(1);
    expect(r1[0]?.sessionId).toBe('sA');
    expect(r1[0]?.tokens.input_tokens).toBe(1);
    expect(mergeDigests([b, a])[0]?.sessionId).toBe('sB');
  });

  it('orders keyed entries by first-seen key, then the loose ones in file order', () => {
    const a = file(
      [
        ['k1', 's', 1, 'm', 1, 0, 0, 0],
        ['k2', 's', 2, 'm', 1, 0, 0, 0],
      ],
      [[null, 's', 9, 'm', 7, 0, 0, 0]],
    );
    const b = file(
      [
        ['k3', 's', 3, 'm', 1, 0, 0, 0],
        ['k1', 's', 4, 'm', 50, 0, 0, 0],
      ],
      [[null, 's', 8, 'm', 6, 0, 0, 0]],
    );
    const r = mergeDigests([a, b]);
    expect(r.map((e) => [e.key, e.timeMs])).toEqual([
      ['k1', 4],
      ['k2', 2],
      ['k3', 3],
      [null, 9],
      [null, 8],
    ]);
  });

  it('keeps every loose entry, even identical ones in different files', () => {
    const l: EntryTuple = [null, 's', 5, 'm', 1, 1, 1, 1];
    const r = mergeDigests([file([], [l]), file([], [l, l])]);
    expect(r).toHaveLength(3);
    expect(r.every((e) => e.key === null && e.tokens.cache_read_input_tokens === 1)).toBe(true);
  });

  it('accepts any iterable (a generator)', () => {
    function* gen() {
      yield file([['x', null, null, '', 1, 0, 0, 0]]);
      yield file([['x', null, null, '', 2, 0, 0, 0]]);
    }
    const r = mergeDigests(gen());
    expect(r).toHaveLength(1);
    expect(r[0]?.tokens.input_tokens).toBe(2);
  });

  it('does not mutate the digests', () => {
    const a = file([['k', 's', 1, 'm', 1, 0, 0, 0]]);
    const b = file([['k', 's', 2, 'm', 9, 0, 0, 0]]);
    const before = JSON.stringify([a, b]);
    mergeDigests([a, b]);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});
