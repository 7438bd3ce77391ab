import type { TranscriptCursor } from '../claude/transcript-reader.ts';
import { isObj } from '../util/is-obj.ts';

/**
 * The cache format version this build writes and reads (TranscriptCursorSchema's `version` literal in
 * schemas.ts; a unit test holds the two equal).
 */
export const CURSOR_VERSION = 9;

export type CursorCheck = { kind: 'ok'; cursor: TranscriptCursor } | { kind: 'other-version' } | { kind: 'invalid'; reason: string };

/**
 * Checks a parsed cache file against TranscriptCursorSchema (schemas.ts) by hand: the same rules, without
 * zod's cost on a digest of many thousand entries (every hook and every scan reads these). Accepts
 * exactly what the schema accepts and returns the same value: known keys only (unknown ones dropped),
 * `__proto__` keys of records dropped. A value with another numeric `version` is `other-version`.
 * Pure; never throws.
 */
export function checkCursorFile(raw: unknown): CursorCheck {
  if (!isObj(raw) || typeof raw.version !== 'number') return { kind: 'invalid', reason: 'not a cursor' };
  if (raw.version !== CURSOR_VERSION) return { kind: 'other-version' };
  try {
    const d = raw.digest;
    if (!isObj(d)) throw new Bad('digest');
    const cursor: TranscriptCursor = {
      path: str(raw.path, 'path'),
      ino: num(raw.ino, 'ino'),
      size: num(raw.size, 'size'),
      mtimeMs: num(raw.mtimeMs, 'mtimeMs'),
      ctimeMs: num(raw.ctimeMs, 'ctimeMs'),
      offset: num(raw.offset, 'offset'),
      print: str(raw.print, 'print'),
      digest: {
        entries: arr(d.entries, 'digest.entries').map((t, i) => entryTuple(t, `digest.entries.${i}`)),
        loose: arr(d.loose, 'digest.loose').map((t, i) => entryTuple(t, `digest.loose.${i}`)),
        tools: record(d.tools, 'digest.tools', tally),
        agentTypes: record(d.agentTypes, 'digest.agentTypes', tally),
        mcpServers: record(d.mcpServers, 'digest.mcpServers', tally),
        pendingTools: record(d.pendingTools, 'digest.pendingTools', (v, at) => {
          const t = tuple(v, 3, at);
          return [str(t[0], at), strOrNull(t[1], at), strOrNull(t[2], at)] as [string, string | null, string | null];
        }),
        chains: record(d.chains, 'digest.chains', (v, at) => {
          if (!isObj(v)) throw new Bad(at);
          return {
            key: strOrNull(v.key, `${at}.key`),
            context: numOrNull(v.context, `${at}.context`),
            awaiting: arr(v.awaiting, `${at}.awaiting`).map((a, i) => {
              const t = tuple(a, 3, `${at}.awaiting.${i}`);
              return [str(t[0], at), strOrNull(t[1], at), num(t[2], at)] as [string, string | null, number];
            }),
          };
        }),
        lastUse:
          d.lastUse === null
            ? null
            : (() => {
                const t = tuple(d.lastUse, 2, 'digest.lastUse');
                return [strOrNull(t[0], 'digest.lastUse'), num(t[1], 'digest.lastUse')] as [string | null, number];
              })(),
        unmatchedResults: num(d.unmatchedResults, 'digest.unmatchedResults'),
        unattributedResults: num(d.unattributedResults, 'digest.unattributedResults'),
        context:
          d.context === null
            ? null
            : (() => {
                const c = d.context;
                if (!isObj(c)) throw new Bad('digest.context');
                if (c.source !== 'usage' && c.source !== 'compaction') throw new Bad('digest.context.source');
                return { tokens: num(c.tokens, 'digest.context.tokens'), timeMs: numOrNull(c.timeMs, 'digest.context.timeMs'), source: c.source };
              })(),
        compactions: num(d.compactions, 'digest.compactions'),
        contextSeries: arr(d.contextSeries, 'digest.contextSeries').map((p, i) => {
          const t = tuple(p, 2, `digest.contextSeries.${i}`);
          return [num(t[0], 'digest.contextSeries'), num(t[1], 'digest.contextSeries')] as [number, number];
        }),
        sessionId: strOrNull(d.sessionId, 'digest.sessionId'),
        cwd: strOrNull(d.cwd, 'digest.cwd'),
        model: strOrNull(d.model, 'digest.model'),
        firstMs: numOrNull(d.firstMs, 'digest.firstMs'),
        lastMs: numOrNull(d.lastMs, 'digest.lastMs'),
        lines: num(d.lines, 'digest.lines'),
        malformedLines: num(d.malformedLines, 'digest.malformedLines'),
      },
    };
    return { kind: 'ok', cursor };
  } catch (e) {
    if (e instanceof Bad) return { kind: 'invalid', reason: `${e.message}: invalid` };
    throw e;
  }
}

class Bad extends Error {}

type EntryTuple = TranscriptCursor['digest']['entries'][number];

function entryTuple(v: unknown, at: string): EntryTuple {
  if (!Array.isArray(v) || v.length !== 8) throw new Bad(at);
  const [k, s, t, m, a, b, c, d] = v as unknown[];
  if (
    (k !== null && typeof k !== 'string') ||
    (s !== null && typeof s !== 'string') ||
    (t !== null && !isNum(t)) ||
    typeof m !== 'string' ||
    !isNum(a) ||
    !isNum(b) ||
    !isNum(c) ||
    !isNum(d)
  )
    throw new Bad(at);
  return v as EntryTuple;
}

function tally(v: unknown, at: string) {
  if (!isObj(v)) throw new Bad(at);
  return {
    calls: num(v.calls, `${at}.calls`),
    useTokens: num(v.useTokens, `${at}.useTokens`),
    resultTokens: num(v.resultTokens, `${at}.resultTokens`),
    samples: num(v.samples, `${at}.samples`),
  };
}

function record<T>(v: unknown, at: string, item: (x: unknown, at: string) => T): Record<string, T> {
  if (!isObj(v)) throw new Bad(at);
  const out: Record<string, T> = {};
  for (const k of Object.keys(v)) {
    if (k === '__proto__') continue;
    out[k] = item(v[k], `${at}.${k}`);
  }
  return out;
}

function tuple(v: unknown, n: number, at: string): unknown[] {
  if (!Array.isArray(v) || v.length !== n) throw new Bad(at);
  return v;
}

function arr(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new Bad(at);
  return v;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function num(v: unknown, at: string): number {
  if (!isNum(v)) throw new Bad(at);
  return v;
}

function numOrNull(v: unknown, at: string): number | null {
  return v === null ? null : num(v, at);
}

function str(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new Bad(at);
  return v;
}

function strOrNull(v: unknown, at: string): string | null {
  return v === null ? null : str(v, at);
}
