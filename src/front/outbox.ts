import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Notice, NoticeAudience } from '../notify/hook-output.ts';
import { readQuotaNoticeData } from './notice-refresh.ts';

/**
 * The outbox: notices (quota and context alerts) the background tracker computed for a session, waiting
 * for that session's next hooks to show them. One file per batch, `<session>.<ms>-<n>.json` holding
 * `{"notices":[{"systemMessage":..,"modelNote":..}]}`; files are only ever created (never rewritten), and
 * a hook claims each by renaming it, so every part of a notice is shown once, by one hook. A hook that
 * shows one audience only (`noticeAudiences`: PostToolUse the model, Stop the person) puts the file back
 * as `<session>.<ms>-<n>.seen-<audience>.json` for the other's next hook.
 */

/** Prefix of a session's outbox files. */
export function outboxPrefix(sessionId: string): string {
  return `${encodeURIComponent(sessionId)}.`;
}

/**
 * Who already saw an outbox file's notices, from its name (`….seen-person.json`, `….seen-model.json`).
 * hooks/front.sh reads the same suffix (in sh, without node) to pass by files its audience already saw:
 * change the naming in both places.
 */
function seenByOf(name: string): NoticeAudience | undefined {
  if (name.endsWith('.seen-person.json')) return 'person';
  if (name.endsWith('.seen-model.json')) return 'model';
  return undefined;
}

/**
 * Takes the session's pending notices for `audiences`, oldest first, removing them from the outbox. With
 * one audience, a file it saw already is left alone, and a file nobody saw is put back for the other one
 * (each returned notice's `seenBy` says who saw it before). A file another hook of the session claimed
 * first is skipped; a file that is not the expected shape is dropped, and a notice whose quota part is
 * unusable is kept with its stored words (both told to the caller through `onBad`, which logs them).
 *
 * @param audiences who this hook shows notices to (`noticeAudiences(event)`)
 * @returns the notices (empty when none)
 * @throws never: outbox problems must not cost the hook its tracking
 */
export function takeOutbox(
  outboxDir: string,
  sessionId: string,
  audiences: readonly NoticeAudience[],
  onBad: (file: string, why: string) => void = () => undefined,
): Notice[] {
  const only = audiences.length === 1 ? audiences[0] : undefined;
  let names: string[];
  try {
    const prefix = outboxPrefix(sessionId);
    names = readdirSync(outboxDir)
      .filter((n) => n.startsWith(prefix) && n.endsWith('.json') && (only === undefined || seenByOf(n) !== only))
      .sort();
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
      const text = readFileSync(claimed, 'utf8');
      const seenBy = seenByOf(n);
      const notices = parseNotices(text, () => onBad(file, 'a quota part is malformed or out of bounds; its notice is shown as the tracker worded it'));
      out.push(...notices.map((x) => (seenBy === undefined ? x : { ...x, seenBy })));
      // The other audience's part waits for its hook, under a name this audience's hooks pass by.
      if (only !== undefined && seenBy === undefined) {
        try {
          putBack(claimed, `${file.slice(0, -'.json'.length)}.seen-${only}.json`, text);
        } catch (e) {
          onBad(file, `shown to the ${only} only: its other part could not be kept (${e instanceof Error ? e.message : String(e)})`);
        }
      }
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
 * Writes `text` as `file`, whole or not at all (a temp file beside the claimed one, then a rename: a
 * killed hook leaves only a `.taking-` file, which the tracker prunes). Plain fs: the fronts load no
 * write-file-atomic (their budget is a few ms).
 * @throws fs errors
 */
function putBack(claimed: string, file: string, text: string): void {
  const tmp = `${claimed}.back`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
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
    if (typeof o?.systemMessage !== 'string' || (o.modelNote !== null && typeof o.modelNote !== 'string'))
      throw new Error('outbox notice is not {systemMessage, modelNote}');
    // A quota part that is not the expected shape is dropped; the words composed by the tracker stay.
    const quota = o.quota === undefined ? null : readQuotaNoticeData(o.quota);
    if (o.quota !== undefined && quota === null) onBadQuota();
    return { systemMessage: o.systemMessage, modelNote: o.modelNote, ...(quota === null ? {} : { quota }) };
  });
}
