/**
 * The dedupe keys of a history as a sorted multiset of 32-bit hashes (one per transcript holding the
 * key): `cco report`'s cache keeps it so that a report can tell, without reading every transcript's
 * entries, that a key just read is held by no other transcript (then the dedupe rule cannot change an
 * older figure). Two keys with one hash only make a key look held elsewhere: the report is then built
 * from every entry, never wrong. Pure.
 */

/** FNV-1a over the key's UTF-16 code units: 32 bits, unsigned. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The sorted multiset of `hashes` (a new array). */
export function sortedHashes(hashes: readonly number[]): Uint32Array {
  return Uint32Array.from(hashes).sort();
}

/** How many times `h` is in the sorted multiset `set`. */
export function countHash(set: Uint32Array, h: number): number {
  return bound(set, h, true) - bound(set, h, false);
}

/** `set` with `added` put in (both multisets; a new array, sorted). */
export function withHashes(set: Uint32Array, added: readonly number[]): Uint32Array {
  if (added.length === 0) return set;
  const more = sortedHashes(added);
  const out = new Uint32Array(set.length + more.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < set.length && j < more.length) out[k++] = set[i]! <= more[j]! ? set[i++]! : more[j++]!;
  while (i < set.length) out[k++] = set[i++]!;
  while (j < more.length) out[k++] = more[j++]!;
  return out;
}

/** The first index of the sorted `a` whose value is >= h (`after`: > h). */
function bound(a: Uint32Array, h: number, after: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < h || (after && a[mid] === h)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
