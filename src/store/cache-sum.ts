import { createHash } from 'node:crypto';

/**
 * The checksum every report cache file starts with: the SHA-1 of the rest, in hex, and a newline. A cache
 * is derived data; a file whose sum does not match (a torn or damaged write) reads as none and is rebuilt.
 */

export function sha1(b: string | Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

/** `body` with its sum in front. */
export function summedText(body: string): string {
  return `${sha1(body)}\n${body}`;
}

/** The JSON after a matching sum, or null (no sum, another sum, not JSON). */
export function unsummedJson(text: string): unknown {
  if (text.indexOf('\n') !== 40) return null;
  const body = text.slice(41);
  if (sha1(body) !== text.slice(0, 40)) return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** `body` with its sum in front, as bytes. */
export function summedBytes(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${sha1(body)}\n`), body]);
}

/** The bytes after a matching sum, or null. */
export function unsummedBytes(buf: Buffer): Buffer | null {
  if (buf.length < 41 || buf[40] !== 0x0a) return null;
  const body = buf.subarray(41);
  return sha1(body) === buf.toString('latin1', 0, 40) ? body : null;
}
