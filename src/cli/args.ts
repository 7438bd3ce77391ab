// The one way every `cco` subcommand (and every action of `handoff` and `plan`) reads its command line:
// node:util parseArgs in strict mode, driven by a CommandSpec that also writes the command's --help.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** A string option that may be given more than once: its values in order. */
  multiple?: boolean;
  /** What the value is, for the help (`<id>`, `<ms>`). String options only; default `<value>`. */
  arg?: string;
  /** One line for the help. */
  help: string;
}

/** A command's command line: what it accepts and how its --help reads. */
export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** The words after `cco`: `status`, `plan add`. */
  name: string;
  /** What it does, one line. */
  summary: string;
  /** Its positional arguments: their synopsis (`<id>`, `[hours]`) and how many it takes. Absent: none. */
  positionals?: { synopsis: string; min: number; max: number };
  options: O;
  /** The synopsis after `cco <name>`, when the one made from the options (each in brackets) is not right. */
  synopsis?: string;
  /** Lines after the options: formats, exit codes. */
  more?: readonly string[];
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : string;
/** The parsed options: each one given, under its name; absent when not given. */
export type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: ValueOf<O[K]> };

/** Declares a CommandSpec, keeping its option names and types for `parseCommand`. */
export function command<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/**
 * Parses `args` (the words after the command's name) by `spec` with node:util `parseArgs`, strict:
 * `--name value`, `--name=value`, repeated `multiple` options, positionals up to `spec.positionals`.
 *
 * @returns the options given (by name) and the positionals
 * @throws UsageError (with `spec.name`) for an unknown option, a missing value, a value given to a
 *   boolean option, and too many or too few positionals
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  args: readonly string[],
): { values: Values<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: nodeOptions(spec), strict: true, allowPositionals: spec.positionals !== undefined });
  } catch (e) {
    throw new UsageError(whatIsWrong(spec, args, e), spec.name);
  }
  const p = spec.positionals;
  const n = parsed.positionals.length;
  if (p !== undefined && n > p.max) throw new UsageError(`unexpected argument "${parsed.positionals[p.max]}"`, spec.name);
  if (p !== undefined && n < p.min) throw new UsageError(`missing ${p.synopsis.split(' ')[n] ?? p.synopsis}`, spec.name);
  return { values: parsed.values as Values<O>, positionals: parsed.positionals };
}

/** True when `args` ask for help: `--help` or `-h` before any `--`. */
export function wantsHelp(args: readonly string[]): boolean {
  return beforeDashDash(args).some((a) => a === '--help' || a === '-h');
}

/** True when `args` ask for the version: `--version` or `-V` before any `--`. */
export function wantsVersion(args: readonly string[]): boolean {
  return beforeDashDash(args).some((a) => a === '--version' || a === '-V');
}

/**
 * The --help of a command: `Usage: cco <name> <synopsis>`, its summary, its options (and -h, --help),
 * then `spec.more`. When `self` is not `cco` (the bundle run by its path), a last line says how to run
 * it. Pure.
 */
export function helpText(spec: CommandSpec, self = 'cco'): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => [
    o.type === 'boolean' ? `--${name}` : `--${name} ${o.arg ?? '<value>'}`,
    o.help,
  ]);
  rows.push(['-h, --help', 'print this help']);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `Usage: cco ${spec.name} ${synopsis(spec)}`.trimEnd(),
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    ...(spec.more === undefined ? [] : ['', ...spec.more]),
    ...runAs(self),
    '',
  ].join('\n');
}

/**
 * The --help of a command with actions (`cco plan`, `cco handoff`): `Usage: cco <name> <action> ...`,
 * its summary, then each action's synopsis and summary. Pure.
 */
export function groupHelpText(spec: CommandSpec, actions: Readonly<Record<string, CommandSpec>>, self = 'cco'): string {
  const rows = Object.values(actions).map((a) => [`${a.name.split(' ').at(-1)} ${synopsis(a)}`.trimEnd(), a.summary] as const);
  return [
    `Usage: cco ${spec.name} <action> [options]`,
    '',
    spec.summary,
    '',
    'Actions:',
    ...rows.flatMap(([k, v]) => [`  ${k}`, `      ${v}`]),
    '',
    `cco ${spec.name} <action> --help shows an action's options.`,
    ...runAs(self),
    '',
  ].join('\n');
}

/** The synopsis after `cco <name>`: `spec.synopsis`, else the positionals, then every option in brackets. */
export function synopsis(spec: CommandSpec): string {
  if (spec.synopsis !== undefined) return spec.synopsis;
  const opts = Object.entries(spec.options).map(
    ([name, o]) => `[--${name}${o.type === 'string' ? ` ${o.arg ?? '<value>'}` : ''}]${o.multiple === true ? '...' : ''}`,
  );
  return [...(spec.positionals === undefined ? [] : [spec.positionals.synopsis]), ...opts].join(' ');
}

function runAs(self: string): string[] {
  return self === 'cco' ? [] : ['', `Here cco is run as: ${self}`];
}

function beforeDashDash(args: readonly string[]): readonly string[] {
  const i = args.indexOf('--');
  return i < 0 ? args : args.slice(0, i);
}

function nodeOptions(spec: CommandSpec): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  return Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, o.multiple === true ? { type: o.type, multiple: true } : { type: o.type }]));
}

/**
 * Why the strict parse failed, in our words: the first offending token of a lenient parse of the same
 * arguments (node's own message, first line, when none is found).
 */
function whatIsWrong(spec: CommandSpec, args: readonly string[], e: unknown): string {
  const { tokens } = parseArgs({ args: [...args], options: nodeOptions(spec), strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional' && spec.positionals === undefined) return `unexpected argument "${t.value}"`;
    if (t.kind !== 'option') continue;
    const o = Object.hasOwn(spec.options, t.name) ? spec.options[t.name] : undefined;
    if (o === undefined) return `unknown option ${t.rawName}`;
    if (o.type === 'boolean' && t.value !== undefined) return `${t.rawName} takes no value`;
    if (o.type === 'string' && t.value === undefined) return `${t.rawName} needs a value`;
    // Strict parsing takes no value that starts with "-" after a space: it is likelier a forgotten value.
    if (o.type === 'string' && t.inlineValue === false && t.value!.startsWith('-'))
      return `${t.rawName} needs a value (for one that starts with "-", write ${t.rawName}=${t.value})`;
  }
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/**
 * Splits the arguments of a command with actions (`cco plan add ...`) into the action and its own
 * arguments.
 * @throws UsageError (with `group.name`) when the action is missing or unknown
 */
export function splitAction<A extends Record<string, CommandSpec>>(
  group: CommandSpec,
  actions: A,
  args: readonly string[],
): { action: keyof A & string; rest: string[] } {
  const [first, ...rest] = args;
  const names = Object.keys(actions);
  if (first === undefined) throw new UsageError(`needs an action: ${names.join(', ')}`, group.name);
  if (!Object.hasOwn(actions, first))
    throw new UsageError(`${first.startsWith('-') ? `unknown option ${first}` : `unknown action "${first}"`} (actions: ${names.join(', ')})`, group.name);
  return { action: first, rest };
}
