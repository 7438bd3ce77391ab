import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor } from '../render/command-names.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { currentObjective } from '../plan/current.ts';
import { blockersOf } from '../plan/dependencies.ts';
import { duplicateTitleWarnings } from '../plan/duplicate-titles.ts';
import { chooseNext } from '../plan/fit.ts';
import { unknownAgentProblem } from '../plan/known-agents.ts';
import { parseTokenCount } from '../plan/estimate-text.ts';
import {
  addSession,
  applySchedule,
  findSession,
  finishSession,
  importSessions,
  removeSession,
  scheduleSession,
  startSession,
  type ImportItem,
} from '../plan/queue-ops.ts';
import { parseHours, PlanError, type PlannedSession, type SessionQueue } from '../plan/queue-schema.ts';
import { loadQueue as loadPlanQueue, mutateQueue } from '../plan/queue-store.ts';
import { planSchedule } from '../plan/schedule.ts';
import { zonedToUtcMs } from '../plan/zoned-time.ts';
import {
  fmtZoned,
  renderCurrent,
  renderNextReport,
  renderQueueList,
  renderSchedule,
  renderSessionDetail,
  renderStarted,
  unplacedText,
} from '../render/plan.ts';
import type { Budget } from '../quota/budget.ts';
import type { Runtime } from '../runtime.ts';
import type { CommandIo, CommandRun } from './command.ts';
import { parseCommand, splitAction } from './args.ts';
import { CommandFailure, UsageError } from './errors.ts';
import { loadPlanContext, type PlanContext } from './plan-context.ts';
import { PLAN, PLAN_ACTIONS, PLAN_FILE_MAX_BYTES } from './plan-spec.ts';
import { selfCommand } from './self-command.ts';
import { isFile } from '../fs-kind.ts';
import { DISPLAY_OWN_MAX, displayText } from '../render/display-text.ts';

/** A title, agent or path of the person's (it may hold a line break) as one line of output, whole. */
const one = (text: string): string => displayText(text, DISPLAY_OWN_MAX);

/** Parses one `plan` action's arguments by its spec (plan-spec.ts). */
const parse = <A extends keyof typeof PLAN_ACTIONS>(action: A, args: readonly string[]) =>
  parseCommand<(typeof PLAN_ACTIONS)[A]['options']>(PLAN_ACTIONS[action], args);

/** A value the command line gave that a planning rule refuses (hours outside 0.5-12): a usage error of `action`. */
function checked<T>(action: keyof typeof PLAN_ACTIONS, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PlanError) throw new UsageError(e.message, PLAN_ACTIONS[action].name);
    throw e;
  }
}

/**
 * `cco plan <action> ...`: the session queue (actions and their options: plan-spec.ts). Every change goes
 * through the queue lock; a queue file that fails the schema is quarantined and the last good copy used,
 * with a note first in the output; when its last good copy fails too, both are moved aside and the
 * command exits 1 with one line on stderr after its output: list, show, next and current show the empty
 * queue; add, import, start, done, skip, remove and schedule change nothing (see `lostBeforeEdit`). `add` and `import` print one `cco: warning: ...` line on stderr per
 * session added with a title another session has, and per unknown agent (the sessions are kept as given).
 * @throws UsageError for a bad command line (an unknown action or option, a missing or bad value, hours
 *   outside 0.5-12); CommandFailure for what the queue refuses (unknown id, a session larger than one
 *   5-hour window, a dependency cycle, a plan file with problems, ...)
 */
export const run: CommandRun = async (rt, args, io) => {
  const loss = { lost: false };
  try {
    const code = await dispatch(rt, args, io, loss);
    if (!loss.lost) return code;
    // The output above is of an empty queue: say on stderr, and in the exit code, that the sessions are not lost for good but moved aside.
    io.stderr(
      'cco plan: the queue and its last good copy both failed the schema; both were moved aside as *.corrupt-<time> (see the note) and the queue starts empty\n',
    );
    return Math.max(code, 1);
  } catch (e) {
    if (e instanceof PlanError) throw new CommandFailure(e.message);
    throw e;
  }
};

async function dispatch(rt: Runtime, args: string[], io: CommandIo, loss: { lost: boolean }): Promise<number> {
  const { action: sub, rest } = splitAction(PLAN, PLAN_ACTIONS, args);
  const loadQueue = async () => {
    const r = await loadPlanQueue(rt);
    if (r.lost === true) loss.lost = true;
    return r;
  };
  const cli = selfCommand();
  const note = (n: string | null) => {
    if (n !== null) io.stdout(`Note: ${n}\n\n`);
  };
  /**
   * Before an edit: true (after printing the note) when this run found the queue and its last good copy
   * both corrupt and moved them aside. The edit is then refused, not applied to the empty queue that
   * replaces them: the person can first put their sessions back from the *.corrupt-<time> files and
   * then run it again, with no new sessions (whose ids would repeat the lost ones) to merge by hand.
   */
  const lostBeforeEdit = async (): Promise<boolean> => {
    const r = await loadQueue();
    if (r.lost !== true) return false;
    note(r.note);
    io.stdout('Nothing was changed: put the sessions back from those files (or leave the queue empty), then run the command again.\n');
    return true;
  };
  switch (sub) {
    case 'add': {
      const { values: v } = parse('add', rest);
      const bad = (what: string) => new UsageError(what, PLAN_ACTIONS.add.name);
      if (v.title === undefined) throw bad('missing --title');
      if (v.hours === undefined) throw bad('missing --hours');
      if ((v.tokens === undefined) === (v.share === undefined))
        throw bad(v.tokens === undefined ? 'missing --tokens or --share (the estimate)' : '--tokens and --share do not go together');
      const hours = v.hours;
      const n = {
        title: v.title,
        projectDir: path.resolve(io.cwd, v.project ?? '.'),
        tokens: v.tokens === undefined ? null : parseTokens(v.tokens),
        windowShare: v.share === undefined ? null : parseShareFlag(v.share),
        hours: checked('add', () => parseHours(hours)),
        objectives: v.objective ?? [],
        agent: v.agent ?? null,
        dependsOn: (v.depends ?? [])
          .flatMap((d) => d.split(','))
          .map((d) => d.trim())
          .filter((d) => d !== ''),
      };
      if (await lostBeforeEdit()) return 1;
      const ctx = await loadPlanContext(rt, { catchUp: false });
      const nowMs = rt.now().getTime();
      const r = await mutateQueue(rt, (q) => {
        const { queue, session } = addSession(q, n, nowMs, windowBudget(ctx));
        return { queue, result: session };
      });
      note(r.note);
      io.stdout(
        `Added ${r.result!.id}: ${one(r.result!.title)}\n${renderSessionDetail(r.result!, r.queue, ctx.quota.budget, ctx.timeZone, ctx.quota.budgetSource)}`,
      );
      warnAbout(rt, io, r.queue, [r.result!.id], [r.result!]);
      return 0;
    }
    case 'list': {
      const { values } = parse('list', rest);
      const { queue, note: n } = await loadQueue();
      if (values.json === true) {
        io.stdout(`${JSON.stringify({ note: n, ...queue }, null, 2)}\n`);
        return 0;
      }
      note(n);
      const ctx = await loadPlanContext(rt, { catchUp: false });
      io.stdout(renderQueueList(queue, ctx.quota.budget, ctx.timeZone, ctx.nowMs, ctx.quota.budgetSource));
      return 0;
    }
    case 'show': {
      const {
        values,
        positionals: [id],
      } = parse('show', rest);
      const { queue, note: n } = await loadQueue();
      const s = findSession(queue, id!);
      if (values.json === true) {
        io.stdout(`${JSON.stringify(s, null, 2)}\n`);
        return 0;
      }
      note(n);
      const ctx = await loadPlanContext(rt, { catchUp: false });
      io.stdout(renderSessionDetail(s, queue, ctx.quota.budget, ctx.timeZone, ctx.quota.budgetSource));
      return 0;
    }
    case 'start': {
      const {
        values,
        positionals: [id],
      } = parse('start', rest);
      if (await lostBeforeEdit()) return 1;
      const nowMs = rt.now().getTime();
      const r = await mutateQueue(rt, (q) => {
        const { queue, session } = startSession(q, id!, nowMs, { force: values.force === true });
        return { queue, result: session };
      });
      note(r.note);
      const s = r.result!;
      const others = r.queue.sessions.filter((x) => x.status === 'in_progress' && x.id !== s.id && x.projectDir === s.projectDir);
      const ctx = await loadPlanContext(rt, { catchUp: false });
      io.stdout(renderStarted(s, ctx.quota.budget, cli, ctx.quota.budgetSource));
      if (others.length > 0)
        io.stdout(`Also in progress in this project: ${others.map((x) => `${x.id} ${one(x.title)}`).join('; ')} (mark them with ${cli} plan done <id>).\n`);
      return 0;
    }
    case 'done':
    case 'skip': {
      const id = parse(sub, rest).positionals[0]!;
      if (await lostBeforeEdit()) return 1;
      const nowMs = rt.now().getTime();
      const r = await mutateQueue(rt, (q) => {
        const { queue, session } = finishSession(q, id, sub === 'done' ? 'done' : 'skipped', nowMs);
        return { queue, result: session };
      });
      note(r.note);
      const unblocked =
        sub === 'done'
          ? r.queue.sessions.filter(
              (x) =>
                x.dependsOn.includes(id) &&
                (x.status === 'ready' || x.status === 'scheduled') &&
                blockersOf(x, new Map(r.queue.sessions.map((y) => [y.id, y]))).length === 0,
            )
          : [];
      io.stdout(`${id} ${one(r.result!.title)}: ${sub === 'done' ? 'done' : 'skipped'}.\n`);
      if (unblocked.length > 0)
        io.stdout(
          `Now ready to start: ${unblocked.map((x) => `${x.id} ${one(x.title)}`).join('; ')}. ${slashFor(installedSeeds(rt.paths.stateDir))('start-next-session')} picks the next one.\n`,
        );
      if (sub === 'skip') {
        const waiting = r.queue.sessions.filter((x) => x.dependsOn.includes(id) && x.status !== 'done' && x.status !== 'skipped');
        if (waiting.length > 0) io.stdout(`Waiting on it (they cannot start until it is done): ${waiting.map((x) => x.id).join(', ')}.\n`);
      }
      return 0;
    }
    case 'remove': {
      const id = parse('remove', rest).positionals[0]!;
      if (await lostBeforeEdit()) return 1;
      const nowMs = rt.now().getTime();
      const r = await mutateQueue(rt, (q) => {
        const out = removeSession(q, id, nowMs);
        return { queue: out.queue, result: out };
      });
      note(r.note);
      io.stdout(
        `Removed ${id} ${one(r.result!.removed.title)}.${r.result!.unlinked.length > 0 ? ` Dropped it from the dependencies of ${r.result!.unlinked.join(', ')}.` : ''} Its id is not reused.\n`,
      );
      return 0;
    }
    case 'import':
      return importCommand(rt, rest, io, lostBeforeEdit);
    case 'schedule':
      return scheduleCommand(rt, rest, io, lostBeforeEdit);
    case 'next': {
      const {
        values,
        positionals: [given],
      } = parse('next', rest);
      const hours = given === undefined || given === '' ? null : checked('next', () => parseHours(given));
      const ctx = await loadPlanContext(rt, { catchUp: true });
      const { queue, note: n } = await loadQueue();
      const fit = chooseNext({ queue, projectDir: io.cwd, hours, nowMs: ctx.nowMs, quota: ctx.quotaNow, weekly: ctx.weekly });
      if (values.json === true) {
        const notes = [n, ctx.configProblem].filter((x) => x !== null);
        io.stdout(
          `${JSON.stringify({ nowMs: ctx.nowMs, hours, projectDir: io.cwd, timeZone: ctx.timeZone, quota: ctx.quota, weekly: ctx.weekly, fit, notes }, null, 2)}\n`,
        );
        return 0;
      }
      note(n);
      if (ctx.configProblem !== null) note(ctx.configProblem);
      io.stdout(renderNextReport({ nowMs: ctx.nowMs, hours, projectDir: io.cwd, quota: ctx.quota, weekly: ctx.weekly, fit, cli, timeZone: ctx.timeZone }));
      return 0;
    }
    case 'current': {
      const { values } = parse('current', rest);
      const dir = path.resolve(io.cwd, values.project ?? '.');
      const { queue, note: n } = await loadQueue();
      if (values.json === true) {
        io.stdout(`${JSON.stringify({ note: n, projectDir: dir, session: currentObjective(queue, dir) }, null, 2)}\n`);
        return 0;
      }
      note(n);
      const ctx = await loadPlanContext(rt, { catchUp: false });
      io.stdout(renderCurrent(currentObjective(queue, dir), dir, ctx.quota.budget, cli, ctx.quota.budgetSource, ctx.slash));
      return 0;
    }
  }
}

async function importCommand(rt: Runtime, rest: string[], io: CommandIo, lostBeforeEdit: () => Promise<boolean>): Promise<number> {
  const {
    values,
    positionals: [file],
  } = parse('import', rest);
  const abs = path.resolve(io.cwd, file!);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    throw new CommandFailure(`cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (bytes.length > PLAN_FILE_MAX_BYTES) {
    throw new CommandFailure(
      `${abs}: nothing imported: the file is ${Math.ceil(bytes.length / 1024)} KiB, more than a plan's ${PLAN_FILE_MAX_BYTES / 1024} KiB; split it into plans of their own`,
    );
  }
  const text = bytes.toString('utf8');
  // Loaded here, not with the module: the CommonMark parser (mdast-util-from-markdown, micromark) is
  // plan import's alone, so no other command (nor `cco plan list`) evaluates it.
  const { parsePlanMarkdown } = await import('../plan/markdown-import.ts');
  const parsed = parsePlanMarkdown(text);
  if (parsed.errors.length > 0) {
    throw new CommandFailure(`${abs}: nothing imported: ${parsed.errors.join('; ')} (the format: ${selfCommand()} plan import --help)`);
  }
  const baseDir = path.dirname(abs);
  const defaultProject = path.resolve(io.cwd, values.project ?? parsed.projectDir ?? '.');
  const items: ImportItem[] = parsed.sessions.map((s) => ({
    title: s.title,
    projectDir: s.projectDir === null ? defaultProject : path.resolve(baseDir, s.projectDir),
    tokens: s.tokens,
    windowShare: s.windowShare,
    hours: s.hours!,
    objectives: s.objectives,
    agent: s.agent,
    dependsOn: s.depends,
    origin: `${path.basename(abs)}:${s.line}`,
  }));
  if (await lostBeforeEdit()) return 1;
  const ctx = await loadPlanContext(rt, { catchUp: false });
  const nowMs = rt.now().getTime();
  const r = await mutateQueue(rt, (q) => {
    const out = importSessions(q, items, nowMs, windowBudget(ctx));
    return { queue: out.queue, result: out };
  });
  const note = r.note === null ? '' : `Note: ${r.note}\n\n`;
  const res = r.result!;
  const line = (label: string, xs: { id: string; title: string; status?: string }[]) =>
    xs.length === 0
      ? []
      : [
          `${label}:`,
          ...xs.map((x) => `  ${x.id}  ${one(x.title)}${x.status !== undefined && label.startsWith('Kept') ? ` (${x.status.replace('_', ' ')})` : ''}`),
        ];
  io.stdout(
    `${note}${[
      `Imported ${one(abs)}: ${res.added.length} added, ${res.updated.length} updated, ${res.kept.length} kept.`,
      ...line('Added', res.added),
      ...line('Updated (same title, same id)', res.updated),
      ...line('Kept as they are (in progress, done or skipped)', res.kept),
    ].join('\n')}\n`,
  );
  warnAbout(
    rt,
    io,
    r.queue,
    res.added.map((s) => s.id),
    [...res.added, ...res.updated],
  );
  return 0;
}

/** The budget of one 5-hour window that estimates are measured against, and its source. */
function windowBudget(ctx: PlanContext): Budget {
  return { tokens: ctx.quota.budget, source: ctx.quota.budgetSource };
}

/**
 * Prints one `cco: warning: ...` line on stderr per session of `addedIds` whose title another session of
 * `queue` has, and per agent of `sessions` (grouped by agent and project) that is not a known agent.
 * Reads the agent files (`<project>/.claude/agents`, `<config dir>/agents`, the plugin cache).
 */
function warnAbout(rt: Runtime, io: CommandIo, queue: SessionQueue, addedIds: readonly string[], sessions: readonly PlannedSession[]): void {
  for (const w of duplicateTitleWarnings(queue, addedIds)) io.stderr(`cco: warning: ${one(w)}\n`);
  const byAgent = new Map<string, { agent: string; projectDir: string; ids: string[] }>();
  for (const s of sessions) {
    if (s.agent === null) continue;
    const k = `${s.agent}\u0000${s.projectDir}`;
    const g = byAgent.get(k) ?? { agent: s.agent, projectDir: s.projectDir, ids: [] };
    g.ids.push(s.id);
    byAgent.set(k, g);
  }
  for (const g of byAgent.values()) {
    const problem = unknownAgentProblem(g.agent, { projectDir: g.projectDir, configDir: rt.dirs.stateDir, exists: isFile, listDir });
    if (problem !== null) io.stderr(`cco: warning: ${g.ids.join(', ')}: agent "${one(g.agent)}" ${one(problem)}; kept as given\n`);
  }
}

function listDir(dir: string): string[] | null {
  try {
    return readdirSync(dir);
  } catch {
    return null;
  }
}

/** Parses `--at`: ISO-8601 with Z or an offset, or `YYYY-MM-DDTHH:MM` (also with a space) in the planning time zone. */
function parseAt(text: string, tz: string): number {
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(text.trim());
  if (local) return zonedToUtcMs(Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4]), Number(local[5]), tz);
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new UsageError(`--at needs an ISO-8601 time such as 2026-11-20T14:00:00Z (or 2026-11-20T15:00 in ${tz}), not "${text}"`, PLAN_ACTIONS.schedule.name);
  return ms;
}

async function scheduleCommand(rt: Runtime, rest: string[], io: CommandIo, lostBeforeEdit: () => Promise<boolean>): Promise<number> {
  const { values, positionals } = parse('schedule', rest);
  const all = values.all === true;
  const bad = (what: string) => new UsageError(what, PLAN_ACTIONS.schedule.name);
  if (all && positionals.length > 0) throw bad('give an <id> or --all, not both');
  if (!all && positionals.length === 0) throw bad('missing <id> (or --all)');
  if (all && values.at !== undefined) throw bad('--at schedules one session: give its <id>, not --all');
  if (await lostBeforeEdit()) return 1;
  const ctx = await loadPlanContext(rt, { catchUp: true });
  const at = values.at ?? null;
  if (at !== null) {
    const atMs = parseAt(at, ctx.timeZone);
    if (atMs < ctx.nowMs - 60_000) throw bad(`--at ${at} is in the past (now ${new Date(ctx.nowMs).toISOString()})`);
    const id = positionals[0]!;
    const r = await mutateQueue(rt, (q) => {
      const { queue, session } = scheduleSession(q, id, atMs, 'manual', ctx.nowMs);
      return { queue, result: session };
    });
    const s = r.result!;
    const notes = r.note === null ? '' : `Note: ${r.note}\n\n`;
    const byId = new Map(r.queue.sessions.map((x) => [x.id, x]));
    const waits = blockersOf(s, byId).filter((b) => {
      const dep = byId.get(b.id);
      return dep === undefined || dep.scheduledAt === null || Date.parse(dep.scheduledAt) + dep.hours * 3_600_000 > atMs;
    });
    io.stdout(
      `${notes}Scheduled ${s.id} ${one(s.title)} for ${fmtZoned(atMs, ctx.timeZone)} (${new Date(atMs).toISOString()}). SessionStart announces it when the time comes; ${ctx.slash('create-calendar-events')} exports it.\n`,
    );
    if (waits.length > 0)
      io.stdout(`Warning: it depends on ${waits.map((b) => `${b.id} (${b.status.replace('_', ' ')})`).join(', ')}, not done or planned to end before then.\n`);
    return 0;
  }
  const only = all ? undefined : positionals[0]!;
  const r = await mutateQueue(rt, (q: SessionQueue) => {
    if (only !== undefined) {
      const s = findSession(q, only);
      if (s.status !== 'ready' && s.status !== 'scheduled')
        throw new PlanError(`${only} is ${s.status.replace('_', ' ')}; only ready or scheduled sessions can be scheduled`);
    }
    const result = planSchedule({
      queue: q,
      nowMs: ctx.nowMs,
      quota: ctx.quotaNow,
      weekly: ctx.weekly,
      workingHours: ctx.workingHours,
      timeZone: ctx.timeZone,
      ...(only === undefined ? {} : { only }),
    });
    if (only !== undefined) {
      const u = result.unplaced.find((x) => x.id === only);
      if (u !== undefined) throw new PlanError(`${only} cannot be scheduled: ${unplacedText(u, ctx.quota.budgetSource)}`);
    }
    const starts = new Map(result.placements.map((p) => [p.id, p.startMs]));
    return { queue: applySchedule(q, starts, result.replanned, ctx.nowMs), result };
  });
  if (r.note !== null) io.stdout(`Note: ${r.note}\n\n`);
  io.stdout(renderSchedule(r.result!, r.queue, ctx.timeZone, ctx.nowMs));
  io.stdout(
    `Budget per window: ${ctx.quota.budget.toLocaleString('en-US')} tokens (${ctx.quota.budgetSource}); working hours ${ctx.workingHours.start}-${ctx.workingHours.end} ${ctx.workingHours.days.join(',')} (${ctx.timeZone}); weekly cap ${ctx.config.planning.weeklyCapPct}%${ctx.weekly === null ? ' (no official 7-day reading: not checked)' : ''}.\n`,
  );
  return 0;
}

function parseTokens(text: string): number {
  const n = parseTokenCount(text);
  if (n === null) throw new UsageError(`--tokens needs a whole number above 0 (e.g. 120000 or 120k), not "${text}"`, PLAN_ACTIONS.add.name);
  return n;
}

/** Parses `--share` (`0.5`, `50%`): above 0; a share above 1 is refused later as larger than one window. */
function parseShareFlag(text: string): number {
  const pct = /%$/.test(text);
  const n = text.trim() === '' ? Number.NaN : Number(text.replace(/%$/, '')) / (pct ? 100 : 1);
  if (!(Number.isFinite(n) && n > 0))
    throw new UsageError(`--share needs a share of one window above 0, such as 0.5 or 50%, not "${text}"`, PLAN_ACTIONS.add.name);
  return n;
}
