import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { renderIcs, stampCalendar } from '../plan/calendar.ts';
import { mutateQueue } from '../plan/queue-store.ts';
import { fmtZoned } from '../render/plan.ts';
import { writeTextAtomic } from '../store/atomic-text.ts';
import type { CommandRun } from './command.ts';
import { parseCommand } from './args.ts';
import { loadPlanContext } from './plan-context.ts';
import { selfCommand } from './self-command.ts';
import { CALENDAR } from './specs.ts';

/** The file holding every scheduled session. */
const ALL_SESSIONS_FILE = 'all-sessions.ics';

/**
 * `cco calendar [--out <dir>]`: one `session-<n>.ics` per scheduled session and `all-sessions.ics` with
 * all of them, in `<state dir>/calendar/` (or `--out`). UIDs are stable and SEQUENCE grows when a session's
 * event changed since the last export (kept in the queue under its lock), so importing again updates the
 * events. `session-<n>.ics` files of sessions no longer scheduled are removed. Times are in
 * `planning.timeZone` (else this computer's zone).
 * @throws UsageError for a bad command line; LockBusyError when the queue stays locked; fs errors writing files
 */
export const run: CommandRun = async (rt, args, io) => {
  const out = parseCommand(CALENDAR, args).values.out;
  const dir = out === undefined ? rt.paths.calendarDir : path.resolve(io.cwd, out);
  const ctx = await loadPlanContext(rt, { catchUp: false });
  const r = await mutateQueue(rt, (q) => {
    const stamped = stampCalendar(q, ctx.quota.budget, ctx.nowMs, ctx.slash);
    return { queue: stamped.queue, result: stamped.events };
  });
  if (r.note !== null) io.stdout(`Note: ${r.note}\n\n`);
  const events = r.result ?? [];
  const written: string[] = [];
  for (const e of events) {
    const file = path.join(dir, `session-${e.n}.ics`);
    await writeTextAtomic(file, await renderIcs([e], ctx.timeZone, ctx.nowMs, `Claude Session: ${e.id}`));
    written.push(file);
  }
  const allFile = path.join(dir, ALL_SESSIONS_FILE);
  await writeTextAtomic(allFile, await renderIcs(events, ctx.timeZone, ctx.nowMs, 'Claude Code sessions'));
  const keep = new Set(events.map((e) => `session-${e.n}.ics`));
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    if (/^session-\d+\.ics$/.test(f) && !keep.has(f)) {
      rmSync(path.join(dir, f), { force: true });
      removed.push(f);
    }
  }
  if (events.length === 0) {
    io.stdout(
      `No scheduled sessions to export (schedule them with ${selfCommand()} plan schedule --all or ${ctx.slash('start-next-session')}). Wrote an empty ${allFile}.\n`,
    );
  } else {
    io.stdout(
      [
        `Exported ${events.length} scheduled session${events.length === 1 ? '' : 's'} (times in ${ctx.timeZone}):`,
        ...events.map((e) => `  ${path.join(dir, `session-${e.n}.ics`)}  ${e.summary} · ${fmtZoned(e.startMs, ctx.timeZone)} · SEQUENCE ${e.sequence}`),
        `  ${allFile}  all of them in one calendar`,
        'Import all-sessions.ics (or one session file) into your calendar; importing a newer export updates the same events.',
      ].join('\n') + '\n',
    );
  }
  if (removed.length > 0) io.stdout(`Removed ${removed.join(', ')} (no longer scheduled).\n`);
  return 0;
};
