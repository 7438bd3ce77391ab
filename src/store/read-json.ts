import { readRegular } from './read-regular.ts';

/** What reading a JSON file found: nothing there, why it is not JSON (or not readable), or its value. */
export type JsonRead = { kind: 'missing' } | { kind: 'invalid'; reason: string } | { kind: 'ok'; value: unknown };

/**
 * Reads and parses a JSON file that is not ours to validate (Claude Code's settings, the plugin's
 * manifests). Only a regular file is opened (src/store/read-regular.ts: a FIFO in its place never blocks
 * the read). `invalid` carries the errno code or the parser's message. Never throws.
 */
export function readJson(file: string): JsonRead {
  const read = readRegular(file);
  if (read.kind === 'missing') return { kind: 'missing' };
  if (read.kind === 'unreadable') return { kind: 'invalid', reason: read.code ?? read.reason };
  try {
    return { kind: 'ok', value: JSON.parse(read.text) };
  } catch (e) {
    return { kind: 'invalid', reason: (e as Error).message };
  }
}

/** The parsed value of a JSON file, or undefined when it is missing, unreadable or not JSON (best-effort checks only). Never throws. */
export function readJsonOrUndefined(file: string): unknown {
  const r = readJson(file);
  return r.kind === 'ok' ? r.value : undefined;
}
