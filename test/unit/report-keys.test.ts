// The key hashes an incremental report asks "does another file hold this response?": counts per hash,
// and a file that is damaged or of another generation reads as none.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOf, keyHash, openKeys, sortedHashes, writeKeys } from '../../src/store/report-keys.ts';
import { tempHomePerTest } from '../helpers/sandbox-env.ts';

const home = tempHomePerTest();

describe('report keys', () => {
  it('hashes keys to distinct integers below 2^53 and counts each per holder', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `msg_01${i.toString(36)}:req_${(i * 7919).toString(36)}`);
    const hashes = keys.map(keyHash);
    expect(new Set(hashes).size).toBe(keys.length);
    expect(hashes.every((h) => Number.isSafeInteger(h) && h >= 0)).toBe(true);
    expect(keyHash('msg_a:req_b')).toBe(keyHash('msg_a:req_b'));
    const sorted = sortedHashes([...hashes, hashes[5]!, hashes[5]!]);
    expect(countOf(sorted, hashes[5]!)).toBe(3);
    expect(countOf(sorted, hashes[6]!)).toBe(1);
    expect(countOf(sorted, keyHash('not there'))).toBe(0);
  });

  it('looks up what it wrote, bucket by bucket, for its generation only; a damaged bucket answers null', () => {
    const h = home();
    const file = path.join(h.home, 'report-keys.bin');
    const hashes = Array.from({ length: 20_000 }, (_, i) => keyHash(`msg_${i}:req`));
    const sorted = sortedHashes([...hashes, hashes[7]!, hashes[7]!, hashes[19_999]!]);
    writeKeys(file, 'gen1', sorted);
    const keys = openKeys(file, 'gen1')!;
    for (const x of [hashes[0]!, hashes[7]!, hashes[19_999]!, keyHash('absent'), 0, 2 ** 53 - 1]) expect(keys.count(x)).toBe(countOf(sorted, x));
    expect(hashes.every((x) => keys.count(x) === countOf(sorted, x))).toBe(true);
    keys.close();
    // Read ahead: sparse lookups (separate reads) and dense ones (one read through the gaps) count alike.
    for (const pick of [(i: number) => i % 997 === 0, (i: number) => i % 2 === 0]) {
      const k2 = openKeys(file, 'gen1')!;
      const want = hashes.filter((_, i) => pick(i));
      k2.prefetch([...want, keyHash('absent')]);
      expect(want.every((x) => k2.count(x) === countOf(sorted, x))).toBe(true);
      k2.close();
    }
    expect(openKeys(file, 'gen2')).toBeNull();
    expect(openKeys(path.join(h.home, 'none.bin'), 'gen1')).toBeNull();
    // The last hash's bytes (the last bucket) damaged: that bucket answers null, the others still count.
    const b = readFileSync(file);
    b[b.length - 2] = b[b.length - 2]! ^ 0x01;
    writeFileSync(file, b);
    const damaged = openKeys(file, 'gen1')!;
    expect(damaged.count(sorted[sorted.length - 1]!)).toBeNull();
    expect(damaged.count(sorted[0]!)).toBe(countOf(sorted, sorted[0]!));
    damaged.close();
    // The same when the buckets are read ahead in runs (prefetch): the damaged bucket's hashes alone are null.
    const [ahead, lazy] = [openKeys(file, 'gen1')!, openKeys(file, 'gen1')!];
    const some = [...hashes.filter((_, i) => i % 3 === 0), sorted[sorted.length - 1]!, keyHash('absent')];
    ahead.prefetch(some);
    const got = some.map((x) => ahead.count(x));
    expect(got).toEqual(some.map((x) => lazy.count(x)));
    expect(got.filter((x) => x === null).length).toBeGreaterThan(0);
    expect(got.filter((x) => x === null).length).toBeLessThan(200);
    ahead.close();
    lazy.close();
    // The header (bucket table) damaged: nothing is trusted.
    b[100] = b[100]! ^ 0x01;
    writeFileSync(file, b);
    expect(openKeys(file, 'gen1')).toBeNull();
    // No keys at all: one empty bucket.
    writeKeys(file, 'gen3', sortedHashes([]));
    const none = openKeys(file, 'gen3')!;
    expect([none.count(hashes[0]!), none.count(0)]).toEqual([0, 0]);
    none.close();
  });
});
