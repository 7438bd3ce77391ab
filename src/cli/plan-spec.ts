// The command lines of `cco plan` and its actions (see args.ts).
import { command } from './args.ts';

const json = (what: string) => ({ type: 'boolean', help: `print ${what} as JSON` }) as const;
const project = { type: 'string', arg: '<dir>', help: 'the project directory (default: the current directory)' } as const;

/**
 * The largest markdown plan `cco plan import` reads (bytes). The CommonMark parser takes seconds per
 * 100 KiB (more with deep nesting), so a file far past any plan is refused at once, not parsed for minutes.
 */
export const PLAN_FILE_MAX_BYTES = 64 * 1024;

/** The format `cco plan import` reads (its --help). */
const IMPORT_FORMAT = [
  'The file: one "## Title" heading per session, then bullets:',
  '  - tokens: 120000   (or "- share: 0.5" of a window; a session larger than one window is refused: split it)',
  '  - hours: 2',
  '  - agent: <name>                   (optional: built in such as Explore, .claude/agents/<name>.md, or plugin:name)',
  '  - depends: s1, <title in this plan>   (optional)',
  '  - project: /abs/dir               (optional; also allowed once before the first heading)',
  '  - any other bullet is an objective',
  'Read as CommonMark: a bullet may wrap onto more lines; code blocks, HTML comments and block quotes are not read.',
  `At most ${PLAN_FILE_MAX_BYTES / 1024} KiB (some 400 sessions).`,
  'Re-importing updates sessions with the same project and title in place (same ids).',
  'A title another queued session has is imported anyway, with a warning naming that session.',
];

export const PLAN = command({
  name: 'plan',
  summary: 'The planned-session queue: sessions sized to fit a 5-hour window, scheduled and started in turn.',
  options: {},
});

const id = { synopsis: '<id>', min: 1, max: 1 };

export const PLAN_ACTIONS = {
  add: command({
    name: 'plan add',
    summary: 'Adds a planned session to the queue.',
    synopsis: '--title <t> (--tokens <n> | --share <0-1>) --hours <h> [--objective <text>]... [--agent <name>] [--depends <id,...>]... [--project <dir>]',
    options: {
      title: { type: 'string', arg: '<t>', help: 'its title (required)' },
      tokens: { type: 'string', arg: '<n>', help: 'its estimate in counted tokens (120000 or 120k)' },
      share: { type: 'string', arg: '<0-1>', help: 'or its estimate as a share of one window (0.5 or 50%)' },
      hours: { type: 'string', arg: '<h>', help: 'how long it takes, 0.5 to 12 (required)' },
      objective: { type: 'string', multiple: true, arg: '<text>', help: 'an objective (repeat for more)' },
      agent: { type: 'string', arg: '<name>', help: 'the agent to run it with' },
      depends: { type: 'string', multiple: true, arg: '<id,...>', help: 'sessions that must be done first' },
      project,
    },
  }),
  list: command({ name: 'plan list', summary: 'Lists the queue.', options: { json: json('the queue') } }),
  show: command({ name: 'plan show', summary: 'Shows one planned session.', positionals: id, options: { json: json('the session') } }),
  start: command({
    name: 'plan start',
    summary: 'Starts a planned session: its objectives become the current objective of its project.',
    positionals: id,
    options: { force: { type: 'boolean', help: 'start it although sessions it depends on are not done' } },
  }),
  done: command({ name: 'plan done', summary: 'Marks a planned session done.', positionals: id, options: {} }),
  skip: command({ name: 'plan skip', summary: 'Marks a planned session skipped.', positionals: id, options: {} }),
  remove: command({ name: 'plan remove', summary: 'Removes a planned session (its id is not reused).', positionals: id, options: {} }),
  import: command({
    name: 'plan import',
    summary: 'Adds (or updates) the sessions of a markdown plan.',
    positionals: { synopsis: '<plan.md>', min: 1, max: 1 },
    options: { project: { ...project, help: "the project of sessions that name none (default: the file's, else the current directory)" } },
    more: IMPORT_FORMAT,
  }),
  schedule: command({
    name: 'plan schedule',
    summary: 'Schedules one session (at a time, or the first place it fits) or every ready one.',
    synopsis: '<id> [--at <time>] | --all',
    positionals: { synopsis: '<id>', min: 0, max: 1 },
    options: {
      at: { type: 'string', arg: '<time>', help: 'ISO-8601 (2026-11-20T14:00:00Z), or 2026-11-20T15:00 in the planning time zone' },
      all: { type: 'boolean', help: 'schedule every ready session over the coming windows' },
    },
  }),
  next: command({
    name: 'plan next',
    summary: 'The /start-next-session report: which planned session fits the time and quota you have.',
    positionals: { synopsis: '[hours]', min: 0, max: 1 },
    options: { json: json('its data: quota (as status --json figures come from), weekly limit, the fit and its choice; times in epoch ms') },
    more: ['hours: the time you have, 0.5 to 12 (default: not checked).'],
  }),
  current: command({
    name: 'plan current',
    summary: 'The planned session in progress in a project.',
    options: { project, json: json('the session (null when none)') },
  }),
};
