import { describe, expect, it } from 'vitest';
import { completeLines, parseValues } from '../../src/claude/jsonl-lines.ts';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('completeLines', () => {
  it('returns every line when the buffer ends with a newline, end just past it', () => {
    const r = completeLines(b('{"a":1}\n{"b":2}\n'), 0, false);
    expect(r.lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(r.end).toBe(16);
  });

  it('keeps a partial last line for the next read (end stops before it)', () => {
    const r = completeLines(b('{"a":1}\n{"b":'), 0, false);
    expect(r.lines).toEqual(['{"a":1}']);
    expect(r.end).toBe(8);
  });

  it('keeps a partial last line even at EOF when it does not parse', () => {
    const r = completeLines(b('{"a":1}\n{"b":'), 0, true);
    expect(r.lines).toEqual(['{"a":1}']);
    expect(r.end).toBe(8);
  });

  it('does not take a complete-looking last line without newline when not at EOF', () => {
    const r = completeLines(b('{"a":1}\n{"b":2}'), 0, false);
    expect(r.lines).toEqual(['{"a":1}']);
    expect(r.end).toBe(8);
  });

  it('takes a complete JSON last line without newline at EOF', () => {
    const r = completeLines(b('{"a":1}\n{"b":2}'), 0, true);
    expect(r.lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(r.end).toBe(15);
  });

  it('takes a lone complete JSON line (no newline at all) at EOF', () => {
    const r = completeLines(b('{"only":true}'), 40, true);
    expect(r.lines).toEqual(['{"only":true}']);
    expect(r.end).toBe(40 + 13);
  });

  it('takes a last line of concatenated objects at EOF', () => {
    const r = completeLines(b('x\n{"a":1}{"b":2}'), 0, true);
    expect(r.lines).toEqual(['x', '{"a":1}{"b":2}']);
    expect(r.end).toBe(16);
  });

  it('returns nothing for a buffer without newline when not at EOF', () => {
    const r = completeLines(b('{"a":1'), 7, false);
    expect(r.lines).toEqual([]);
    expect(r.end).toBe(7);
  });

  it('does not consume a whitespace-only tail at EOF', () => {
    const r = completeLines(b('{"a":1}\n   '), 0, true);
    expect(r.lines).toEqual(['{"a":1}']);
    expect(r.end).toBe(8);
  });

  it('handles an empty buffer', () => {
    expect(completeLines(b(''), 12, true)).toEqual({ lines: [], end: 12 });
    expect(completeLines(b(''), 12, false)).toEqual({ lines: [], end: 12 });
  });

  it('keeps blank lines as empty strings between lines', () => {
    const r = completeLines(b('{"a":1}\n\n{"b":2}\n'), 0, false);
    expect(r.lines).toEqual(['{"a":1}', '', '{"b":2}']);
    expect(r.end).toBe(17);
  });

  it('counts offsets in bytes, not characters, with multi-byte UTF-8', () => {
    // "é" is 2 bytes, "…" is 3 bytes, "😀" is 4 bytes (2 UTF-16 units).
    const l1 = '{"t":"é…"}'; // 11 chars; bytes: 6 + 2 + 3 + 2 = 13
    const l2 = '{"t":"😀"}'; // bytes: 6 + 4 + 2 = 12
    const text = `${l1}\n${l2}\n{"t":"ü`;
    const r = completeLines(b(text), 1000, false);
    expect(r.lines).toEqual([l1, l2]);
    expect(r.end).toBe(1000 + 13 + 1 + 12 + 1);
    expect(r.end - 1000).toBe(Buffer.byteLength(`${l1}\n${l2}\n`));
    expect(r.end - 1000).not.toBe(`${l1}\n${l2}\n`.length);
  });

  it('counts a multi-byte complete last line at EOF in bytes', () => {
    const text = '{"t":"ü"}\n{"t":"日本"}';
    const r = completeLines(b(text), 5, true);
    expect(r.lines).toEqual(['{"t":"ü"}', '{"t":"日本"}']);
    expect(r.end).toBe(5 + Buffer.byteLength(text));
  });

  it('resumes exactly: a second read from `end` sees the rest of the partial line', () => {
    const full = b('{"a":"ä"}\n{"b":"ö"}\n');
    const first = completeLines(full.subarray(0, 15), 0, false); // cuts inside line 2
    expect(first.lines).toEqual(['{"a":"ä"}']);
    const second = completeLines(full.subarray(first.end), first.end, false);
    expect(second.lines).toEqual(['{"b":"ö"}']);
    expect(second.end).toBe(full.length);
  });

  it('keeps a CR of CRLF line endings in the line (parseValues trims it)', () => {
    const r = completeLines(b('{"a":1}\r\n'), 0, false);
    expect(r.lines).toEqual(['{"a":1}\r']);
    expect(parseValues(r.lines[0]!)).toEqual({ values: [{ a: 1 }], complete: true });
  });
});

describe('parseValues', () => {
  it('parses one object', () => {
    expect(parseValues('{"type":"assistant","n":1}')).toEqual({ values: [{ type: 'assistant', n: 1 }], complete: true });
  });

  it('returns no values for a blank line, and calls it complete', () => {
    expect(parseValues('')).toEqual({ values: [], complete: true });
    expect(parseValues('  \t \r')).toEqual({ values: [], complete: true });
  });

  it('splits two concatenated objects', () => {
    expect(parseValues('{"a":1}{"b":2}')).toEqual({ values: [{ a: 1 }, { b: 2 }], complete: true });
  });

  it('splits three concatenated objects with whitespace between', () => {
    expect(parseValues(' {"a":1}  {"b":[1,{"c":2}]}\t{"d":null} ')).toEqual({
      values: [{ a: 1 }, { b: [1, { c: 2 }] }, { d: null }],
      complete: true,
    });
  });

  it('is not fooled by braces inside strings', () => {
    const r = parseValues('{"t":"}{"}{"u":"{{[","v":"]"}');
    expect(r).toEqual({ values: [{ t: '}{' }, { u: '{{[', v: ']' }], complete: true });
  });

  it('is not fooled by escaped quotes inside strings', () => {
    // first value's string is:  say "}{" ok
    const line = String.raw`{"t":"say \"}{\" ok"}{"u":1}`;
    expect(parseValues(line)).toEqual({ values: [{ t: 'say "}{" ok' }, { u: 1 }], complete: true });
  });

  it('handles an escaped backslash right before a closing quote', () => {
    const line = String.raw`{"p":"C:\\"}{"q":"\\\"}"}`;
    expect(parseValues(line)).toEqual({ values: [{ p: 'C:\\' }, { q: '\\"}' }], complete: true });
  });

  it('keeps the leading values and flags a garbage tail', () => {
    expect(parseValues('{"a":1}{"b":2}garbage')).toEqual({ values: [{ a: 1 }, { b: 2 }], complete: false });
  });

  it('keeps the leading value when the next object is cut off', () => {
    expect(parseValues('{"a":1}{"b":')).toEqual({ values: [{ a: 1 }], complete: false });
  });

  it('flags a line that is not JSON at all, with no values', () => {
    expect(parseValues('not json')).toEqual({ values: [], complete: false });
    expect(parseValues('x{"a":1}')).toEqual({ values: [], complete: false });
  });

  it('flags a piece whose brackets match but which is not valid JSON', () => {
    expect(parseValues('{"a":1}{b:2}{"c":3}')).toEqual({ values: [{ a: 1 }], complete: false });
  });

  it('splits concatenated arrays too', () => {
    expect(parseValues('[1,2][3]')).toEqual({ values: [[1, 2], [3]], complete: true });
  });

  it('parses a lone non-object JSON value on the fast path', () => {
    expect(parseValues('42')).toEqual({ values: [42], complete: true });
  });
});
