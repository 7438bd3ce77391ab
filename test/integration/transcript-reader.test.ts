import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catchUpTranscript } from '../../src/claude/transcript-reader.ts';
import { tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { assistantLine, type AssistantSpec } from '../helpers/one-response.ts';

let h: TempHome;
const home = tempHomePerTest();

/** An assistant transcript line with usage; `out` varies the size so duplicates can grow. */
const assistant = (id: string, out: number, o: Partial<AssistantSpec> = {}): string =>
  assistantLine({ sessionId: 's1', id, timestamp: '2026-11-20T10:00:00.000Z', cwd: '/p', model: 'claude-x', usage: [10, out, 100, 1000], ...o });

function file(): string {
  h = home();
  const dir = path.join(h.configDir, 'projects', '-p');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, 's1.jsonl');
}

describe('catchUpTranscript (incremental)', () => {
  it('reads only the appended bytes on the next call and dedupes a streamed copy across reads', () => {
    const f = file();
    writeFileSync(f, assistant('a', 1) + '\n');
    const first = catchUpTranscript(f, null);
    expect(first.rescanned).toBe(true);
    expect(first.changes).toHaveLength(1);
    const line2 = assistant('a', 55) + '\n' + '{"type":"user","message":{"content":"hi"}}\n';
    appendFileSync(f, line2);
    const second = catchUpTranscript(f, first.cursor);
    expect(second.rescanned).toBe(false);
    expect(second.bytesRead).toBe(Buffer.byteLength(line2));
    expect(second.changes.map((c) => c.tokens.output_tokens)).toEqual([55]);
    expect(second.cursor.digest.entries).toHaveLength(1);
    expect(second.cursor.digest.entries[0]![5]).toBe(55);
    const third = catchUpTranscript(f, second.cursor);
    expect(third.bytesRead).toBe(0);
    expect(third.changes).toEqual([]);
  });

  it('leaves a last line that is still being written for the next read', () => {
    const f = file();
    const full = assistant('b', 9);
    writeFileSync(f, assistant('a', 1) + '\n' + full.slice(0, 40));
    const first = catchUpTranscript(f, null);
    expect(first.cursor.digest.entries).toHaveLength(1);
    expect(first.cursor.offset).toBe(Buffer.byteLength(assistant('a', 1) + '\n'));
    appendFileSync(f, full.slice(40) + '\n');
    const second = catchUpTranscript(f, first.cursor);
    expect(second.changes.map((c) => c.key)).toEqual(['msg_b:req_b']);
    expect(second.cursor.digest.malformedLines).toBe(0);
  });

  it('takes a complete last line without a newline, and does not count it twice when the newline comes', () => {
    const f = file();
    writeFileSync(f, assistant('a', 1));
    const first = catchUpTranscript(f, null);
    expect(first.changes).toHaveLength(1);
    appendFileSync(f, '\n' + assistant('c', 2) + '\n');
    const second = catchUpTranscript(f, first.cursor);
    expect(second.changes.map((c) => c.key)).toEqual(['msg_c:req_c']);
    expect(second.cursor.digest.entries).toHaveLength(2);
  });

  it('rescans a file that shrank, and one replaced by a new file (new inode)', () => {
    const f = file();
    writeFileSync(f, assistant('a', 1) + '\n' + assistant('b', 2) + '\n');
    const first = catchUpTranscript(f, null);
    truncateSync(f, Buffer.byteLength(assistant('a', 1) + '\n'));
    const shrunk = catchUpTranscript(f, first.cursor);
    expect(shrunk.rescanned).toBe(true);
    expect(shrunk.cursor.digest.entries.map((e) => e[0])).toEqual(['msg_a:req_a']);
    const tmp = f + '.new';
    writeFileSync(tmp, assistant('z', 3) + '\n' + assistant('y', 4) + '\n' + assistant('x', 5) + '\n');
    renameSync(tmp, f);
    const replaced = catchUpTranscript(f, shrunk.cursor);
    expect(replaced.rescanned).toBe(true);
    expect(replaced.cursor.digest.entries.map((e) => e[0])).toEqual(['msg_z:req_z', 'msg_y:req_y', 'msg_x:req_x']);
  });

  it('rescans when the bytes before the old offset were rewritten in place', () => {
    const f = file();
    writeFileSync(f, assistant('a', 1) + '\n');
    const first = catchUpTranscript(f, null);
    writeFileSync(f, assistant('q', 1) + '\n' + assistant('r', 2) + '\n'); // same length prefix, other bytes
    const again = catchUpTranscript(f, first.cursor);
    expect(again.rescanned).toBe(true);
    expect(again.cursor.digest.entries.map((e) => e[0])).toEqual(['msg_q:req_q', 'msg_r:req_r']);
  });

  it('splits several objects on one line, skips blank lines and unknown types, counts a garbage line', () => {
    const f = file();
    writeFileSync(
      f,
      [
        assistant('a', 1) + assistant('b', 2),
        '',
        '   ',
        JSON.stringify({ type: 'future-record', usage: { x: 1 } }),
        '{"type":"assistant","message":{"usage": garbage',
        assistant('c', 3),
      ].join('\n') + '\n',
    );
    const r = catchUpTranscript(f, null);
    expect(r.cursor.digest.entries.map((e) => e[0])).toEqual(['msg_a:req_a', 'msg_b:req_b', 'msg_c:req_c']);
    expect(r.cursor.digest.malformedLines).toBe(1);
    expect(r.cursor.digest.lines).toBe(4);
  });

  it('reads a file larger than one read chunk with lines crossing chunk boundaries', () => {
    const f = file();
    const filler = 'x'.repeat(700_000);
    const lines: string[] = [];
    for (let i = 0; i < 14; i++) lines.push(JSON.stringify({ type: 'user', message: { content: filler } }), assistant(`m${i}`, i + 1));
    writeFileSync(f, lines.join('\n') + '\n');
    const r = catchUpTranscript(f, null);
    expect(r.cursor.digest.entries).toHaveLength(14);
    expect(r.cursor.offset).toBe(Buffer.byteLength(lines.join('\n') + '\n'));
  });

  it('reads a usage line of many read chunks, with newlines just before and after it', () => {
    const f = file();
    const big = assistant('big', 7, { content: [{ type: 'text', text: 'y'.repeat(3_000_000) }], usage: [1, 7, 0, 0] });
    const text = [assistant('a', 1), big, assistant('b', 2)].join('\n') + '\n';
    writeFileSync(f, text);
    const r = catchUpTranscript(f, null, { scope: 'usage' });
    expect(r.cursor.digest.entries.map((e) => [e[0], e[5]])).toEqual([
      ['msg_a:req_a', 1],
      ['msg_big:req_big', 7],
      ['msg_b:req_b', 2],
    ]);
    expect([r.cursor.digest.lines, r.cursor.digest.malformedLines, r.cursor.offset]).toEqual([3, 0, Buffer.byteLength(text)]);
  });

  it('throws ENOENT for a missing transcript (callers decide)', () => {
    h = home();
    expect(() => catchUpTranscript(path.join(h.home, 'nope.jsonl'), null)).toThrow(/ENOENT/);
  });
});

describe('catchUpTranscript: a counted last line without a newline', () => {
  it('reads from the start when bytes are appended straight onto it, and goes on when a newline ends it', () => {
    const f = file();
    writeFileSync(f, assistant('a', 1) + '\n' + assistant('b', 2));
    const first = catchUpTranscript(f, null);
    expect(first.cursor.digest.lines).toBe(2);
    // Appended onto the same line: a fresh read sees one line holding two objects.
    appendFileSync(f, assistant('c', 3) + '\n');
    const joined = catchUpTranscript(f, first.cursor);
    expect(joined.rescanned).toBe(true);
    expect(joined.cursor.digest).toEqual(catchUpTranscript(f, null).cursor.digest);
    // Ended by a newline first (what Claude Code writes): the read goes on from where it stopped.
    const g = file();
    writeFileSync(g, assistant('a', 1) + '\n' + assistant('b', 2));
    const before = catchUpTranscript(g, null);
    appendFileSync(g, '\n' + assistant('c', 3) + '\n');
    const after = catchUpTranscript(g, before.cursor);
    expect(after.rescanned).toBe(false);
    expect(after.cursor.digest).toEqual(catchUpTranscript(g, null).cursor.digest);
  });
});

describe('catchUpTranscript: a read prefix larger than the fingerprint hashes whole (16 KB, sampled in 16 blocks of 1 KB)', () => {
  /** 80 usage lines (some 26 KB) whose output figures all have 5 digits, so that a rewrite keeps the size. */
  function large(last = '\n'): { f: string; text: string } {
    const f = file();
    const lines = Array.from({ length: 80 }, (_, i) => assistant(`l${i}`, 10_000 + i));
    const text = lines.join('\n') + last;
    writeFileSync(f, text);
    return { f, text };
  }

  /** Rewrites, in place and at the same size, the output figure of the line holding byte `at`. */
  function rewriteLineAt(f: string, at: number): void {
    const text = readFileSync(f, 'latin1');
    const start = text.lastIndexOf('\n', at) + 1;
    const fig = text.indexOf('"output_tokens":', start) + '"output_tokens":'.length;
    expect(fig).toBeLessThan(text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
    const fd = openSync(f, 'r+');
    writeSync(fd, '99999', fig);
    closeSync(fd);
  }

  function rereadAfter(change: (f: string, offset: number) => void): void {
    const { f } = large();
    const first = catchUpTranscript(f, null);
    expect(first.cursor.offset).toBeGreaterThan(16 << 10);
    change(f, first.cursor.offset);
    appendFileSync(f, assistant('new', 7) + '\n');
    const r = catchUpTranscript(f, first.cursor);
    expect(r.rescanned).toBe(true);
    expect(r.cursor.digest).toEqual(catchUpTranscript(f, null).cursor.digest);
    // The rewritten figure is counted (an entry tuple's output tokens sit at index 5).
    expect(r.cursor.digest.entries.some((e) => e[5] === 99_999)).toBe(true);
  }

  it('reads on after a plain append (what the rewrites below are told from)', () => {
    const { f } = large();
    const first = catchUpTranscript(f, null);
    appendFileSync(f, assistant('new', 7) + '\n');
    const r = catchUpTranscript(f, first.cursor);
    expect(r.rescanned).toBe(false);
    expect(r.bytesRead).toBe(Buffer.byteLength(assistant('new', 7) + '\n'));
    expect(r.cursor.digest).toEqual(catchUpTranscript(f, null).cursor.digest);
  });

  it('reads from the start when its first line was rewritten, then appended to', () => rereadAfter((f) => rewriteLineAt(f, 0)));
  it('reads from the start when the line just before the offset was rewritten, then appended to', () =>
    rereadAfter((f, offset) => rewriteLineAt(f, offset - 2)));
  it('reads from the start when a line inside a sampled block in the middle was rewritten, then appended to', () =>
    // Block 7 of 16 starts at (offset - 1 KB) x 7 / 15; a line (some 330 bytes) holding its byte 512 lies inside it.
    rereadAfter((f, offset) => rewriteLineAt(f, Math.floor(((offset - 1_024) * 7) / 15) + 512)));

  it('reads from the start when bytes are appended straight onto a counted last line without a newline', () => {
    const { f } = large('');
    const first = catchUpTranscript(f, null);
    expect(first.cursor.digest.lines).toBe(80);
    expect(first.cursor.offset).toBe(readFileSync(f).length);
    appendFileSync(f, assistant('c', 3) + '\n');
    const joined = catchUpTranscript(f, first.cursor);
    expect(joined.rescanned).toBe(true);
    const fresh = catchUpTranscript(f, null).cursor.digest;
    expect(joined.cursor.digest).toEqual(fresh);
    expect(joined.cursor.digest.lines).toBe(80);
  });

  it('reads from the start when bytes are appended onto a file of one counted line without a newline', () => {
    const f = file();
    writeFileSync(f, assistant('a', 1));
    const first = catchUpTranscript(f, null);
    expect(first.cursor.offset).toBe(Buffer.byteLength(assistant('a', 1)));
    appendFileSync(f, assistant('b', 2) + '\n');
    const joined = catchUpTranscript(f, first.cursor);
    expect(joined.rescanned).toBe(true);
    expect(joined.cursor.digest).toEqual(catchUpTranscript(f, null).cursor.digest);
  });
});

describe('catchUpCached with a cache file from another format version', () => {
  it('rescans and replaces it without quarantining it as corrupt', async () => {
    const { catchUpCached, cursorFile } = await import('../../src/store/transcript-cache.ts');
    const { processRuntime } = await import('../../src/runtime.ts');
    const { existsSync, readdirSync, readFileSync } = await import('node:fs');
    const f = file();
    writeFileSync(f, assistant('a', 1) + '\n');
    const rt = processRuntime({ HOME: h.home, CLAUDE_CONFIG_DIR: h.configDir });
    const cf = cursorFile(rt, f);
    mkdirSync(path.dirname(cf), { recursive: true });
    writeFileSync(cf, JSON.stringify({ version: 1, path: f, offset: 999, digest: { old: true } }));
    const r = await catchUpCached(rt, f);
    expect(r.rescanned).toBe(true);
    expect(r.cursor.digest.entries).toHaveLength(1);
    expect(readdirSync(path.dirname(cf)).filter((n) => n.includes('.corrupt-'))).toEqual([]);
    expect((JSON.parse(readFileSync(cf, 'utf8')) as { version: number }).version).toBeGreaterThan(1);
    expect(existsSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'))).toBe(false);
  });
});
