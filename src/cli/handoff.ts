import path from 'node:path';
import { displayText } from '../render/display-text.ts';
import { buildHandoff } from '../handoff/build-handoff.ts';
import { hasWork } from '../handoff/handoff-facts.ts';
import { listHandoffFiles, projectKeyFor, readHandoffFile, readHandoffIndex, saveHandoff, sessionProjectKey } from '../handoff/handoff-store.ts';
import { fmtTime } from '../render/format.ts';
import type { Runtime } from '../runtime.ts';
import { emptySessionTracker, SessionTrackerSchema } from '../store/schemas.ts';
import { trackAll } from '../tracker/track-step.ts';
import { LockBusyError, readState } from '../store/update.ts';
import type { CommandIo, CommandRun } from './command.ts';
import { parseCommand, splitAction } from './args.ts';
import { CommandFailure, UsageError } from './errors.ts';
import { HANDOFF, HANDOFF_ACTIONS } from './handoff-spec.ts';
import { selfCommand } from './self-command.ts';
import { pickSession } from './session-pick.ts';

/** Transcripts modified within this span are caught up before a handoff is built (as for `cco status`). */
const CATCH_UP_SPAN_MS = 10 * 3_600_000;

/** Largest handoff accepted on stdin (characters). */
const MAX_STDIN_CHARS = 200_000;

/** Saved handoffs `list` shows at most. */
const LIST_MAX = 30;

/**
 * `cco handoff save [--session <id>] [--stdin | --dry-run]`: builds a handoff of the session (or takes the
 * markdown on stdin, for the handoff-writer agent), saves it under `cco/handoffs/<project key>/`, marks it
 * pending for the project, and prints the path, the markdown and how to continue from it. `--dry-run`
 * prints the built handoff and saves nothing.
 * `cco handoff show [--project <dir>]`: the pending handoff of a project (default: the current directory).
 * `cco handoff list`: pending handoffs and saved files, newest first.
 *
 * @throws UsageError for a bad command line; CommandFailure for no session to hand off, a missing
 *   transcript or one with nothing done yet, empty stdin; LockBusyError when the pending index stays locked
 */
export const run: CommandRun = async (rt, args, io) => {
  const { action, rest } = splitAction(HANDOFF, HANDOFF_ACTIONS, args);
  if (action === 'save') return save(rt, rest, io);
  if (action === 'show') return show(rt, rest, io);
  return list(rt, io, parseCommand(HANDOFF_ACTIONS.list, rest).values.json === true);
};

async function save(rt: Runtime, args: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(HANDOFF_ACTIONS.save, args);
  if (values.stdin === true && values['dry-run'] === true) throw new UsageError('--stdin and --dry-run do not go together', HANDOFF_ACTIONS.save.name);
  const nowMs = rt.now().getTime();
  try {
    await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  } catch (e) {
    if (!(e instanceof LockBusyError)) throw e;
    rt.log('info', 'handoff', `catch-up skipped: ${e.message}`); // the handoff reads the transcript itself
  }
  const tracker = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  // --session, else the session running the slash command (CLAUDE_CODE_SESSION_ID), else the latest here.
  const { session } = pickSession(tracker, values.session ?? null, rt.env.CLAUDE_CODE_SESSION_ID, io.cwd);
  if (session === null) throw new CommandFailure('no Claude Code session to hand off here (run /save-and-restart inside a session, or pass --session <id>)');
  const cwd = session.cwd ?? io.cwd;
  // The session's cwd came from a payload: one clean line where it is printed.
  const shownCwd = shownPath(cwd);
  const projectKey = sessionProjectKey(session.transcriptPath, cwd)!;
  let markdown: string;
  if (values.stdin === true) {
    markdown = (await io.readStdin()).trim();
    if (markdown === '') throw new CommandFailure('--stdin: no handoff markdown on stdin; nothing saved');
    if (markdown.length > MAX_STDIN_CHARS)
      throw new CommandFailure(`--stdin: the handoff is ${markdown.length} characters (at most ${MAX_STDIN_CHARS}); nothing saved`);
    markdown += '\n';
  } else {
    const built = buildHandoff(rt, { sessionId: session.sessionId, transcriptPath: session.transcriptPath, cwd }, 'save-and-restart');
    if (built.transcriptProblem !== null) throw new CommandFailure(`session ${session.sessionId}: transcript ${built.transcriptProblem}; nothing to hand off`);
    if (!hasWork(built.facts))
      throw new CommandFailure(`session ${session.sessionId} has nothing to hand off yet (no requests, tool calls or replies in its transcript)`);
    markdown = built.markdown;
    if (values['dry-run'] === true) {
      io.stdout(`${markdown.trimEnd()}\n\n(dry run: not saved; \`${selfCommand()} handoff save\` saves it and marks it pending for ${shownCwd})\n`);
      return 0;
    }
  }
  const { file, superseded } = await saveHandoff(
    rt,
    { projectKey, project: cwd, sessionId: session.sessionId, reason: 'save-and-restart', markdown },
    { lockBudgetMs: 5_000 },
  );
  io.stdout(
    [
      `cco: handoff of session ${session.sessionId} saved to ${file}`,
      `It is pending for ${shownCwd}: the next session started there (new, /clear or resume) gets it once.`,
      ...(superseded === null ? [] : [`(It replaces the pending handoff ${superseded.file}, kept on disk.)`]),
      '',
      markdown.trimEnd(),
      '',
      `To continue from this handoff, start a new session: type /clear, or exit and run \`claude\` in ${shownCwd}.`,
      '',
    ].join('\n'),
  );
  return 0;
}

function show(rt: Runtime, args: string[], io: CommandIo): number {
  const { values } = parseCommand(HANDOFF_ACTIONS.show, args);
  const dir = path.resolve(io.cwd, values.project ?? io.cwd);
  const key = projectKeyFor(dir);
  const idx = readHandoffIndex(rt);
  // By key; else by the directory recorded at save time (keys over 200 characters carry Claude Code's hash).
  const e = idx.pending[key] ?? Object.values(idx.pending).find((p) => p.project === dir);
  if (e === undefined) {
    const last = idx.consumed.findLast((c) => c.projectKey === key || c.project === dir);
    io.stdout(
      `No pending handoff for ${shownPath(dir)}.\n${last === undefined ? '' : `The last one, ${last.file} (${last.reason}, ${fmtTime(Date.parse(last.createdAt))}), was ${outcomeText(last.outcome)} ${fmtTime(Date.parse(last.at))}${last.by === null ? '' : ` by session ${displayText(last.by)}`}.\n`}`,
    );
    return 0;
  }
  const read = readHandoffFile(rt, e.file);
  if (read.kind === 'unreadable') throw Object.assign(new Error(`cannot read ${shownPath(e.file)}: ${read.reason}`), { code: read.code, path: e.file });
  if (read.kind === 'missing' && read.why !== null)
    rt.log('warn', 'handoff', `cco handoff show: the pending index names ${JSON.stringify(e.file)}, ${read.why}: shown as missing`);
  const body =
    read.kind === 'text'
      ? read.text.trimEnd()
      : read.why === null
        ? '(The file was deleted: the next session start will say so and inject nothing.)'
        : `(That is no handoff file: ${displayText(read.why, 4_096)}. It is not read; the next session start will say so and inject nothing.)`;
  io.stdout(
    [
      `Pending handoff for ${shownPath(dir)}: ${shownPath(e.file)}`,
      `Saved ${fmtTime(Date.parse(e.createdAt))} by session ${displayText(e.sessionId)} (${e.reason}); the next session started there gets it once.`,
      '',
      body,
      '',
    ].join('\n'),
  );
  return 0;
}

/**
 * `cco handoff list [--json]`: pending handoffs, then saved files with their status (newest first, at
 * most LIST_MAX shown). `--json`: `{pending: [{projectKey, ...pending entry}], files: [{file, mtimeMs,
 * status}]}` with every file.
 */
function list(rt: Runtime, io: CommandIo, json: boolean): number {
  const idx = readHandoffIndex(rt);
  const status = new Map<string, string>();
  for (const c of idx.consumed) status.set(c.file, outcomeText(c.outcome));
  const pending = Object.entries(idx.pending).sort((a, b) => b[1].createdAt.localeCompare(a[1].createdAt));
  for (const [, e] of pending) status.set(e.file, 'pending');
  if (json) {
    const files = listHandoffFiles(rt).map((f) => ({ file: f.file, mtimeMs: f.mtimeMs, status: status.get(f.file) ?? 'saved' }));
    io.stdout(`${JSON.stringify({ pending: pending.map(([projectKey, e]) => ({ projectKey, ...e })), files }, null, 1)}\n`);
    return 0;
  }
  const lines: string[] = ['Pending handoffs (the next session started in the project gets each once):'];
  if (pending.length === 0) lines.push('  (none)');
  for (const [key, e] of pending) lines.push(`  ${shownPath(e.project ?? key)}  ${fmtTime(Date.parse(e.createdAt))}  ${e.reason}  ${e.file}`);
  const files = listHandoffFiles(rt);
  lines.push('', `Saved handoffs (newest first${files.length > LIST_MAX ? `, ${LIST_MAX} of ${files.length}` : ''}):`);
  if (files.length === 0) lines.push('  (none)');
  for (const f of files.slice(0, LIST_MAX)) lines.push(`  ${fmtTime(f.mtimeMs)}  ${(status.get(f.file) ?? 'saved').padEnd(10)}  ${f.file}`);
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

function outcomeText(o: string): string {
  return o === 'missing' ? 'found deleted' : o === 'empty' ? 'found empty' : o;
}

/** A project dir from a payload or the pending index on one clean line, whole (up to Linux's PATH_MAX): the person may copy it. */
function shownPath(p: string): string {
  return displayText(p, 4_096);
}
