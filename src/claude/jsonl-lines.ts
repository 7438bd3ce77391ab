/**
 * Splitting transcript bytes into JSON values. Claude Code appends one JSON object per line, but real
 * transcripts also hold several objects back to back on one line, blank lines, and a last line that is
 * still being written. These functions are pure: bytes in, values out.
 */

/** A complete chunk of lines read from `start` to `end` (byte offsets into the file). */
export interface LineChunk {
  /** Complete lines (without their terminator), in file order. */
  readonly lines: string[];
  /** Byte offset just past the last complete line: where the next read starts. */
  readonly end: number;
}

/**
 * Cuts a buffer read at byte offset `start` into complete lines. A trailing fragment without `\n` is
 * not returned (it may be a line still being written) and `end` stops before it, unless `atEof` and the
 * fragment parses as JSON, in which case it is a complete last line without a newline.
 */
export function completeLines(buf: Buffer, start: number, atEof: boolean): LineChunk {
  const lastNl = buf.lastIndexOf(0x0a);
  const whole = lastNl < 0 ? '' : buf.toString('utf8', 0, lastNl);
  const lines = whole.length > 0 ? whole.split('\n') : [];
  let end = start + (lastNl < 0 ? 0 : lastNl + 1);
  if (atEof && lastNl < buf.length - 1) {
    const tail = buf.toString('utf8', lastNl + 1);
    if (tail.trim().length > 0 && parseValues(tail).complete) {
      lines.push(tail);
      end = start + buf.length;
    }
  }
  return { lines, end };
}

/** The JSON values on one line, and whether the whole line was valid JSON. */
export interface ParsedLine {
  readonly values: unknown[];
  /** False when some part of the line was not JSON (the values before that part are kept). */
  readonly complete: boolean;
}

/**
 * Parses one line that may hold several JSON objects back to back (`{...}{...}`, whitespace between
 * allowed). Fast path: a single `JSON.parse`. On failure, the line is cut at top-level object
 * boundaries found by a string-aware brace scanner and each piece is parsed on its own.
 */
export function parseValues(line: string): ParsedLine {
  const trimmed = line.trim();
  if (trimmed.length === 0) return { values: [], complete: true };
  try {
    return { values: [JSON.parse(trimmed)], complete: true };
  } catch {
    return parseConcatenated(trimmed);
  }
}

function parseConcatenated(s: string): ParsedLine {
  const values: unknown[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    const end = s.charCodeAt(i) === 0x7b /* { */ || s.charCodeAt(i) === 0x5b /* [ */ ? matchingClose(s, i) : -1;
    if (end < 0) return { values, complete: false };
    try {
      values.push(JSON.parse(s.slice(i, end + 1)));
    } catch {
      return { values, complete: false };
    }
    i = end + 1;
  }
  return { values, complete: true };
}

/** Index of the bracket closing the one at `open`, skipping strings; -1 if the line ends first. */
function matchingClose(s: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}
