import { describe, expect, it } from 'vitest';
import { command, groupHelpText, helpText, parseCommand, splitAction, wantsHelp, wantsVersion } from '../../src/cli/args.ts';
import { errorOutcome } from '../../src/cli/error-line.ts';
import { CommandFailure, UsageError } from '../../src/cli/errors.ts';

const SPEC = command({
  name: 'plan add',
  summary: 'Adds one.',
  positionals: { synopsis: '<id> [more]', min: 1, max: 2 },
  options: {
    title: { type: 'string', arg: '<t>', help: 'the title' },
    objective: { type: 'string', multiple: true, arg: '<text>', help: 'an objective' },
    json: { type: 'boolean', help: 'as JSON' },
  },
  more: ['A last line.'],
});

const usage = (args: string[]): UsageError => {
  try {
    parseCommand(SPEC, args);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`no UsageError for ${args.join(' ')}`);
};

describe('parseCommand (node:util parseArgs, strict)', () => {
  it('reads --name value, --name=value, repeated options and positionals', () => {
    expect(parseCommand(SPEC, ['s1', '--title', 'A b', '--objective=x', '--objective', 'y', '--json'])).toEqual({
      values: { title: 'A b', objective: ['x', 'y'], json: true },
      positionals: ['s1'],
    });
    expect(parseCommand(SPEC, ['s1', '--', '--not-an-option']).positionals).toEqual(['s1', '--not-an-option']);
  });

  it('refuses what it does not know, in one line naming the option and the command', () => {
    expect(usage(['s1', '--bogus'])).toMatchObject({ message: 'unknown option --bogus', command: 'plan add' });
    expect(usage(['s1', '-x']).message).toBe('unknown option -x');
    expect(usage(['s1', '--title']).message).toBe('--title needs a value');
    expect(usage(['s1', '--title', '--json']).message).toBe('--title needs a value (for one that starts with "-", write --title=--json)');
    expect(usage(['s1', '--json=yes']).message).toBe('--json takes no value');
    expect(usage([]).message).toBe('missing <id>');
    expect(usage(['a', 'b', 'c']).message).toBe('unexpected argument "c"');
    expect(parseCommand(SPEC, ['s1', '--title=-dash']).values.title).toBe('-dash');
  });

  it('takes no positional from a command that has none', () => {
    const none = command({ name: 'status', summary: 's', options: {} });
    expect(() => parseCommand(none, ['x'])).toThrow(new UsageError('unexpected argument "x"', 'status'));
  });
});

describe('help and version requests', () => {
  it('count before "--" only', () => {
    expect(wantsHelp(['a', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsVersion(['--json', '-V'])).toBe(true);
    expect(wantsVersion(['--', '--version'])).toBe(false);
  });

  it('the help starts with Usage: cco <name>, lists every option, and says how cco is run when it is not on PATH', () => {
    const text = helpText(SPEC);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Usage: cco plan add <id> [more] [--title <t>] [--objective <text>]... [--json]');
    for (const o of ['--title <t>', '--objective <text>', '--json', '-h, --help']) expect(lines.some((l) => l.startsWith(`  ${o} `))).toBe(true);
    expect(text).toContain('A last line.');
    expect(text).not.toContain('run as');
    expect(helpText(SPEC, 'node "/p/dist/cli.mjs"').trimEnd().split('\n').at(-1)).toBe('Here cco is run as: node "/p/dist/cli.mjs"');
  });

  it('a command with actions lists them, each with its synopsis', () => {
    const group = command({ name: 'plan', summary: 'The queue.', options: {} });
    const text = groupHelpText(group, { add: SPEC });
    expect(text.split('\n')[0]).toBe('Usage: cco plan <action> [options]');
    expect(text).toContain('  add <id> [more] [--title <t>] [--objective <text>]... [--json]\n      Adds one.');
  });
});

describe('splitAction', () => {
  const group = command({ name: 'plan', summary: 'q', options: {} });
  it('splits off a known action; a missing or unknown one, or an option first, is a usage error of the group', () => {
    expect(splitAction(group, { add: SPEC }, ['add', '--json'])).toEqual({ action: 'add', rest: ['--json'] });
    expect(() => splitAction(group, { add: SPEC }, [])).toThrow(new UsageError('needs an action: add', 'plan'));
    expect(() => splitAction(group, { add: SPEC }, ['nope'])).toThrow(new UsageError('unknown action "nope" (actions: add)', 'plan'));
    expect(() => splitAction(group, { add: SPEC }, ['--x'])).toThrow(new UsageError('unknown option --x (actions: add)', 'plan'));
    expect(() => splitAction(group, { add: SPEC }, ['toString'])).toThrow(UsageError);
  });
});

describe('errorOutcome: one line and the exit code', () => {
  it('usage errors exit 2 and point at the help of the command they name, as cco is run', () => {
    expect(errorOutcome(new UsageError('unknown option --x', 'plan add'), 'plan', 'cco')).toEqual({
      line: 'cco plan add: unknown option --x; see cco plan add --help\n',
      code: 2,
      log: false,
    });
    expect(errorOutcome(new UsageError('--wait-ms needs a value'), 'sync', 'node "/p/dist/cli.mjs"').line).toBe(
      'cco sync: --wait-ms needs a value; see node "/p/dist/cli.mjs" sync --help\n',
    );
    expect(errorOutcome(new UsageError('unknown command "x"'), null, 'cco').line).toBe('cco: unknown command "x"; see cco --help\n');
  });

  it('failures exit 1 with their whole message on one line; unexpected errors are logged, fs errors point at cco doctor', () => {
    expect(errorOutcome(new CommandFailure('no tracked session with id x\nmore'), 'status', 'cco')).toEqual({
      line: 'cco status: no tracked session with id x\\nmore\n',
      code: 1,
      log: false,
    });
    const fsError = Object.assign(new Error("EACCES: permission denied, open '/s/q.json'"), { code: 'EACCES', path: '/s/q.json' });
    expect(errorOutcome(fsError, 'status', 'cco')).toEqual({
      line: "cco status: EACCES: permission denied, open '/s/q.json' (cco doctor checks the state dirs)\n",
      code: 1,
      log: true,
    });
    expect(errorOutcome('boom', 'report', 'cco')).toEqual({ line: 'cco report: boom\n', code: 1, log: true });
  });

  it('a message quoting input with a line break is shown whole, the break escaped visibly, on one line', () => {
    const quoted = (m: string, e: unknown = new CommandFailure(m)) => errorOutcome(e, 'plan', 'cco').line;
    // A line feed as the two characters \n; the quote is not cut, whatever follows it is kept.
    expect(quoted('line 3: hours must be a number from 0.5 to 12, not "2\nINJECTED" (the format: cco plan import --help)')).toBe(
      'cco plan: line 3: hours must be a number from 0.5 to 12, not "2\\nINJECTED" (the format: cco plan import --help)\n',
    );
    // CR, CR LF, U+2028, U+2029 and NEL: each visible, none a line break; the tab stays.
    expect(quoted('a\rb\r\nc\u2028d\u2029e\u0085f\tg')).toBe('cco plan: a\\u000db\\u000d\\nc\\u2028d\\u2029e\\u0085f\tg\n');
    // A usage error and an unexpected error alike; a trailing line break is no part of the message.
    expect(errorOutcome(new UsageError('--agent must be one name, not "a\nb"', 'plan add'), null, 'cco').line).toBe(
      'cco plan add: --agent must be one name, not "a\\nb"; see cco plan add --help\n',
    );
    expect(quoted('', new Error('first\nsecond\n'))).toBe('cco plan: first\\nsecond\n');
    for (const m of ['x\ny', 'x\r\ny', 'x\u2028y', 'x\ry\n\n']) expect(quoted(m).split(/[\n\r\u2028\u2029\u0085]/)).toEqual([expect.stringContaining('x'), '']);
  });
});
