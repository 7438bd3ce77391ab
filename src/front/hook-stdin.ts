import { fstatSync, readSync } from 'node:fs';

/** Largest stdin a hook accepts (bytes); beyond it the payload is refused, not buffered. */
export const MAX_HOOK_STDIN_BYTES = 16 << 20;
/** How long a hook keeps draining an over-long stdin (ms) before it closes the pipe anyway. */
export const STDIN_DRAIN_MS = 2_000;

/** Thrown for a payload past MAX_HOOK_STDIN_BYTES (after stdin was drained). */
class StdinTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`stdin over ${limit} bytes; payload ignored`);
    this.name = 'StdinTooLargeError';
  }
}

/**
 * Reads the hook's stdin (the payload Claude Code writes, then closes) up to `limit` bytes.
 *
 * Synchronous reads on fd 0 first: they avoid loading Node's stream machinery (a few ms of every hook
 * run). A non-blocking stdin (EAGAIN) falls back to the stream. Past the limit the rest is still read
 * and dropped, so that the writer never gets EPIPE for a payload we ignore; the stream fallback cuts a
 * writer that never closes off after STDIN_DRAIN_MS.
 *
 * @returns the payload bytes ('' for a TTY)
 * @throws StdinTooLargeError past `limit`; read errors other than EAGAIN/EOF
 */
export async function readHookStdin(limit: number = MAX_HOOK_STDIN_BYTES): Promise<Buffer> {
  // fstat, not process.stdin.isTTY: touching process.stdin builds the stream (several ms of a start).
  if (isCharacterDevice(0)) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return readByStream(limit, chunks, size);
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    size += n;
    if (size > limit) return drainByStream(limit);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks, size);
}

/** Refuses the payload at once, and keeps reading stdin to its end (dropped) for up to STDIN_DRAIN_MS. */
/** True for a terminal (or /dev/null): nothing is written there for us to read. */
function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true; // no stdin at all
  }
}

function drainByStream(limit: number): Promise<Buffer> {
  process.stdin.on('data', () => undefined);
  process.stdin.on('error', () => undefined);
  setTimeout(() => process.stdin.destroy(), STDIN_DRAIN_MS).unref();
  return Promise.reject(new StdinTooLargeError(limit));
}

function readByStream(limit: number, chunks: Buffer[], sizeSoFar: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let size = sizeSoFar;
    let over = false;
    process.stdin.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        setTimeout(() => process.stdin.destroy(), STDIN_DRAIN_MS).unref();
        reject(new StdinTooLargeError(limit));
      } else chunks.push(c);
    });
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}
