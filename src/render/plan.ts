import { pluginSlash, type Slash } from './command-names.ts';
import type { Candidate, FitResult, Later } from '../plan/fit.ts';
import { sessionTokens, type PlannedSession, type SessionQueue, type SessionStatus } from '../plan/queue-schema.ts';
import type { ScheduleResult, Unplaced } from '../plan/schedule.ts';
import { weeklyCost, type WeeklyLimit } from '../plan/weekly-limit.ts';
import { zonedParts } from '../plan/zoned-time.ts';
import type { QuotaStatus } from '../quota/quota-status.ts';
import { fmtCycle } from '../plan/dependencies.ts';
import { displayAll } from './display-text.ts';
import { fmtDuration, fmtInt, fmtTime } from './format.ts';
import { kv } from './kv.ts';

/**
 * Text of the `cco plan` reports. Pure: data in, string out. Times are epoch ms; tokens are counted tokens.
 * Each exported renderer first passes what it shows through `displayAll`: a title, objective, agent or
 * project dir (from `cco plan add`, a markdown import or a hand-edited session-queue.json) may hold a line
 * break or an escape sequence, and is shown on one line, whole.
 */

const RULE = '─'.repeat(62);

/** "2h", "1.5h". */
export function fmtHours(h: number): string {
  return `${Number(h.toFixed(2))}h`;
}

/** Epoch ms as "HH:MM" on the wall clock of `tz`. */
function hhmm(ms: number, tz: string): string {
  const z = zonedParts(ms, tz);
  return `${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`;
}

/** Epoch ms as wall time in `tz`: "Fri 2026-11-20 15:00 Europe/Berlin" ("... UTC" for UTC). */
export function fmtZoned(ms: number, tz: string): string {
  if (tz === 'UTC' || tz === 'Etc/UTC') return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(ms).getUTCDay()]} ${fmtTime(ms)}`;
  const z = zonedParts(ms, tz);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][z.weekday]} ${z.year}-${p2(z.month)}-${p2(z.day)} ${p2(z.hour)}:${p2(z.minute)} ${tz}`;
}

const STATUS_LABEL: Record<SessionStatus, string> = { ready: 'ready', scheduled: 'scheduled', in_progress: 'in progress', done: 'done', skipped: 'skipped' };

/**
 * "80,000 tokens" or "50% of a window = 100,000 tokens"; with `budgetSource`, a share's tokens carry it:
 * "50% of a window = 100,000 tokens (estimate, pro preset)". Pass it where the output does not name the
 * budget's source elsewhere. `budget`: counted tokens of one window.
 */
export function fmtEstimate(s: PlannedSession, budget: number, budgetSource?: string): string {
  if (s.tokens !== null) return `${fmtInt(s.tokens)} tokens`;
  const tag = budgetSource === undefined ? '' : ` (${budgetSource})`;
  return `${Number(((s.windowShare ?? 1) * 100).toFixed(1))}% of a window = ${fmtInt(sessionTokens(s, budget))} tokens${tag}`;
}

/** "1 done · 0 in progress · 2 ready · 1 scheduled · 0 skipped". */
function queueCounts(sessions: readonly PlannedSession[]): string {
  const n = (st: SessionStatus) => sessions.filter((s) => s.status === st).length;
  return `${n('done')} done · ${n('in_progress')} in progress · ${n('ready')} ready · ${n('scheduled')} scheduled · ${n('skipped')} skipped`;
}

function objectiveLines(s: PlannedSession, indent: string): string[] {
  if (s.objectives.length === 0) return [`${indent}- (no objectives listed)`];
  return s.objectives.map((o) => `${indent}- ${o}`);
}

function depsText(s: PlannedSession, byId: ReadonlyMap<string, PlannedSession>): string {
  return s.dependsOn.map((d) => `${d} (${byId.has(d) ? STATUS_LABEL[byId.get(d)!.status] : 'missing'})`).join(', ');
}

/** `cco plan list`: the budget, then every session, one line each, and a detail line. */
export function renderQueueList(queue: SessionQueue, budget: number, tz: string, nowMs: number, budgetSource: string): string {
  const q = displayAll(queue);
  const out = [`SESSION QUEUE  ·  ${fmtTime(nowMs)}`, RULE, `  Budget per 5-hour window: ${fmtInt(budget)} tokens  (${budgetSource})`];
  if (q.sessions.length === 0) {
    out.push('  (empty) Plan sessions with the session-planner agent, `cco plan add` or `cco plan import <file.md>`.');
    return out.join('\n') + '\n';
  }
  out.push(`  ${queueCounts(q.sessions)}`, '');
  const byId = new Map(q.sessions.map((s) => [s.id, s]));
  for (const s of q.sessions) {
    out.push(`  ${s.id.padEnd(4)} ${STATUS_LABEL[s.status].padEnd(12)} ${s.title}`);
    const bits = [fmtEstimate(s, budget), fmtHours(s.hours)];
    if (s.scheduledAt !== null && s.status === 'scheduled')
      bits.push(`at ${fmtZoned(Date.parse(s.scheduledAt), tz)}${s.scheduledBy === 'manual' ? ' (set by hand)' : ''}`);
    if (s.status === 'in_progress' && s.startedAt !== null) bits.push(`started ${fmtTime(Date.parse(s.startedAt))}`);
    if (s.dependsOn.length > 0) bits.push(`after ${depsText(s, byId)}`);
    if (s.agent !== null) bits.push(`agent ${s.agent}`);
    out.push(`${' '.repeat(20)}${bits.join(' · ')}`, `${' '.repeat(20)}${s.projectDir}`);
  }
  return out.join('\n') + '\n';
}

/** `cco plan show <id>` (and `add`); a share estimate names the budget's source (`budgetSource`). */
export function renderSessionDetail(session: PlannedSession, queue: SessionQueue, budget: number, tz: string, budgetSource: string): string {
  const [s, q] = [displayAll(session), displayAll(queue)];
  const byId = new Map(q.sessions.map((x) => [x.id, x]));
  const row = (k: string, v: string) => kv(k, v, 13);
  const status =
    s.status === 'scheduled' && s.scheduledAt !== null
      ? `scheduled for ${fmtZoned(Date.parse(s.scheduledAt), tz)} (${s.scheduledBy === 'manual' ? 'set by hand' : 'by schedule --all'})`
      : s.status === 'in_progress' && s.startedAt !== null
        ? `in progress since ${fmtTime(Date.parse(s.startedAt))}`
        : s.finishedAt !== null && (s.status === 'done' || s.status === 'skipped')
          ? `${s.status} ${fmtTime(Date.parse(s.finishedAt))}`
          : STATUS_LABEL[s.status];
  return (
    [
      `${s.id}  ${s.title}`,
      row('Status', status),
      row('Project', s.projectDir),
      row('Estimate', `${fmtEstimate(s, budget, budgetSource)} · ${fmtHours(s.hours)}`),
      row('Agent', s.agent ?? '(none)'),
      row('Depends on', s.dependsOn.length === 0 ? '(nothing)' : depsText(s, byId)),
      '  Objectives',
      ...objectiveLines(s, '    '),
    ].join('\n') + '\n'
  );
}

/**
 * The lines `/session-status`, handoffs and `cco plan current` show for the current objective (a planned
 * session in progress). `budgetSource`: give it when the output does not name the budget's source elsewhere.
 */
export function currentObjectiveLines(session: PlannedSession, budget: number, budgetSource?: string): string[] {
  const s = displayAll(session);
  return [
    `Planned session ${s.id}: ${s.title} (in progress${s.startedAt === null ? '' : ` since ${fmtTime(Date.parse(s.startedAt))}`})`,
    `Estimate: ${fmtEstimate(s, budget, budgetSource)} · ${fmtHours(s.hours)}${s.agent === null ? '' : ` · agent ${s.agent}`}`,
    'Objectives:',
    ...objectiveLines(s, '  '),
  ];
}

/** `cco plan current`; a share estimate names the budget's source (`budgetSource`). */
export function renderCurrent(
  session: PlannedSession | null,
  dir: string,
  budget: number,
  cli: string,
  budgetSource: string,
  slash: Slash = pluginSlash,
): string {
  const [s, projectDir] = [displayAll(session), displayAll(dir)];
  if (s === null) return `No planned session is in progress for ${projectDir}. Start one with ${slash('start-next-session')} or \`${cli} plan start <id>\`.\n`;
  return (
    ['CURRENT OBJECTIVE', ...currentObjectiveLines(s, budget, budgetSource).map((l) => `  ${l}`), `  When it is finished: ${cli} plan done ${s.id}`].join(
      '\n',
    ) + '\n'
  );
}

/** What `cco plan start` prints: the session as the objective to work on now; a share estimate names the budget's source. */
export function renderStarted(session: PlannedSession, budget: number, cli: string, budgetSource: string): string {
  const s = displayAll(session);
  return (
    [
      `Started ${s.id}: ${s.title}. It is now the current objective in ${s.projectDir}.`,
      `Estimate: ${fmtEstimate(s, budget, budgetSource)} · ${fmtHours(s.hours)}${s.agent === null ? '' : ` · suggested agent: ${s.agent}`}`,
      'Objectives (work on these now):',
      ...objectiveLines(s, '  '),
      `When it is finished: ${cli} plan done ${s.id}`,
    ].join('\n') + '\n'
  );
}

/** Everything the /start-next-session report shows. */
export interface NextView {
  nowMs: number;
  /** Hours the person has; null when not given. */
  hours: number | null;
  projectDir: string;
  quota: QuotaStatus;
  weekly: WeeklyLimit | null;
  fit: FitResult;
  /** How the follow-up commands start, e.g. `node "/plugin/dist/cli.mjs"`. */
  cli: string;
  timeZone: string;
}

/**
 * The /start-next-session report: quota now (official first, every figure with its source), queue progress,
 * the recommendation, and a NEXT STEP that names the exact command for each option.
 */
export function renderNextReport(view: NextView): string {
  const v = displayAll(view);
  const q = v.quota;
  const avail = v.hours === null ? 'hours not given (not checked)' : `${fmtHours(v.hours)} available`;
  const out: string[] = [`START NEXT SESSION  ·  ${fmtTime(v.nowMs)}  ·  ${avail}`, RULE, 'QUOTA NOW'];
  const row = (k: string, val: string) => out.push(kv(k, val, 17));
  if (q.window === null) row('5-hour window', 'none open: the next session starts a fresh one');
  else row('5-hour window', `resets ${fmtTime(q.window.endMs)}, in ${fmtDuration(q.window.endMs - v.nowMs)}  (${q.window.source})`);
  row('Used', `${q.usedPct.toFixed(1)}%  (${q.usedPctSource})`);
  row('Left', `${fmtInt(q.remaining)} of ${fmtInt(q.budget)} tokens  (${q.budgetSource})`);
  row('Weekly (7-day)', weeklyText(v.weekly, v.nowMs));

  const f = v.fit;
  out.push('', `QUEUE  (${f.scope === 'project' ? `this project: ${v.projectDir}` : `all projects; none planned for ${v.projectDir}`})`);
  if (f.inScope.length === 0) out.push(`  (empty) Plan sessions with the session-planner agent, \`${v.cli} plan add\` or \`${v.cli} plan import <file.md>\`.`);
  else out.push(`  ${queueCounts(f.inScope)}`);
  const cand = new Map(f.candidates.map((c) => [c.session.id, c]));
  const blocked = new Map(f.blocked.map((b) => [b.session.id, b]));
  for (const s of f.inScope) {
    let note: string;
    const c = cand.get(s.id);
    const b = blocked.get(s.id);
    if (c !== undefined)
      note = `${fmtInt(c.tokens)} tokens · ${fmtHours(s.hours)} · ${c.overTokens || c.overHours || c.overWeekly ? 'does not fit now' : 'fits now'}`;
    else if (b !== undefined)
      note = b.blockers.length > 0 ? `waits for ${b.blockers.map((x) => `${x.id} (${x.status.replace('_', ' ')})`).join(', ')}` : 'on a dependency cycle';
    else if (s.status === 'in_progress') note = `started ${s.startedAt === null ? '' : fmtTime(Date.parse(s.startedAt))}`.trim();
    else note = '';
    if (s.status === 'scheduled' && s.scheduledAt !== null) note += ` · scheduled ${fmtZoned(Date.parse(s.scheduledAt), v.timeZone)}`;
    out.push(`  ${s.id.padEnd(4)} ${STATUS_LABEL[s.status].padEnd(12)} ${s.title}${note === '' ? '' : `  (${note.replace(/^ · /, '')})`}`);
  }
  for (const c of f.cycles) out.push(`  ! dependency cycle ${fmtCycle(c)}: these sessions cannot start until it is fixed (not followed)`);

  const ch = f.choice;
  const steps: [string, string | null][] = [];
  if (ch.kind === 'fits-now') {
    out.push('', 'RECOMMENDATION: FITS NOW', ...pickLines(ch.pick, v));
    steps.push([`Start ${ch.pick.session.id} now`, `${v.cli} plan start ${ch.pick.session.id}`]);
    if (ch.alsoFit.length > 0) {
      out.push('  Also fits now:');
      for (const c of ch.alsoFit) {
        out.push(`    ${c.session.id}  ${c.session.title}  (${fmtInt(c.tokens)} tokens · ${fmtHours(c.session.hours)})`);
        steps.push([`Start ${c.session.id} instead`, `${v.cli} plan start ${c.session.id}`]);
      }
    }
  } else if (ch.kind === 'smaller-fit') {
    out.push('', 'RECOMMENDATION: SMALLER SESSIONS FIT NOW');
    out.push(`  Next in the plan: ${ch.first.session.id} ${ch.first.session.title}; it does not fit now: ${whyNot(ch.first, v)}.`);
    if (ch.later !== null) out.push(`  It fits at the ${ch.later.because}: ${laterText(ch.later, v)}.`);
    out.push('  These fit now (plan order):');
    for (const c of ch.fitting) {
      out.push(...pickLines(c, v).map((l) => `  ${l}`));
      steps.push([`Start ${c.session.id} now`, `${v.cli} plan start ${c.session.id}`]);
    }
    if (ch.later !== null)
      steps.push([
        `Schedule ${ch.first.session.id} for the ${ch.later.because}`,
        `${v.cli} plan schedule ${ch.first.session.id} --at ${new Date(ch.later.atMs).toISOString()}`,
      ]);
  } else if (ch.kind === 'later') {
    const c = ch.later.candidate;
    out.push('', 'RECOMMENDATION: NOTHING FITS NOW');
    for (const x of f.candidates) out.push(`  ${x.session.id} ${x.session.title}: ${whyNot(x, v)}.`);
    out.push(`  ${c.session.id} fits at the ${ch.later.because}: ${laterText(ch.later, v)}.`, ...pickLines(c, v));
    steps.push([
      `Schedule ${c.session.id} for the ${ch.later.because}`,
      `${v.cli} plan schedule ${c.session.id} --at ${new Date(ch.later.atMs).toISOString()}`,
    ]);
    steps.push(['Plan every ready session into the coming windows', `${v.cli} plan schedule --all`]);
  } else {
    out.push('', 'RECOMMENDATION: NOTHING TO START');
    if (f.candidates.length === 0) {
      if (f.blocked.length > 0) out.push('  Every ready session waits for a dependency (see QUEUE): finish or start those first.');
      else out.push(`  No ready session is planned. Plan some with the session-planner agent, \`${v.cli} plan add\` or \`${v.cli} plan import <file.md>\`.`);
    } else {
      for (const x of f.candidates) out.push(`  ${x.session.id} ${x.session.title}: ${whyNot(x, v)}; waiting for a reset does not help.`);
      out.push('  Split sessions that are too big with the session-planner agent (cco:session-planner), or give more hours.');
    }
    for (const s of f.inProgress) steps.push([`Mark ${s.id} (in progress) done`, `${v.cli} plan done ${s.id}`]);
  }

  out.push('', 'NEXT STEP');
  for (const s of f.inProgress) out.push(`  Note: ${s.id} ${s.title} is still in progress; when it is finished: ${v.cli} plan done ${s.id}`);
  if (steps.length === 0) out.push('  Nothing to run. Tell the person why, in one or two sentences.');
  else {
    out.push('  Ask the person which option they want. When they answer, run exactly the command of that option:');
    steps.forEach(([what, cmd], k) => {
      out.push(`    ${k + 1}. ${what}:`, `       ${cmd}`);
    });
    out.push(`    ${steps.length + 1}. None of these: run nothing.`);
  }
  return out.join('\n') + '\n';
}

function pickLines(c: Candidate, v: NextView): string[] {
  const s = c.session;
  return [
    `  ${s.id}  ${s.title}`,
    `    Estimate    ${fmtEstimate(s, v.quota.budget)} (${fmtInt(v.quota.remaining)} left now) · ${fmtHours(s.hours)}${v.hours === null ? '' : ` (of ${fmtHours(v.hours)})`}`,
    `    Agent       ${s.agent ?? '(none)'}`,
    `    Project     ${s.projectDir}`,
    '    Objectives',
    ...objectiveLines(s, '      '),
  ];
}

function whyNot(c: Candidate, v: NextView): string {
  const r: string[] = [];
  if (c.overWindow) r.push(`needs ${fmtInt(c.tokens)} tokens, more than a whole window (${fmtInt(v.quota.budget)}): split it`);
  else if (c.overTokens) r.push(`needs ${fmtInt(c.tokens)} tokens, ${fmtInt(v.quota.remaining)} left in this window`);
  if (c.overHours) r.push(`needs ${fmtHours(c.session.hours)}, you have ${v.hours === null ? '?' : fmtHours(v.hours)}`);
  if (c.overWeekly && v.weekly !== null) {
    const cost = weeklyCost(v.weekly, c.tokens);
    r.push(
      cost === null
        ? `the week is at ${v.weekly.usedPct.toFixed(1)}% (cap ${v.weekly.capPct}%)`
        : `it would take the week from ${v.weekly.usedPct.toFixed(1)}% to about ${(v.weekly.usedPct + cost).toFixed(1)}% (cap ${v.weekly.capPct}%)`,
    );
  }
  return r.join('; ') || 'fits';
}

function laterText(l: Later, v: NextView): string {
  const local = v.timeZone === 'UTC' || v.timeZone === 'Etc/UTC' ? '' : ` (${fmtZoned(l.atMs, v.timeZone)})`;
  return `${fmtTime(l.atMs)}${local}, in ${fmtDuration(l.atMs - v.nowMs)}`;
}

function weeklyText(w: WeeklyLimit | null, nowMs: number): string {
  if (w === null) return 'no official 7-day reading yet: not checked';
  return `${w.usedPct.toFixed(1)}% used (official), resets ${fmtTime(w.resetsAtMs)} (in ${fmtDuration(w.resetsAtMs - nowMs)}); cap ${w.capPct}%; cost per session ${w.costSource}`;
}

/** `cco plan schedule --all` / `schedule <id>`: the windows and what went where. */
export function renderSchedule(r: ScheduleResult, queue: SessionQueue, tz: string, nowMs: number): string {
  const q = displayAll(queue);
  const byId = new Map(q.sessions.map((s) => [s.id, s]));
  const out = [`SESSION SCHEDULE  ·  ${fmtTime(nowMs)}  ·  times in ${tz}`, RULE];
  const all = [...r.placements.map((p) => ({ ...p, kept: false })), ...r.kept.filter((k) => k.slot >= 0).map((p) => ({ ...p, kept: true }))];
  for (const slot of r.slots) {
    const inSlot = all.filter((p) => p.slot === slot.index).sort((a, b) => a.startMs - b.startMs);
    const label = slot.index === 0 ? 'Window now' : `Window ${slot.index + 1}`;
    out.push(
      `${label}: ${fmtZoned(slot.startMs, tz).replace(/ \S+$/, '')} → ${fmtZoned(slot.endMs, tz).replace(/ \S+$/, '')} · ${fmtInt(slot.planned)} of ${fmtInt(slot.budget)} tokens planned`,
    );
    if (inSlot.length === 0) out.push('  (nothing planned)');
    for (const p of inSlot) {
      const s = byId.get(p.id);
      out.push(
        `  ${p.id.padEnd(4)} ${fmtZoned(p.startMs, tz).replace(/ \S+$/, '')}-${hhmm(p.endMs, tz)}  ${s?.title ?? ''}  (${fmtInt(p.tokens)} tokens${p.kept ? ', time kept' : ''})`,
      );
    }
  }
  if (r.unplaced.length > 0) {
    out.push('', 'NOT SCHEDULED');
    for (const u of r.unplaced) out.push(`  ${u.id.padEnd(4)} ${byId.get(u.id)?.title ?? ''}: ${unplacedText(u)}`);
  }
  if (r.placements.length === 0 && r.unplaced.length === 0) out.push('', 'No ready session to schedule.');
  return out.join('\n') + '\n';
}

/**
 * Why a session got no time, in words. With `budgetSource` (where the output does not name it elsewhere,
 * e.g. the `schedule <id>` refusal) a too-big session names the window's budget with its source.
 */
export function unplacedText(u: Unplaced, budgetSource?: string): string {
  switch (u.kind) {
    case 'cycle':
      return `dependency cycle ${fmtCycle(u.cycle)} (fix the dependencies)`;
    case 'blocked':
      return `depends on ${u.blockers.map((b) => `${b.id} (${b.status})`).join(', ')}, which will not be done`;
    case 'waits':
      return `waits for ${u.on}, which has no time`;
    case 'too-big':
      return budgetSource === undefined
        ? `needs ${fmtInt(u.tokens)} tokens, more than a whole window (${fmtInt(u.budget)}): split it`
        : `needs ${fmtInt(u.tokens)} tokens, more than a whole window of ${fmtInt(u.budget)} tokens (${budgetSource}): split it`;
    case 'too-long':
      return `needs ${fmtHours(u.hours)}, longer than a 5-hour window: split it, or set a time with --at`;
    case 'no-window':
      return `no window in the next ${u.horizonDays} days has room (tokens, working hours or the weekly cap)`;
  }
}

/** What SessionStart shows when scheduled sessions of the project are due. */
export function renderDueAnnouncement(
  dueSessions: readonly PlannedSession[],
  nowMs: number,
  slash: Slash = pluginSlash,
): { systemMessage: string; additionalContext: string } {
  const due = displayAll(dueSessions);
  const list = due.map(
    (s) =>
      `${s.id} "${s.title}" (scheduled ${fmtTime(Date.parse(s.scheduledAt!))}${Date.parse(s.scheduledAt!) < nowMs - 3_600_000 ? `, ${fmtDuration(nowMs - Date.parse(s.scheduledAt!))} ago` : ''})`,
  );
  const systemMessage = `cco: planned session${due.length === 1 ? '' : 's'} due now: ${list.join('; ')}. Type ${slash('start-next-session')} to start ${due.length === 1 ? 'it' : 'one'}.`;
  const additionalContext = [
    `The user's session plan (cco) has ${due.length === 1 ? 'a session' : 'sessions'} scheduled for now in this project:`,
    ...due.flatMap((s) => [
      `- ${s.id} ${s.title} (${fmtHours(s.hours)}${s.agent === null ? '' : `, agent ${s.agent}`}). Objectives:`,
      ...objectiveLines(s, '    '),
    ]),
    `Mention this to the user once. Do not start it unless they ask; ${slash('start-next-session')} checks the quota and starts it.`,
  ].join('\n');
  return { systemMessage, additionalContext };
}
