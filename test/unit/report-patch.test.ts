// patchReport (usage/report-patch.ts) against the full build it stands in for: over seeded random
// histories and rounds of changes (new responses, larger copies of counted ones, keyless and timeless
// entries, entries out of order), a patched report equals buildReportWithTail of every entry, figure for
// figure, and it refuses exactly the changes its docstring names. Plus the key-hash multiset it relies on.
import { describe, expect, it } from 'vitest';
import { fromTuple, type EntryTuple } from '../../src/claude/transcript-digest.ts';
import { countHash, keyHash, sortedHashes, withHashes } from '../../src/usage/key-hashes.ts';
import { buildReportWithTail } from '../../src/usage/report.ts';
import { patchReport, type ReportChanges } from '../../src/usage/report-patch.ts';
import { MAX_TOKENS } from '../../src/usage/tokens.ts';
import { mulberry32 } from '../../scripts/mulberry32.mjs';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 22, 0, 0);
const STATS = { files: 1, lines: 0, malformedLines: 0 };

/** The full build of these entries (already deduplicated: one tuple per key). */
const full = (entries: readonly EntryTuple[], stats = STATS) => buildReportWithTail(entries.map(fromTuple), stats);

/** Tails compared as multisets (their order is not part of the contract). */
const sortedTail = (tail: readonly EntryTuple[]) => tail.map((t) => JSON.stringify(t)).sort();

/** A random history and a generator of rounds of changes to it. */
function world(seed: number) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let n = 0;
  let clock = T0;
  const entry = (at: number | null, keyed = true): EntryTuple => [
    keyed ? `msg_${seed}_${n++}:req` : null,
    pick(['s1', 's2', null]),
    at,
    pick(['claude-opus-4-5', 'claude-sonnet-4-5', '']),
    Math.floor(rnd() * 50),
    Math.floor(rnd() * 900),
    Math.floor(rnd() * 5_000),
    Math.floor(rnd() * 90_000),
  ];
  /** The next time: mostly minutes later, sometimes past a 5-hour gap, across midnight now and then. */
  const next = () => (clock += rnd() < 0.1 ? 6 * H : Math.floor(rnd() * 20 * 60_000));
  const history: EntryTuple[] = [];
  for (let i = 0; i < 40; i++) history.push(entry(rnd() < 0.05 ? null : next(), rnd() > 0.1));
  /** One round: some new entries, some larger copies of counted ones, now and then one out of order. */
  const round = (current: readonly EntryTuple[], lateOk: boolean): { added: EntryTuple[]; grown: [EntryTuple, EntryTuple][] } => {
    const added: EntryTuple[] = [];
    const grown: [EntryTuple, EntryTuple][] = [];
    for (let i = Math.floor(rnd() * 4); i > 0; i--) added.push(entry(rnd() < 0.05 ? null : next(), rnd() > 0.1));
    const keyed = current.filter((t) => t[0] !== null);
    if (rnd() < 0.5) {
      // A larger streamed copy of one of the last responses: a second later, one more output token or more.
      const was = pick(keyed.slice(-3));
      const now: EntryTuple = [...was];
      now[2] = was[2] === null ? null : was[2] + 1_000;
      now[5] = was[5] + 1 + Math.floor(rnd() * 100);
      if (!grown.some(([w]) => w[0] === was[0])) grown.push([was, now]);
    }
    if (lateOk && rnd() < 0.2) added.push(entry(T0 - Math.floor(rnd() * 40 * H)));
    return { added, grown };
  };
  return { history, round };
}

/** `current` with a round's changes made: grown copies replace theirs, added ones appended. */
function applied(current: readonly EntryTuple[], added: readonly EntryTuple[], grown: readonly (readonly [EntryTuple, EntryTuple])[]): EntryTuple[] {
  const by = new Map(grown.map(([was, now]) => [was, now]));
  return [...current.map((t) => by.get(t) ?? t), ...added];
}

/** Why the full build cannot be reached from the tail, by patchReport's rules (null: it can). */
function mustRefuse(tail: readonly EntryTuple[], added: readonly EntryTuple[], grown: readonly (readonly [EntryTuple, EntryTuple])[]): string | null {
  const first = tail.length === 0 ? Number.NEGATIVE_INFINITY : Math.min(...tail.map((t) => t[2]!));
  const early = (t: EntryTuple) => t[2] !== null && t[2] < first;
  const day = (t: EntryTuple) => (t[2] === null ? null : new Date(t[2]).toISOString().slice(0, 10));
  if (added.some(early)) return 'an entry before the last block';
  for (const [was, now] of grown) {
    if (early(was) || early(now)) return 'a copy before the last block';
    if (day(was) !== day(now)) return 'a copy on another day';
  }
  return null;
}

describe('patchReport against the full build', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: 12 rounds of changes, each patched report equal to the full build, refusals only where the rules say`, () => {
      const w = world(seed);
      let current = w.history;
      let built = full(current);
      let patched = 0;
      for (let r = 0; r < 12; r++) {
        const { added, grown } = w.round(current, seed % 2 === 0);
        const changes: ReportChanges = { added, grown, files: 2 + r, lines: 3, malformedLines: r % 2 };
        const next = applied(current, added, grown);
        const want = full(next, { files: 2 + r, lines: built.report.stats.lines + 3, malformedLines: built.report.stats.malformedLines + (r % 2) });
        const got = patchReport(built.report, built.tail, changes);
        const why = mustRefuse(built.tail, added, grown);
        if (why === null) {
          expect(got).not.toBeNull();
          expect(got!.report).toEqual(want.report);
          expect(sortedTail(got!.tail)).toEqual(sortedTail(want.tail));
          patched++;
          built = got!;
        } else {
          expect(got, why).toBeNull();
          built = want;
        }
        current = next;
      }
      // The rounds are mostly what a live session writes: most of them patch.
      expect(patched).toBeGreaterThanOrEqual(6);
    });
  }

  it('adds to an empty report, and starts blocks from the first timed entry', () => {
    const empty = full([]);
    const t: EntryTuple = ['k1', 's', T0, 'm', 1, 2, 3, 4];
    const loose: EntryTuple = [null, null, null, '', 5, 0, 0, 0];
    const got = patchReport(empty.report, empty.tail, { added: [loose, t], grown: [], files: 1, lines: 2, malformedLines: 0 });
    expect(got!.report).toEqual(full([loose, t], { files: 1, lines: 2, malformedLines: 0 }).report);
    expect(got!.tail).toEqual([t]);
  });

  it('refuses a copy that moves to another session or model, and a tail that does not match its report', () => {
    const t: EntryTuple = ['k1', 's', T0, 'm', 1, 2, 3, 4];
    const base = full([t]);
    const bump = (over: Partial<Record<1 | 3, string>>): EntryTuple => Object.assign([...t], { 5: 9 }, over) as EntryTuple;
    const change = (now: EntryTuple) => ({ added: [], grown: [[t, now] as const], files: 1, lines: 0, malformedLines: 0 });
    expect(patchReport(base.report, base.tail, change(bump({ 1: 'other' })))).toBeNull();
    expect(patchReport(base.report, base.tail, change(bump({ 3: 'other' })))).toBeNull();
    expect(patchReport(base.report, base.tail, change(bump({})))).not.toBeNull();
    expect(patchReport(base.report, [], change(bump({})))).toBeNull();
  });

  it('takes a last block of 200,000 entries (a tail too long to spread into Math.min)', () => {
    const many: EntryTuple[] = Array.from({ length: 200_000 }, (_, i) => [`k${i}`, 's', T0 + (i % 3_600_000), 'm', 1, 1, 0, 0]);
    const base = full(many);
    expect(base.tail).toHaveLength(200_000);
    const t: EntryTuple = ['new', 's', T0 + 2 * H, 'm', 2, 3, 0, 0];
    const got = patchReport(base.report, base.tail, { added: [t], grown: [], files: 1, lines: 0, malformedLines: 0 });
    expect(got!.report).toEqual(full([...many, t]).report);
  });

  it('refuses a sum that reaches MAX_TOKENS (a clamped sum cannot be taken apart), and adds below it', () => {
    const big: EntryTuple = ['k1', 's', T0, 'm', MAX_TOKENS - 10, 0, 0, 0];
    const base = full([big]);
    const add = (n: number): ReportChanges => ({ added: [['k2', 's', T0 + 1, 'm', n, 0, 0, 0]], grown: [], files: 1, lines: 0, malformedLines: 0 });
    expect(patchReport(base.report, base.tail, add(10))).toBeNull();
    const below = patchReport(base.report, base.tail, add(9));
    expect(below!.report.totals.input_tokens).toBe(MAX_TOKENS - 1);
    expect(below!.report).toEqual(full([big, ['k2', 's', T0 + 1, 'm', 9, 0, 0, 0]]).report);
  });
});

describe('key hashes', () => {
  it('count and merge like a naive multiset, on random hashes with repeats', () => {
    const rnd = mulberry32(7);
    const naive: number[] = [];
    let set = sortedHashes([]);
    for (let round = 0; round < 30; round++) {
      const more = Array.from({ length: Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 50) * 0x0400_0000 + (rnd() < 0.5 ? 0 : 1));
      naive.push(...more);
      set = withHashes(set, more);
      for (const h of [...more, 0, 0xffff_ffff, Math.floor(rnd() * 2 ** 32)]) expect(countHash(set, h)).toBe(naive.filter((x) => x === h).length);
    }
    expect([...set]).toEqual([...naive].sort((a, b) => a - b));
  });

  it('hashes a key to 32 unsigned bits, the same each time, different keys apart', () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `msg_01ABC${i}:req_01XYZ${i}`);
    const hashes = keys.map(keyHash);
    expect(hashes.every((h) => Number.isInteger(h) && h >= 0 && h < 2 ** 32)).toBe(true);
    expect(keys.map(keyHash)).toEqual(hashes);
    expect(new Set(hashes).size).toBe(keys.length);
  });
});
