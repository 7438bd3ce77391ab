import { readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Notice } from '../notify/hook-output.ts';
import { readQuotaNoticeData } from './notice-refresh.ts';

/**
 * The outbox: notices (quota and context alerts) the background tracker computed for a session, waiting
 * for that session's next hook to show them. One file per batch, `<session>.<ms>-<n>.json` holding
 * `{"notices":[{"systemMessage":..,"modelNote":..}]}`; files are only ever created (never rewritten), and
 * a hook claims each by renaming it, so every notice is shown once, by one hook.
 */

/** Prefix of a session's outbox files. */
export function outboxPrefix(sessionId: string): string {
  return `${encodeURIComponent(sessionId)}.`;
}

/**
 * Takes the session's pending notices, oldest first, removing them from the outbox. A file another hook
 * of the session claimed first is skipped; a file that is not the expected shape is dropped, and a notice
 * whose quota part is unusable is kept with its stored words (both told to the caller through `onBad`,
 * which logs them).
 *
 * @returns the notices (empty when none)
 * @throws never: outbox problems must not cost the hook its tracking
 */
export function takeOutbox(outboxDir: string, sessionId: string, onBad: (file: string, why: string) => void = () => undefined): Notice[] {
  let names: string[];
  try {
    const prefix = outboxPrefix(sessionId);
    names = readdirSync(outboxDir).filter((n) => n.startsWith(prefix) && n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: Notice[] = [];
  for (const n of names) {
    const file = path.join(outboxDir, n);
    const claimed = `${file}.taking-${process.pid}`;
    try {
      renameSync(file, claimed);
    } catch {
      continue; // another hook of this session took it
    }
    try {
      out.push(...parseNotices(readFileSync(claimed, 'utf8'), () => onBad(file, 'a quota part is malformed or out of bounds; its notice is shown as the tracker worded it')));
    } catch (e) {
      onBad(file, `dropped: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      try {
        unlinkSync(claimed);
      } catch {
        // already gone
      }
    }
  }
  return out;
}

/**
 * Parses an outbox file's text. Checked by hand, not with zod: the hook fronts load no schema library
 * (their whole budget is a few ms); the shape is two strings. A quota part that `readQuotaNoticeData`
 * refuses is dropped (`onBadQuota` is called): the notice keeps the words the tracker composed.
 * @throws Error when the text is not `{"notices":[{systemMessage: string, modelNote: string|null, quota?}]}`
 */
export function parseNotices(text: string, onBadQuota: () => void = () => undefined): Notice[] {
  const raw = JSON.parse(text) as unknown;
  const list = (raw as { notices?: unknown } | null)?.notices;
  if (!Array.isArray(list)) throw new Error('outbox file has no notices list');
  return list.map((n: unknown) => {
    const o = n as { systemMessage?: unknown; modelNote?: unknown; quota?: unknown } | null;
    if (typeof o?.systemMessage !== 'string' || (o.modelNote !== null && typeof o.modelNote !== 'string')) throw new Error('outbox notice is not {systemMessage, modelNote}');
    // A quota part that is not the expected shape is dropped; the words composed by the tracker stay.
    const quota = o.quota === undefined ? null : readQuotaNoticeData(o.quota);
    if (o.quota !== undefined && quota === null) onBadQuota();
    return { systemMessage: o.systemMessage, modelNote: o.modelNote, ...(quota === null ? {} : { quota }) };
  });
}
