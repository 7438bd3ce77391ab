// The hand-written cache check must accept exactly what TranscriptCursorSchema accepts, and return the
// same value (it replaced zod on the hot path: every hook and scan reads these files).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestLines, emptyDigest } from '../../src/claude/transcript-digest.ts';
import { checkCursorFile, CURSOR_VERSION } from '../../src/store/cursor-check.ts';
import { TranscriptCursorSchema } from '../../src/store/schemas.ts';
import { HAS_SHARED_FIXTURES, LOCAL_FIXTURES, NEEDS_SHARED, SHARED_SOURCES } from '../helpers/fixture-sets.ts';

/** A compacted session with tool calls, results and a todo list: its digest has every kind of field. */
const LOCAL_FILE = path.join(LOCAL_FIXTURES, 'compaction', 'projects', '-home-dev-compaction', '5e080001-0000-4000-8000-000000000000.jsonl');
const SHARED_FILE = path.join(SHARED_SOURCES[3]!, 'projects', '-Users-alex-workspace-cli', '0cf3db51-1c73-43bb-8d05-dc02739514a5.jsonl');

/** A cache file's content (through JSON, as it is read) holding the digest of transcript `f`. */
function fixtureCursor(f: string): Record<string, unknown> {
  const digest = digestLines(emptyDigest(), readFileSync(f, 'utf8').split('\n'), new Map());
  // Through JSON, as the cache file is read.
  return JSON.parse(
    JSON.stringify({
      version: CURSOR_VERSION,
      path: f,
      ino: 12,
      size: 34,
      mtimeMs: 56.5,
      ctimeMs: 57.5,
      offset: 34,
      print: 'cHJpbnQ=',
      digest,
    }),
  );
}

function agree(raw: unknown): void {
  const z = TranscriptCursorSchema.safeParse(raw);
  const c = checkCursorFile(raw);
  if (z.success) {
    expect(c.kind).toBe('ok');
    const { version: _v, ...zodCursor } = z.data;
    expect(c.kind === 'ok' ? c.cursor : null).toEqual(zodCursor);
  } else {
    expect(c.kind, JSON.stringify(z.error.issues[0])).not.toBe('ok');
  }
}

/** Every path to a leaf (or container) of a JSON value. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push(...paths(x, [...at, i]));
    });
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function setAt(root: unknown, at: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = at.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(Number(last), 1);
    else delete o[last];
  } else o[last] = value;
  return copy;
}

/** Every field replaced by a value of each other kind, or removed; `sampled`: only every 7th field deeper than the digest's own. */
function everyField(file: string, sampled: boolean): void {
  const raw = fixtureCursor(file);
  const all = paths(raw).filter((p) => p.length > 0);
  const chosen = sampled ? all.filter((p, i) => p.length <= 2 || i % 7 === 0) : all;
  expect(chosen.length).toBeGreaterThan(60);
  for (const p of chosen) {
    for (const v of [undefined, null, 'x', 1.5, -1, true, [], {}, [1, 2, 3, 4, 5, 6, 7, 8], ['k', null, 1, 'm', 1, 2, 3, 4]]) {
      if (p[0] === 'version') continue;
      agree(setAt(raw, p, v));
    }
  }
}

describe('checkCursorFile agrees with TranscriptCursorSchema', () => {
  it('has the version the schema has', () => {
    expect(TranscriptCursorSchema.shape.version.value).toBe(CURSOR_VERSION);
  });

  it('on a digest of a transcript, and returns what zod returns', () => {
    const raw = fixtureCursor(LOCAL_FILE);
    agree(raw);
    expect(checkCursorFile(raw).kind).toBe('ok');
  });

  it('on every field replaced by a value of each other kind, or removed', () => everyField(LOCAL_FILE, false));
  it('on odd values JSON can hold: unknown keys, __proto__ keys, huge numbers, other versions', () => {
    const raw = fixtureCursor(LOCAL_FILE);
    agree({ ...raw, extra: 1, digest: { ...(raw.digest as object), extra: [1] } });
    const protoTools = JSON.parse(JSON.stringify(raw).replace('"tools":{', '"tools":{"__proto__":{"calls":1,"useTokens":1,"resultTokens":1,"samples":1},'));
    agree(protoTools);
    agree(JSON.parse(JSON.stringify(raw).replace('"ino":12', '"ino":1e400')));
    expect(checkCursorFile({ ...raw, version: 3 }).kind).toBe('other-version');
    expect(checkCursorFile({ ...raw, version: 99 }).kind).toBe('other-version');
    expect(checkCursorFile({ ...raw, version: '4' }).kind).toBe('invalid');
    expect(checkCursorFile(null).kind).toBe('invalid');
    expect(checkCursorFile([raw]).kind).toBe('invalid');
  });
});

describe.skipIf(!HAS_SHARED_FIXTURES)(`checkCursorFile on a real session's digest: ${NEEDS_SHARED}`, () => {
  it('agrees with zod on it, and on a sample of its fields replaced or removed', () => {
    const raw = fixtureCursor(SHARED_FILE);
    agree(raw);
    expect(checkCursorFile(raw).kind).toBe('ok');
    everyField(SHARED_FILE, true);
  });
});
