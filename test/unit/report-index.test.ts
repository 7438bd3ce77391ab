// The report cache's files: mergeSources must give mergeDigests' entries (same order, same winners)
// whether parts come from the binary base or in hand; the journal and the resume records read back what
// was written and nothing else; a damaged or mismatched file reads as none.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntryTuple } from '../../src/claude/transcript-digest.ts';
import { processRuntime } from '../../src/runtime.ts';
import { BaseBuilder, basePart, baseOfSources, mergeSources, packPart, type PartSource, type Resume, type UsagePart } from '../../src/store/report-base.ts';
import { keyHash, sortedHashes } from '../../src/store/report-keys.ts';
import {
  journalFits, knownFiles, readCacheBase, readCacheJournal, readCacheJournalKeys, readReportCache, reportCacheFiles, resumeOf, writeReportCache, writeReportUpdate,
} from '../../src/store/report-index.ts';
import { appendJournal, applyRecords, readJournal, type JournalRecord } from '../../src/store/report-journal.ts';
import { readResume, writeResumes } from '../../src/store/report-resume.ts';
import { mergeDigests } from '../../src/usage/ledger.ts';
import type { ReportPatch } from '../../src/usage/report-patch.ts';
import { buildReport } from '../../src/usage/report.ts';
import { mulberry32 } from '../../scripts/mulberry32.mjs';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';

let h: TempHome | undefined;
afterEach(() => h?.cleanup());

/** Deterministic parts with shared keys across files (ties and larger copies), keyless entries and odd values. */
function parts(seed: number, files: number): (UsagePart | null)[] {
  const rnd = mulberry32(seed);
  const out: (UsagePart | null)[] = [];
  for (let f = 0; f < files; f++) {
    if (rnd() < 0.1) {
      out.push(null);
      continue;
    }
    const entries: EntryTuple[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < Math.floor(rnd() * 30); i++) {
      const key = `msg_${Math.floor(rnd() * 60)}:req`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push([key, rnd() < 0.1 ? null : `s${Math.floor(rnd() * 4)}`, rnd() < 0.1 ? null : 1_700_000_000_000 + Math.floor(rnd() * 1e8), rnd() < 0.1 ? '' : `m${Math.floor(rnd() * 3)}`,
        Math.floor(rnd() * 5), Math.floor(rnd() * 5), Math.floor(rnd() * 5), Math.floor(rnd() * 5)]);
    }
    const loose: EntryTuple[] = [];
    for (let i = 0; i < Math.floor(rnd() * 3); i++) loose.push([null, 'é s', 1_700_000_000_000 + i, '<synthetic>', 0, i, 0, 0]);
    out.push([Math.floor(rnd() * 1000), Math.floor(rnd() * 3), entries, loose, [f * 100, Buffer.from(`tail ${f}`).toString('base64'), Buffer.from(`head ${f}`).toString('base64')]]);
  }
  return out;
}

const emptyReport = () => buildReport([], { files: 0, lines: 0, malformedLines: 0 });
const tuple = (key: string | null, out: number): EntryTuple => [key, 's', 1_700_000_000_000, 'm', 1, out, 0, 0];
const tokens = (n: number) => ({ input_tokens: n, output_tokens: 2 * n, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
/** A patch that sets session `session` (and the model, day and totals) to `n`, and the blocks from `from` to one. */
function patchOf(session: string, n: number, from: number): ReportPatch {
  return {
    totals: tokens(n), stats: { files: 7, lines: n, malformedLines: 0, entries: n }, sessions: { [session]: tokens(n) }, models: { m: tokens(n) }, days: { '2023-11-14': tokens(n) },
    blocksFrom: from, blocks: [{ start: `2023-11-14T${10 + n}:00:00Z`, entries: n, ...tokens(n) }],
  };
}

describe('report cache', () => {
  it('mergeSources equals mergeDigests, with parts from the base, in hand, or both', () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    for (let seed = 1; seed <= 20; seed++) {
      const ps = parts(seed, 25);
      const files = ps.map((_, i) => `/p/f${i}.jsonl`);
      const want = mergeDigests(ps.filter((p): p is UsagePart => p !== null).map((p) => ({ entries: p[2], loose: p[3] })));
      const inHand: PartSource[] = ps.map((p) => (p === null ? null : { part: p }));
      expect(mergeSources(inHand, null)).toEqual(want);
      // Write them all as a base, then read it back and merge from it, alone and mixed with parts in hand.
      writeReportCache(rt, { roots: ['/r'], tail: [], report: buildReport(want, { files: 25, lines: 0, malformedLines: 0 }) }, files, files.map(() => [1, 2, 3, 4]), baseOfSources(inHand, null));
      const cache = readReportCache(rt)!;
      const base = readCacheBase(rt, cache)!;
      expect(base).not.toBeNull();
      const fromBase: PartSource[] = cache.list.files.map((f) => (f[5] < 0 ? null : { slot: f[5] }));
      expect(mergeSources(fromBase, base)).toEqual(want);
      // Each part comes back whole, and where its file's read stopped also from the resume records.
      cache.list.files.forEach((f, i) => expect(f[5] < 0 ? null : basePart(base, f[5])).toEqual(ps[i]));
      const known = knownFiles(cache);
      files.forEach((f, i) => expect(ps[i] === null ? null : resumeOf(rt, cache, known.get(f)!)).toEqual(ps[i]?.[4] ?? null));
      const mixed: PartSource[] = fromBase.map((s, i) => (i % 3 === 0 ? inHand[i]! : s));
      expect(mergeSources(mixed, base)).toEqual(want);
    }
  });

  it('a base built from packed parts in any arrival order holds each part whole, merges the same, and hashes every key', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const ps = parts(seed, 25);
      const inHand: PartSource[] = ps.map((p) => (p === null ? null : { part: p }));
      const builder = new BaseBuilder(ps.length);
      // As a worker pool delivers them: largest first, not in list order.
      const order = ps.map((p, i) => [i, p === null ? -1 : p[2].length + p[3].length] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [i] of order) if (ps[i] !== null) builder.addPacked(i, packPart(structuredClone(ps[i]!)));
      const { base, present, keyHashes } = builder.finish();
      expect(present).toEqual(ps.map((p) => p !== null));
      ps.forEach((p, i) => expect(present[i] ? basePart(base, i) : null).toEqual(p));
      const fromBase: PartSource[] = present.map((x, i) => (x ? { slot: i } : null));
      expect(mergeSources(fromBase, base)).toEqual(mergeSources(inHand, null));
      expect([...keyHashes]).toEqual([...sortedHashes(ps.flatMap((p) => (p === null ? [] : p[2].map((t) => keyHash(t[0]!)))))]);
      expect(baseOfSources(inHand, null).keyHashes).toEqual(keyHashes);
    }
    const b = new BaseBuilder(2);
    const one = parts(3, 4).find((p) => p !== null)!;
    b.addPart(1, one);
    expect(() => b.addPart(1, one)).toThrow(RangeError);
    expect(() => b.addPart(2, one)).toThrow(RangeError);
    expect(() => baseOfSources([{ slot: 0 }], null)).toThrow(RangeError);
  });

  it('an update journals what was read and lists it in the index; the base, keys and file list stay', () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    const ps = parts(7, 10);
    const files = ps.map((_, i) => `/p/f${i}.jsonl`);
    writeReportCache(rt, { roots: ['/r'], report: emptyReport(), tail: [] }, files, files.map(() => [1, 2, 3, 4]), baseOfSources(ps.map((p) => (p === null ? null : { part: p })), null));
    const f = reportCacheFiles(rt);
    const before = { list: readFileSync(f.files), base: readFileSync(f.base), keys: readFileSync(f.keys) };
    const c1 = readReportCache(rt)!;
    const slot = ps.findIndex((p) => p !== null);
    const resume: Resume = [5000, 'dGFpbA==', 'aGVhZA=='];
    expect(readCacheJournalKeys(rt, c1)).toEqual(new Float64Array(0));
    writeReportUpdate(rt, c1, { patch: patchOf('s', 1, 0), tail: [9], journalKeys: readCacheJournalKeys(rt, c1)!, newKeys: [42, 7] }, [[files[slot]!, 4, 5, 6, 8, ...resume]],
      [[files[slot]!, 'more', 2, 1, [tuple('new:1', 3)], [tuple(null, 1)]]], 2);
    const c2 = readReportCache(rt)!;
    expect(readFileSync(f.files)).toEqual(before.list);
    expect(readFileSync(f.base)).toEqual(before.base);
    expect(readFileSync(f.keys)).toEqual(before.keys);
    expect(c2.index.baseGen).toBe(c1.index.baseGen);
    expect([c2.index.tail, c2.index.keys, c2.index.journaled]).toEqual([[9], 2, 2]);
    expect(readCacheJournalKeys(rt, c2)).toEqual(new Float64Array([7, 42]));
    // The report read back is the base's with the patch.
    const p1 = patchOf('s', 1, 0);
    expect(c2.report).toEqual({ totals: p1.totals, stats: p1.stats, sessions: p1.sessions, models: p1.models, days: p1.days, blocks: p1.blocks });
    const k = knownFiles(c2).get(files[slot]!)!;
    expect(k).toEqual({ ident: [4, 5, 6, 8], slot, resume });
    // The file's part now: its base part, then the record.
    const journal = readCacheJournal(rt, c2)!;
    const part = applyRecords(basePart(readCacheBase(rt, c2)!, slot), journal.get(files[slot]!)!, k.resume!);
    const p = ps[slot]!;
    expect(part).toEqual([p[0] + 2, p[1] + 1, [...p[2], tuple('new:1', 3)], [...p[3], tuple(null, 1)], resume]);
    // A second update of the same file replaces its row and adds a line; a whole part replaces what came before.
    writeReportUpdate(rt, c2, { patch: patchOf('a', 2, 1), tail: [], journalKeys: readCacheJournalKeys(rt, c2)!, newKeys: [43] }, [[files[slot]!, 4, 6, 7, 9, ...resume]],
      [[files[slot]!, 'part', 1, 0, [tuple('only', 1)], []]], 1);
    const c3 = readReportCache(rt)!;
    expect(c3.index.changed).toHaveLength(1);
    expect([c3.index.keys, c3.index.journal.length, c3.index.journaled]).toEqual([3, 2, 3]);
    expect(readCacheJournalKeys(rt, c3)).toEqual(new Float64Array([7, 42, 43]));
    // Patches merge: the later rows win, a new session is sorted in, blocks before the later patch's start stay.
    const p2 = patchOf('a', 2, 1);
    expect(c3.index.patch).toEqual({ ...p2, sessions: { s: tokens(1), a: tokens(2) }, blocksFrom: 0, blocks: [...p1.blocks, ...p2.blocks] });
    expect(Object.keys(c3.report.sessions)).toEqual(['a', 's']);
    expect(c3.report.blocks).toEqual([...p1.blocks, ...p2.blocks]);
    expect(c3.report.totals).toEqual(tokens(2));
    // Journal keys of another index (or damaged) read as none.
    const jk = readFileSync(f.journalKeys);
    writeFileSync(f.journalKeys, Buffer.concat([jk.subarray(0, jk.length - 1), Buffer.from([jk.at(-1)! ^ 1])]));
    expect(readCacheJournalKeys(rt, c3)).toBeNull();
    writeFileSync(f.journalKeys, jk);
    expect(readCacheJournalKeys(rt, { ...c3, index: { ...c3.index, gen: 'another' } })).toBeNull();
    expect(applyRecords(basePart(readCacheBase(rt, c3)!, slot), readCacheJournal(rt, c3)!.get(files[slot]!)!, resume)).toEqual([1, 0, [tuple('only', 1)], [], resume]);
    // A rewrite starts a new generation with an empty journal.
    writeReportCache(rt, { roots: ['/r'], report: emptyReport(), tail: [] }, files, files.map(() => [1, 2, 3, 4]), baseOfSources(ps.map((q) => (q === null ? null : { part: q })), null));
    const c4 = readReportCache(rt)!;
    expect(c4.index.baseGen).not.toBe(c1.index.baseGen);
    expect([c4.index.changed, c4.index.journal, readFileSync(f.journal, 'utf8'), c4.index.keys, existsSync(f.journalKeys)]).toEqual([[], [], '', 0, false]);
  });

  it('the journal reads only its listed lines; an unlisted leftover is cut off by the next append', () => {
    h = tempHome();
    const file = path.join(h.home, 'journal.jsonl');
    const r1: JournalRecord[] = [['/a', 'more', 1, 0, [tuple('k1', 1)], []]];
    const r2: JournalRecord[] = [['/b', 'part', 2, 0, [], [tuple(null, 2)]], ['/a', 'more', 1, 0, [tuple('k2', 1)], []]];
    const ref1 = appendJournal(file, 0, r1);
    expect(readJournal(file, [ref1])).toEqual(r1);
    // A writer that appended but never listed its line (it died, or lost a race).
    appendFileSync(file, 'torn line');
    const ref2 = appendJournal(file, ref1[0], r2);
    expect(readJournal(file, [ref1, ref2])).toEqual([...r1, ...r2]);
    expect(readJournal(file, [ref1])).toEqual(r1);
    expect(readJournal(file, [ref2])).toBeNull();
    expect(() => appendJournal(file, 10_000, r1)).toThrow(/shorter/);
    const b = readFileSync(file);
    b[3] = b[3]! ^ 0x01;
    writeFileSync(file, b);
    expect(readJournal(file, [ref1, ref2])).toBeNull();
    expect(readJournal(path.join(h.home, 'none'), [ref1])).toBeNull();
    expect(readJournal(path.join(h.home, 'none'), [])).toEqual([]);
  });

  it('resume records read back per slot, for their generation only, and none when damaged or too long', () => {
    h = tempHome();
    const file = path.join(h.home, 'resume.bin');
    const b64 = (n: number, c: string) => Buffer.alloc(n, c).toString('base64');
    const rs: (Resume | null)[] = [[10, b64(64, 't'), b64(256, 'h')], null, [0, '', ''], [7, b64(65, 't'), ''], [2 ** 40, b64(3, 'x'), b64(1, 'y')]];
    writeResumes(file, 'g1', rs);
    expect(rs.map((_, i) => readResume(file, 'g1', i))).toEqual([rs[0], null, rs[2], null, rs[4]]);
    expect(readResume(file, 'g2', 0)).toBeNull();
    expect(readResume(file, 'g1', 99)).toBeNull();
    const b = readFileSync(file);
    b[64 + 20] = b[64 + 20]! ^ 0x01; // inside slot 0's record
    writeFileSync(file, b);
    expect(readResume(file, 'g1', 0)).toBeNull();
    expect(readResume(file, 'g1', 4)).toEqual(rs[4]);
  });

  it('reads a damaged or mismatched cache as none', () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    const ps = parts(3, 5);
    const files = ps.map((_, i) => `/p/f${i}.jsonl`);
    const write = () => writeReportCache(rt, { roots: [], tail: [], report: emptyReport() }, files, files.map(() => null), baseOfSources(ps.map((p) => (p === null ? null : { part: p })), null));
    write();
    const f = reportCacheFiles(rt);
    const cache = readReportCache(rt)!;
    expect(readCacheBase(rt, { ...cache, index: { ...cache.index, baseGen: 'another' } })).toBeNull();
    const b = readFileSync(f.base);
    b[b.length - 3] = b[b.length - 3]! ^ 0xff;
    writeFileSync(f.base, b);
    expect(readCacheBase(rt, cache)).toBeNull();
    // A file list of another generation (a rewrite raced this index).
    const list = readFileSync(f.files);
    write();
    writeFileSync(f.files, list);
    expect(readReportCache(rt)).toBeNull();
    write();
    writeFileSync(f.index, readFileSync(f.index, 'utf8').replace('"patch"', '"patcx"'));
    expect(readReportCache(rt)).toBeNull();
    // A patch of another report (blocks past its end).
    write();
    const c = readReportCache(rt)!;
    writeReportUpdate(rt, c, { patch: patchOf('s', 1, 5), tail: [], journalKeys: new Float64Array(0), newKeys: [] }, [], [], 0);
    expect(readReportCache(rt)).toBeNull();
  });

  it('keeps a journal up to an eighth of the entries, or 5,000', () => {
    expect([journalFits(5_000, 100), journalFits(5_001, 100), journalFits(12_500, 100_000), journalFits(12_501, 100_000)]).toEqual([true, false, true, false]);
  });
});
