// The key hashes an incremental report asks "does another file hold this response?": counts per hash,
// and a file that is damaged or of another generation reads as none.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOf, keyHash, readKeys, sortedHashes, writeKeys } from '../../src/store/report-keys.ts';
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

  it('reads back what it wrote for its generation only, and nothing from a damaged file', () => {
    const h = home();
    const file = path.join(h.home, 'report-keys.bin');
    const sorted = sortedHashes(['a', 'b', 'c'].map(keyHash));
    writeKeys(file, 'gen1', sorted);
    expect(readKeys(file, 'gen1')).toEqual(sorted);
    expect(readKeys(file, 'gen2')).toBeNull();
    const b = readFileSync(file);
    b[b.length - 2] = b[b.length - 2]! ^ 0x01;
    writeFileSync(file, b);
    expect(readKeys(file, 'gen1')).toBeNull();
    expect(readKeys(path.join(h.home, 'none.bin'), 'gen1')).toBeNull();
  });
});
