import { closeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { openIfThere, readExactly } from './cache-read.ts';
import { writeCacheFile } from './cache-write.ts';
import type { Resume } from './report-base.ts';

/**
 * Where each base slot's read stopped (`report-resume.bin`), as fixed-width records, so that an
 * incremental report reads one record per changed file (two small reads) instead of decoding the whole
 * base for it. The same Resumes the base holds; written with it, under the same generation.
 *
 * Layout: a 64-byte header `cco-resume <version> <gen>\n` (space-padded), then one record per slot:
 * [crc32 of the rest, u32 LE][present, u8][offset, f64 LE][tail length, u8][tail, 64 bytes]
 * [head length, u16 LE][head, 256 bytes]. CRC-32 (zlib) per record: enough against torn or damaged
 * bytes, and cheap for thousands of records.
 */

const HEADER = 64;
const TAIL_MAX = 64;
const HEAD_MAX = 256;
const RECORD = 4 + 1 + 8 + 1 + TAIL_MAX + 2 + HEAD_MAX;
const VERSION = 1;

function header(gen: string): Buffer {
  const h = Buffer.alloc(HEADER, 0x20);
  h.write(`cco-resume ${VERSION} ${gen}`, 0, 'latin1');
  h[HEADER - 1] = 0x0a;
  return h;
}

/**
 * Writes one record per slot for base generation `gen` (null, or a resume too long for a record: none,
 * and a report reading that file on goes the slower way).
 *
 * @throws the fs error of the write
 */
export function writeResumes(file: string, gen: string, resumes: readonly (Resume | null)[]): void {
  const buf = Buffer.alloc(HEADER + resumes.length * RECORD);
  header(gen).copy(buf, 0);
  resumes.forEach((r, slot) => {
    const at = HEADER + slot * RECORD;
    const tail = r === null ? null : Buffer.from(r[1], 'base64');
    const head = r === null ? null : Buffer.from(r[2], 'base64');
    if (r !== null && tail!.length <= TAIL_MAX && head!.length <= HEAD_MAX) {
      buf[at + 4] = 1;
      buf.writeDoubleLE(r[0], at + 5);
      buf[at + 13] = tail!.length;
      tail!.copy(buf, at + 14);
      buf.writeUInt16LE(head!.length, at + 14 + TAIL_MAX);
      head!.copy(buf, at + 16 + TAIL_MAX);
    }
    buf.writeUInt32LE(crc32(buf.subarray(at + 4, at + RECORD)), at);
  });
  writeCacheFile(file, buf);
}

/** Slot `slot`'s resume in the file of base generation `gen`, or null (none, damaged, another generation). */
export function readResume(file: string, gen: string, slot: number): Resume | null {
  const fd = openIfThere(file);
  if (fd === null) return null;
  try {
    const h = readExactly(fd, HEADER, 0);
    const rec = h !== null && h.equals(header(gen)) ? readExactly(fd, RECORD, HEADER + slot * RECORD) : null;
    if (rec === null || rec.readUInt32LE(0) !== crc32(rec.subarray(4)) || rec[4] !== 1) return null;
    const tailLen = rec[13]!;
    const headLen = rec.readUInt16LE(14 + TAIL_MAX);
    if (tailLen > TAIL_MAX || headLen > HEAD_MAX) return null;
    return [rec.readDoubleLE(5), rec.toString('base64', 14, 14 + tailLen), rec.toString('base64', 16 + TAIL_MAX, 16 + TAIL_MAX + headLen)];
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
