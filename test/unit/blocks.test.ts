import { describe, expect, it } from 'vitest';
import { activeBlock, buildBlocks, HOUR_MS, WINDOW_MS } from '../../src/usage/blocks.ts';
import type { UsageEntry } from '../../src/usage/usage-record.ts';

const H = 3_600_000;
const MIN = 60_000;
const DAY0 = Date.UTC(2025, 8, 3, 0, 0, 0); // 2025-09-03T00:00:00Z

function e(timeMs: number | null, input = 1, output = 0): UsageEntry {
  return {
    key: null,
    sessionId: null,
    timeMs,
    model: '',
    tokens: { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

describe('constants', () => {
  it('an hour and a 5-hour window in ms', () => {
    expect(HOUR_MS).toBe(3_600_000);
    expect(WINDOW_MS).toBe(18_000_000);
  });
});

describe('buildBlocks', () => {
  it('returns no blocks for no entries', () => {
    expect(buildBlocks([])).toEqual([]);
  });

  it('floors the block start to the UTC hour; end is start + 5 h', () => {
    const t = DAY0 + 10 * H + 37 * MIN + 12_345;
    const [b] = buildBlocks([e(t, 3, 4)]);
    expect(b).toEqual({
      startMs: DAY0 + 10 * H,
      endMs: DAY0 + 15 * H,
      firstMs: t,
      lastMs: t,
      entries: 1,
      tokens: { input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('keeps an entry exactly 5 h after the block start in the block, opens a new one 1 ms later', () => {
    const start = DAY0 + 10 * H;
    const bs = buildBlocks([e(start + 30 * MIN), e(start + 4 * H), e(start + 5 * H), e(start + 5 * H + 1)]);
    expect(bs).toHaveLength(2);
    expect(bs[0]).toMatchObject({ startMs: start, entries: 3, lastMs: start + 5 * H });
    expect(bs[1]).toMatchObject({ startMs: start + 5 * H, endMs: start + 10 * H, entries: 1, firstMs: start + 5 * H + 1 });
  });

  it('opens a new block when an entry is more than 5 h after the block start even without a gap', () => {
    // entries every hour from 10:30: 10:30..15:30. 15:30 is 5h30m after 10:00 -> new block at 15:00
    const ts = [0, 1, 2, 3, 4, 5].map((i) => DAY0 + 10 * H + 30 * MIN + i * H);
    const bs = buildBlocks(ts.map((t) => e(t)));
    expect(bs.map((b) => [b.startMs, b.entries])).toEqual([
      [DAY0 + 10 * H, 5],
      [DAY0 + 15 * H, 1],
    ]);
  });

  it('after a gap of more than 5 h, the new block starts at the next entry floored to its hour', () => {
    const a = DAY0 + 1 * H + 5 * MIN;
    const b = a + 5 * H + 1; // 06:05:00.001, 5 h + 1 ms after the previous entry
    const bs = buildBlocks([e(a), e(b)]);
    expect(bs.map((x) => x.startMs)).toEqual([DAY0 + 1 * H, DAY0 + 6 * H]);
    const far = buildBlocks([e(a), e(a + 26 * H + 59 * MIN)]);
    expect(far.map((x) => x.startMs)).toEqual([DAY0 + 1 * H, DAY0 + 28 * H]);
  });

  it('exact alignment starts a block at its first entry, and measures the 5 h from there', () => {
    const t = DAY0 + 10 * H + 37 * MIN;
    const bs = buildBlocks([e(t), e(t + 5 * H), e(t + 5 * H + 1)], false);
    expect(bs.map((b) => [b.startMs, b.endMs, b.entries])).toEqual([
      [t, t + 5 * H, 2],
      [t + 5 * H + 1, t + 10 * H + 1, 1],
    ]);
    // floored, the same entries split differently: 15:37 is > 5 h after 10:00
    const floored = buildBlocks([e(t), e(t + 5 * H), e(t + 5 * H + 1)]);
    expect(floored.map((b) => [b.startMs, b.entries])).toEqual([
      [DAY0 + 10 * H, 1],
      [DAY0 + 15 * H, 2],
    ]);
  });

  it('sorts unsorted input and sums tokens per block', () => {
    const ts = [DAY0 + 12 * H, DAY0 + 2 * H, DAY0 + 1 * H + 59 * MIN, DAY0 + 13 * H];
    const bs = buildBlocks([e(ts[0]!, 1, 10), e(ts[1]!, 2, 20), e(ts[2]!, 4, 40), e(ts[3]!, 8, 80)]);
    expect(bs).toHaveLength(2);
    expect(bs[0]).toMatchObject({ startMs: DAY0 + 1 * H, firstMs: DAY0 + 1 * H + 59 * MIN, lastMs: DAY0 + 2 * H, entries: 2 });
    expect(bs[0]?.tokens).toMatchObject({ input_tokens: 6, output_tokens: 60 });
    expect(bs[1]).toMatchObject({ startMs: DAY0 + 12 * H, lastMs: DAY0 + 13 * H, entries: 2 });
    expect(bs[1]?.tokens).toMatchObject({ input_tokens: 9, output_tokens: 90 });
  });

  it('does not reorder or mutate the input array', () => {
    const input = [e(DAY0 + 3 * H), e(DAY0 + 1 * H)];
    buildBlocks(input);
    expect(input.map((x) => x.timeMs)).toEqual([DAY0 + 3 * H, DAY0 + 1 * H]);
  });

  it('leaves out entries without a timestamp', () => {
    const bs = buildBlocks([e(null, 100), e(DAY0 + 4 * H, 1), e(null, 100)]);
    expect(bs).toHaveLength(1);
    expect(bs[0]?.entries).toBe(1);
    expect(bs[0]?.tokens.input_tokens).toBe(1);
    expect(buildBlocks([e(null)])).toEqual([]);
  });
});

describe('activeBlock', () => {
  const start = DAY0 + 10 * H;
  const blocks = buildBlocks([e(start + 10 * MIN), e(start + 2 * H)]);

  it('is null without blocks', () => {
    expect(activeBlock([], start)).toBeNull();
  });

  it('is the last block while now is within 5 h of its start', () => {
    expect(activeBlock(blocks, start + 2 * H)).toBe(blocks[0]);
    expect(activeBlock(blocks, start + 5 * H)).toBe(blocks[0]);
  });

  it('is null 1 ms after the window ends', () => {
    expect(activeBlock(blocks, start + 5 * H + 1)).toBeNull();
  });

  it('only ever considers the last block', () => {
    const two = buildBlocks([e(start), e(start + 20 * H)]);
    expect(two).toHaveLength(2);
    expect(activeBlock(two, start + 1 * H)).toBe(two[1]);
    expect(activeBlock(two, start + 20 * H + 1)).toBe(two[1]);
    expect(activeBlock(two, start + 25 * H + 1)).toBeNull();
  });

  it('with exact alignment the window closes 5 h after the first entry', () => {
    const t = start + 37 * MIN;
    const ex = buildBlocks([e(t)], false);
    expect(activeBlock(ex, t + 5 * H)).toBe(ex[0]);
    expect(activeBlock(ex, t + 5 * H + 1)).toBeNull();
  });
});
