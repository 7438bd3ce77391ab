import path from 'node:path';
import { z } from 'zod';
import { checkSnapshot } from '../render/statusline-snapshot.ts';
import { ConfigSchema } from '../config/config.ts';
import { SessionQueueSchema } from '../plan/queue-schema.ts';
import { HandoffIndexSchema } from '../store/schema-handoff.ts';
import { DurableQuotaSchema, QuotaTrackerSchema, SessionTrackerSchema } from '../store/schemas.ts';
import { fix, ok, plural, type CheckResult } from './check.ts';

/**
 * A state file of ours: where it lives (the config dir, or the account's dir shared by the account's
 * config dirs: src/claude/account-home.ts), its path relative to that, its schema, and what to do when
 * it is unusable.
 */
export interface StateFileSpec {
  where: 'config' | 'account';
  rel: string;
  schema: z.ZodType;
  onInvalid: string;
}

const REBUILT = 'the next hook moves it aside (*.corrupt-<time>) and rebuilds it from the transcripts; nothing to do unless this stays';

/** Our state files (DESIGN.md "State files"); a missing one is fine (not created yet). */
export const STATE_FILES: readonly StateFileSpec[] = [
  { where: 'account', rel: 'quota-tracker.json', schema: QuotaTrackerSchema, onInvalid: REBUILT },
  { where: 'config', rel: 'session-tracker.json', schema: SessionTrackerSchema, onInvalid: REBUILT },
  {
    where: 'account',
    rel: 'quota-durable.json',
    schema: DurableQuotaSchema,
    onInvalid: 'the next hook or status line moves it aside and rewrites it from quota-tracker.json',
  },
  {
    where: 'config',
    rel: 'session-queue.json',
    schema: SessionQueueSchema,
    onInvalid: 'the next `cco plan` command quarantines it and restores cco/session-queue.last-good.json',
  },
  { where: 'config', rel: 'cco/session-queue.last-good.json', schema: SessionQueueSchema, onInvalid: 'delete it; the next queue write makes a new one' },
  { where: 'config', rel: 'cco/config.json', schema: ConfigSchema, onInvalid: 'fix it by hand (see README "Configuration"); the defaults are used meanwhile' },
  { where: 'account', rel: 'config.json', schema: ConfigSchema, onInvalid: 'fix it by hand (see README "Configuration"); the defaults are used meanwhile' },
  {
    where: 'account',
    rel: 'statusline-snapshot.json',
    schema: z.custom((v) => checkSnapshot(v) !== null, 'not a status line snapshot'),
    onInvalid: 'the next tracker run writes it anew; the status line shows what its payload gives meanwhile',
  },
  {
    where: 'config',
    rel: 'cco/handoffs/pending.json',
    schema: HandoffIndexSchema,
    onInvalid: 'the next handoff write quarantines and rebuilds it (pending handoffs in it are lost; the .md files stay)',
  },
];

/** One state file as found: its text (null when missing), its mode, or why it could not be read. */
export interface StateFileFact {
  where: StateFileSpec['where'];
  rel: string;
  path: string;
  text: string | null;
  mode: number | null;
  readError: string | null;
}

export interface StateFacts {
  stateDir: string;
  files: StateFileFact[];
  /** Our folders (`cco/` and below, `calendar/`) with their modes. */
  dirs: { path: string; mode: number }[];
  /** Every other file of ours under `cco/` and `calendar/` that should be private, with its mode. */
  otherFiles: { path: string; mode: number }[];
  /** `*.corrupt-<time>` files (and folders, FIFOs...): what was moved aside (src/store/move-aside.ts). */
  quarantined: string[];
  /**
   * Temp files of writes that never got to their rename, and their age (ms): write-file-atomic's
   * (`<file>.json.<number>`) and the caches' (`<file>.<pid>-<random>.tmp`). A writer killed mid-write, or
   * one whose cleanup failed too (a full disk).
   */
  tempFiles: { path: string; ageMs: number }[];
}

/** Temp files younger than this may belong to a write in progress. */
export const TEMP_FILE_GRACE_MS = 60_000;

/** The problem with one state file's text, or null when it parses and passes its schema. Pure. */
export function stateFileProblem(spec: StateFileSpec, text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  const r = spec.schema.safeParse(value);
  if (r.success) return null;
  const i = r.error.issues[0];
  return `fails its schema (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'})`;
}

/**
 * State files readable: each present file parses and passes its schema; files are 0600 and folders
 * 0700 (nothing of ours is readable by other users); no quarantined copies or temp files left. Pure.
 */
export function checkStateFiles(f: StateFacts): CheckResult[] {
  const out: CheckResult[] = [];
  let present = 0;
  for (const file of f.files) {
    const spec = STATE_FILES.find((s) => s.rel === file.rel && s.where === file.where);
    if (file.readError !== null) {
      // A directory or FIFO where the file belongs is no permission problem: chmod would not help.
      const kind = /^not a regular file \((.+)\)$/.exec(file.readError)?.[1];
      if (kind !== undefined)
        out.push(
          fix(
            'state',
            `${kind} is where ${file.path} belongs`,
            `nothing to do: the next hook or cco command moves it aside (${path.basename(file.path)}.corrupt-<time>) and rebuilds the file (look at it there, then delete it)`,
          ),
        );
      else out.push(fix('state', `${file.path} cannot be read (${file.readError})`, `make it readable by you: chmod 600 ${file.path}`));
      continue;
    }
    if (file.text === null) continue;
    present++;
    const problem = spec === undefined ? null : stateFileProblem(spec, file.text);
    if (problem !== null) out.push(fix('state', `${file.path}: ${problem}`, spec!.onInvalid));
  }
  const open = [...f.files.filter((x) => x.text !== null && x.mode !== null).map((x) => ({ path: x.path, mode: x.mode! })), ...f.otherFiles].filter(
    (x) => (x.mode & 0o077) !== 0,
  );
  if (open.length > 0)
    out.push(
      fix(
        'state',
        `${plural(open.length, 'file')} of ours readable by others (${open[0]!.path} is ${octal(open[0]!.mode)})`,
        `chmod 600 ${open
          .map((x) => x.path)
          .slice(0, 5)
          .join(' ')}${open.length > 5 ? ' ...' : ''}`,
      ),
    );
  const openDirs = f.dirs.filter((d) => (d.mode & 0o077) !== 0);
  if (openDirs.length > 0)
    out.push(
      fix(
        'state',
        `${plural(openDirs.length, 'folder')} of ours open to others (${openDirs[0]!.path} is ${octal(openDirs[0]!.mode)})`,
        `chmod 700 ${openDirs
          .map((d) => d.path)
          .slice(0, 5)
          .join(' ')}${openDirs.length > 5 ? ' ...' : ''}`,
      ),
    );
  if (f.quarantined.length > 0)
    out.push(
      fix(
        'state',
        `${plural(f.quarantined.length, 'quarantined file')} (${f.quarantined[0]})`,
        'they were unreadable or no regular file (a directory, FIFO) and have been moved aside and rebuilt; look at them if you wish, then delete them',
      ),
    );
  const stale = f.tempFiles.filter((t) => t.ageMs > TEMP_FILE_GRACE_MS);
  if (stale.length > 0)
    out.push(
      fix(
        'state',
        `${plural(stale.length, 'temp file')} left by writes that never finished (a writer killed mid-write, or a full disk) (${stale[0]!.path})`,
        `delete them: rm ${stale
          .map((t) => t.path)
          .slice(0, 5)
          .join(' ')}${stale.length > 5 ? ' ...' : ''}`,
      ),
    );
  if (out.length === 0)
    out.push(
      ok('state', present === 0 ? `no state files yet in ${f.stateDir}` : `${plural(present, 'state file')} readable and valid; files 0600, folders 0700`),
    );
  return out;
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
