// The command lines of the `cco` subcommands without actions (`handoff` and `plan`: handoff-spec.ts,
// plan-spec.ts): what each accepts and how its --help reads. Data only, so `cco <sub> --help` loads
// nothing of the command itself.
import { command } from './args.ts';

// The status line's spec lives beside its parser: the status line front bundles that, and not the rest here.
export { STATUSLINE } from './statusline-args.ts';

const session = {
  type: 'string',
  arg: '<id>',
  help: 'the session (default: CLAUDE_CODE_SESSION_ID, else the latest seen in this directory, else the latest)',
} as const;
const json = (what: string) => ({ type: 'boolean', help: `print ${what} as JSON` }) as const;
const keepTurns = {
  type: 'string',
  arg: '<n>',
  help: 'the last n turns count as recent and are kept (whole number >= 1; default: config context.keepTurns, else 10)',
} as const;

export const STATUS = command({
  name: 'status',
  summary: 'The /session-status report: 5-hour window, token quota, session, context window and the sessions on this machine.',
  options: { session, json: json('the figures (window, quota with its sources, session, context)') },
});

export const REPORT = command({
  name: 'report',
  summary: 'Usage of every transcript under the config dirs: totals, sessions, 5-hour blocks, models, days.',
  options: { json: json('the report'), 'no-cache': { type: 'boolean', help: 'read every transcript from its first byte and write no cache' } },
});

export const SESSIONS = command({
  name: 'sessions',
  summary: 'Live and recent sessions on this machine: share of the window, burn rate, context, memory.',
  options: { json: json('the view (times in epoch ms, memory in bytes)') },
});

export const TOOLS = command({
  name: 'tools',
  summary: 'Tool calls, their tokens, share and average per tool, subagent type and MCP server.',
  options: { session: { ...session, help: 'only this session (its main and subagent transcripts)' }, json: json('the report') },
});

export const CONTEXT = command({
  name: 'context',
  summary: 'The /context-status report: the context window, its level, what fills it, what could go.',
  options: { session, json: json('the report'), 'keep-turns': keepTurns },
});

export const COMPACT_PLAN = command({
  name: 'compact-plan',
  summary: 'The /compact-context plan: what can go from the context, what to keep, and the exact /compact line.',
  options: { session, json: json('the plan'), 'keep-turns': keepTurns },
});

export const CALENDAR = command({
  name: 'calendar',
  summary: 'Writes .ics files of the scheduled sessions: session-<n>.ics each, all-sessions.ics for all.',
  options: { out: { type: 'string', arg: '<dir>', help: 'where to write them (default: <state dir>/calendar)' } },
});

export const DOCTOR = command({
  name: 'doctor',
  summary: 'Checks the install, hooks, state files and transcripts; one line each, ok or what to fix. Changes nothing.',
  options: {
    json: json('the results'),
    'exit-zero': { type: 'boolean', help: 'exit 0 even when a check needs a fix (for /cco:doctor, which shows nothing of a failing command)' },
  },
  more: ['Exit status: 0 when every check is ok, 1 when one needs a fix, 2 for a bad command line.'],
});

export const SYNC = command({
  name: 'sync',
  summary: 'Tracks the hook events still waiting for the background tracker, now.',
  options: { 'wait-ms': { type: 'string', arg: '<ms>', help: 'how long to wait for a tracker already at it (whole ms; default 10000)' } },
  more: ['Exit status: 0 when no event is left waiting, 1 when some are (a tracker still holds the lock).'],
});
