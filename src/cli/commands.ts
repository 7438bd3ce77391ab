import { groupHelpText, helpText, parseCommand, splitAction, type CommandSpec } from './args.ts';
import type { CommandRun } from './command.ts';
import { HANDOFF, HANDOFF_ACTIONS } from './handoff-spec.ts';
import { PLAN, PLAN_ACTIONS } from './plan-spec.ts';
import { CALENDAR, COMPACT_PLAN, CONTEXT, DOCTOR, REPORT, SESSIONS, STATUS, STATUSLINE, SYNC, TOOLS } from './specs.ts';

/** A `cco` subcommand: its command line, and its code, loaded only when it runs. */
export interface CommandEntry {
  spec: CommandSpec;
  /** The actions of a command that has them (`plan add`, `handoff save`): each with its own command line and help. */
  actions?: Readonly<Record<string, CommandSpec>>;
  load: () => Promise<{ run: CommandRun }>;
  /** false: it does not wait for the background tracker first. */
  settle?: false;
  /** true: a report that leaves no work behind once its run resolves (the process ends once its output is flushed). */
  report?: true;
}

/** Every subcommand, by name; each loaded lazily so that it pays only for its own imports. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  status: { spec: STATUS, load: () => import('./status.ts'), report: true },
  report: { spec: REPORT, load: () => import('./report-command.ts'), report: true },
  sessions: { spec: SESSIONS, load: () => import('./sessions.ts'), report: true },
  tools: { spec: TOOLS, load: () => import('./tools.ts'), report: true },
  context: { spec: CONTEXT, load: () => import('./context.ts'), report: true },
  'compact-plan': { spec: COMPACT_PLAN, load: () => import('./compact-plan.ts'), report: true },
  handoff: { spec: HANDOFF, actions: HANDOFF_ACTIONS, load: () => import('./handoff.ts') },
  plan: { spec: PLAN, actions: PLAN_ACTIONS, load: () => import('./plan.ts') },
  calendar: { spec: CALENDAR, load: () => import('./calendar.ts'), settle: false },
  doctor: { spec: DOCTOR, load: () => import('./doctor.ts'), settle: false },
  statusline: { spec: STATUSLINE, load: () => import('./statusline.ts'), settle: false },
  sync: { spec: SYNC, load: () => import('./sync.ts'), settle: false },
};

/** The entry of subcommand `name`, or undefined. */
export function commandEntry(name: string): CommandEntry | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/**
 * Checks `args` against the command line of `entry` (and of the action they name), so that a bad one
 * is refused before anything runs (no tracker settle). The command parses them again for their values.
 * @throws UsageError as parseCommand and splitAction do
 */
export function checkCommandLine(entry: CommandEntry, args: readonly string[]): void {
  if (entry.actions === undefined) {
    parseCommand(entry.spec, args);
    return;
  }
  const { action, rest } = splitAction(entry.spec, entry.actions, args);
  parseCommand(entry.actions[action]!, rest);
}

/** `cco --help`: every subcommand with its summary, and the exit codes. Pure. */
export function mainHelpText(self = 'cco'): string {
  const rows: [string, string][] = [
    ...Object.entries(COMMANDS).map(([name, c]): [string, string] => [c.actions === undefined ? name : `${name} <action>`, c.spec.summary]),
    ['help [<command>]', "this text, or a command's help"],
    ['version', "print cco's version (also --version, -V)"],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    'Usage: cco <command> [options]',
    '',
    'cco: Claude Code quota and context tracker.',
    '',
    'Commands:',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    'cco <command> --help shows its options.',
    'Exit status: 0 done, 1 failed (one line on stderr says why), 2 bad command line.',
    ...(self === 'cco' ? [] : ['', `Here cco is run as: ${self}`]),
    '',
  ].join('\n');
}

/**
 * The --help of `entry` for its arguments `args`: the action's when `args[0]` names one of its actions,
 * else the command's (an overview of the actions for a command that has them). Pure.
 */
export function commandHelpText(entry: CommandEntry, args: readonly string[], self = 'cco'): string {
  if (entry.actions === undefined) return helpText(entry.spec, self);
  const action = args[0] !== undefined && Object.hasOwn(entry.actions, args[0]) ? entry.actions[args[0]] : undefined;
  return action === undefined ? groupHelpText(entry.spec, entry.actions, self) : helpText(action, self);
}
