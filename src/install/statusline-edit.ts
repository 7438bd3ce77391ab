/**
 * Pure edits of the `statusLine` key of the user's `settings.json` (interface reference §5.1): a plugin
 * cannot set it (§2.1), so install.sh does. Values in, values out; the I/O is in `commands.ts`.
 *
 * Ours runs the repository's own bundle, a stable path across plugin versions (never the versioned
 * plugin cache; Claude Code gives the status line command no CLAUDE_PLUGIN_ROOT):
 *
 *   { "type": "command", "command": "node \"<repo>/dist/statusline.cjs\"", "padding": 0 }
 *
 * Wrapping keeps the user's other keys (padding, refreshInterval, ...) and runs their command first:
 *
 *   { ...theirs, "type": "command", "command": "node \"<repo>/dist/statusline.cjs\" --wrap '<their command>'" }
 *
 * dist/statusline.cjs is the status line front (about one bare `node` start); installs before it ran
 * `node "<repo>/dist/cli.mjs" statusline` (the same line, slower), which is still recognised as ours.
 */
import { isJsonObject, jsonEqual, SettingsShapeError, type Json, type JsonObject } from './settings-edit.ts';

/**
 * What install does with the status line (`--statusline`):
 * - `auto` (default): set ours only when none is set; leave the user's own and say how to opt in.
 * - `wrap`: wrap theirs (`--wrap`, ours appended on the same line); `wrap-silent`: wrap with
 *   `--wrap-mode silent` (only theirs shown, ours still saves the official readings).
 * - `replace`: ours instead of theirs (theirs is kept in the manifest and put back on uninstall).
 * - `skip`: do not touch `statusLine`.
 * Without a status line of theirs, `wrap`, `wrap-silent` and `replace` set ours like `auto`.
 */
export type StatusLineChoice = 'auto' | 'wrap' | 'wrap-silent' | 'replace' | 'skip';
export const STATUS_LINE_CHOICES: readonly StatusLineChoice[] = ['auto', 'wrap', 'wrap-silent', 'replace', 'skip'];

/** How the statusLine we wrote was made: `own` (there was none), or the choice applied to theirs. */
export type StatusLineMode = 'own' | 'wrap' | 'wrap-silent' | 'replace';

/** What install did to `statusLine`; stored in the install manifest so uninstall undoes exactly that. */
export interface StatusLineChange {
  /** `created`: there was no statusLine (uninstall deletes the key); `replaced`: `previous` held one. */
  status: 'created' | 'replaced';
  mode: StatusLineMode;
  /** The statusLine value we wrote. */
  value: Json;
  /** The user's statusLine exactly as it was (only for `replaced`); uninstall puts it back. */
  previous?: Json;
  /**
   * `previous` as the user's file spelled it (its source text: numbers JSON.parse would round, comments
   * inside it); uninstall writes these bytes back when they still parse to `previous`. Absent in
   * manifests of earlier installs.
   */
  previousText?: string;
}

/** What `planStatusLine` decided. */
export type StatusLinePlan =
  | { action: 'set'; settings: JsonObject; change: StatusLineChange }
  | { action: 'keep'; why: 'present' | 'theirs' | 'skip' | 'not-wrappable'; message: string };

/** How the current statusLine stands, for install.sh's question. */
export type StatusLineState = { kind: 'none' } | { kind: 'ours' } | { kind: 'theirs'; description: string };

/** Quotes a word for `sh`: in double quotes when nothing in it is special there, else in single quotes. */
export function shQuote(s: string): string {
  return /["$`\\!]/.test(s) ? shSingleQuote(s) : `"${s}"`;
}

/** Single-quotes any text for `sh` (their command is passed verbatim, nothing in it is expanded by the outer shell). */
function shSingleQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `node "<repo>/dist/statusline.cjs"`: the command prefix every statusLine of ours starts with. */
function ourCommandPrefix(repoRoot: string): string {
  return `node ${shQuote(`${repoRoot.replace(/\/+$/, '')}/dist/statusline.cjs`)}`;
}

/** The prefix earlier installs wrote (`node "<repo>/dist/cli.mjs" statusline`): still ours. */
function legacyCommandPrefix(repoRoot: string): string {
  return `node ${shQuote(`${repoRoot.replace(/\/+$/, '')}/dist/cli.mjs`)} statusline`;
}

/** Our status line command, optionally wrapping `wrap.command`. */
export function ourStatusLineCommand(repoRoot: string, wrap?: { command: string; silent: boolean }): string {
  const base = ourCommandPrefix(repoRoot);
  if (wrap === undefined) return base;
  return `${base} --wrap ${shSingleQuote(wrap.command)}${wrap.silent ? ' --wrap-mode silent' : ''}`;
}

/** Our statusLine value when there is nothing to wrap. */
function ownStatusLine(repoRoot: string): JsonObject {
  return { type: 'command', command: ourStatusLineCommand(repoRoot), padding: 0 };
}

/** True when `value` is a statusLine whose command is ours for `repoRoot` (set by install or by hand). */
function isOurStatusLine(value: Json | undefined, repoRoot: string): boolean {
  if (!isJsonObject(value) || typeof value.command !== 'string') return false;
  const cmd = value.command;
  return [ourCommandPrefix(repoRoot), legacyCommandPrefix(repoRoot)].some((prefix) => cmd === prefix || cmd.startsWith(`${prefix} `));
}

/** The command of a statusLine we can wrap (`type` command or absent, a non-blank `command` string), else null. */
function wrappableCommand(value: Json | undefined): string | null {
  if (!isJsonObject(value)) return null;
  if (value.type !== undefined && value.type !== 'command') return null;
  return typeof value.command === 'string' && value.command.trim() !== '' ? value.command : null;
}

/**
 * Classifies the current statusLine: none, ours (for `repoRoot`, or exactly what a previous install
 * wrote, `prior`), or theirs (with a one-line description: its command, or its JSON).
 */
export function statusLineState(settings: JsonObject, repoRoot: string, prior?: StatusLineChange): StatusLineState {
  const cur = settings.statusLine;
  if (cur === undefined) return { kind: 'none' };
  if (isOurStatusLine(cur, repoRoot) || (prior !== undefined && jsonEqual(cur, prior.value))) return { kind: 'ours' };
  const cmd = isJsonObject(cur) && typeof cur.command === 'string' ? cur.command : JSON.stringify(cur);
  return { kind: 'theirs', description: cmd.replace(/\s+/g, ' ').trim() };
}

/**
 * Decides what to do with `settings.statusLine`.
 *
 * - `skip`: keep.
 * - The current value is what a previous install wrote (`prior.value`): it is recomputed from the user's
 *   original (`prior.previous`, or none), so a new repo path or another choice applies and uninstall
 *   still restores the original; `auto` keeps the earlier mode. Unchanged -> keep `present`.
 * - The current value is ours but not recorded (set by hand, or the manifest is gone): keep `present`
 *   (and uninstall will not touch it).
 * - No statusLine: set ours (`created`).
 * - Theirs: `auto` keeps it (`theirs`, with a message on how to opt in); `wrap` / `wrap-silent` wrap it
 *   when it is a command (else keep `not-wrappable`); `replace` sets ours. Both record it as `previous`.
 *
 * The input is not mutated; every other key keeps its value and position.
 *
 * @throws SettingsShapeError when `settings` is not an object
 */
export function planStatusLine(
  settings: unknown,
  o: { repoRoot: string; choice: StatusLineChoice; prior?: StatusLineChange; via?: 'install' | 'setup' },
): StatusLinePlan {
  // How the person opts in, in the words of what they ran: install.sh's flags or /cco:setup's arguments.
  const how =
    o.via === 'setup'
      ? { wrap: '/cco:setup wrap', silent: '', replace: '/cco:setup replace' }
      : { wrap: './install.sh --statusline wrap', silent: '; --statusline wrap-silent shows only yours', replace: '--statusline replace' };
  if (!isJsonObject(settings)) throw new SettingsShapeError('settings.json: top level is not an object');
  if (o.choice === 'skip') return { action: 'keep', why: 'skip', message: 'statusLine left as it is (--statusline skip)' };
  const cur = settings.statusLine;
  const ownedByUs = o.prior !== undefined && cur !== undefined && jsonEqual(cur, o.prior.value);
  if (!ownedByUs && cur !== undefined && isOurStatusLine(cur, o.repoRoot)) {
    return { action: 'keep', why: 'present', message: 'statusLine already runs cco statusline; not changed' };
  }
  // The user's own value, before any install of ours.
  const base: { exists: boolean; value?: Json } = ownedByUs
    ? o.prior!.status === 'replaced'
      ? { exists: true, value: o.prior!.previous ?? null }
      : { exists: false }
    : cur === undefined
      ? { exists: false }
      : { exists: true, value: cur };

  let value: JsonObject;
  let mode: StatusLineMode;
  if (!base.exists) {
    value = ownStatusLine(o.repoRoot);
    mode = 'own';
  } else {
    const choice: StatusLineChoice = o.choice === 'auto' && ownedByUs ? (o.prior!.mode === 'own' ? 'replace' : o.prior!.mode) : o.choice;
    if (choice === 'auto') {
      return {
        action: 'keep',
        why: 'theirs',
        message:
          `your statusLine is kept (${describe(base.value)}). To add cco's line to it: ${how.wrap} ` +
          `(yours first, then cco's segment${how.silent}), or ${how.replace} (cco's instead of yours; undo puts yours back)`,
      };
    }
    if (choice === 'wrap' || choice === 'wrap-silent') {
      const theirs = wrappableCommand(base.value);
      if (theirs === null || !isJsonObject(base.value)) {
        return {
          action: 'keep',
          why: 'not-wrappable',
          message: `your statusLine (${describe(base.value)}) is not a command cco can wrap; it is kept. Use ${how.replace} to use cco's instead`,
        };
      }
      value = { ...base.value, type: 'command', command: ourStatusLineCommand(o.repoRoot, { command: theirs, silent: choice === 'wrap-silent' }) };
      mode = choice;
    } else {
      value = ownStatusLine(o.repoRoot);
      mode = 'replace';
    }
  }
  if (cur !== undefined && jsonEqual(cur, value)) return { action: 'keep', why: 'present', message: 'statusLine already set by cco; not changed' };
  const out = structuredClone(settings);
  out.statusLine = value;
  const change: StatusLineChange = base.exists ? { status: 'replaced', mode, value, previous: base.value ?? null } : { status: 'created', mode, value };
  return { action: 'set', settings: out, change };
}

/**
 * Undoes a recorded change on the current settings: when `statusLine` still holds exactly the value we
 * wrote, the user's `previous` is put back (same position) or, for `created`, the key is deleted. A
 * statusLine the user changed since (or removed) is left alone (`changed: false`). Input not mutated.
 *
 * @throws SettingsShapeError when `settings` is not an object
 */
export function removeStatusLine(settings: unknown, change: StatusLineChange): { settings: JsonObject; changed: boolean; why: string } {
  if (!isJsonObject(settings)) throw new SettingsShapeError('settings.json: top level is not an object');
  const cur = settings.statusLine;
  if (cur === undefined) return { settings, changed: false, why: 'statusLine is no longer set' };
  if (!jsonEqual(cur, change.value)) return { settings, changed: false, why: 'statusLine was changed since install; left as it is' };
  const out = structuredClone(settings);
  if (change.status === 'created') {
    delete out.statusLine;
    return { settings: out, changed: true, why: 'removed cco statusLine' };
  }
  out.statusLine = change.previous ?? null;
  return { settings: out, changed: true, why: 'restored your statusLine' };
}

function describe(v: Json | undefined): string {
  const cmd = isJsonObject(v) && typeof v.command === 'string' ? v.command : JSON.stringify(v);
  const one = cmd.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
