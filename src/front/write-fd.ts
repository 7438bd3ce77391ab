import { writeSync } from 'node:fs';

/**
 * Writes `text` to stdout (1) or stderr (2) with a plain write(2): process.stdout/stderr are streams
 * whose first use loads Node's stream machinery (about 4 ms of a front's start). A pipe that is full or
 * non-blocking (EAGAIN) falls back to the stream.
 * @throws never (a closed pipe loses the text, as it would for the stream)
 */
export function writeFd(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  try {
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') (fd === 1 ? process.stdout : process.stderr).write(buf.subarray(off));
  }
}
