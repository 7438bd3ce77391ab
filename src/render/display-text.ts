/**
 * Strings that come from outside (model ids, session ids, tool names, paths: from transcripts, hook and
 * status line payloads) made safe to print in a report or the status line: nothing in them can move the
 * cursor, colour or retitle the terminal, reorder the line, or break the layout, and a huge one does not
 * flood the output. Pure.
 */

/** The longest a displayed string is by default (characters, the ellipsis included). */
export const DISPLAY_MAX = 80;
/** The longest a displayed path or command is (characters): they are longer than ids, but not unbounded. */
export const DISPLAY_PATH_MAX = 200;

// ESC-introduced sequences: CSI (`ESC [` ... final byte), OSC / DCS / SOS / PM / APC (up to BEL or ST),
// and two-character escapes. Then the 8-bit CSI/OSC forms.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*[\x07\x9c]?/g;
// Line breaks (NEL U+0085 among them) and tabs read as a space; every other C0 / DEL / C1 control, and
// the bidirectional overrides and isolates (they reorder what follows on the line), are dropped.
const SPACES = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `s` as it may be printed: escape sequences removed, line breaks and tabs as one space, other control
 * and bidi-override characters removed, then cut to `max` characters (code points) with a trailing `…`.
 * `displayText('claude-opus\n\x1b[31mX')` is `'claude-opus X'`.
 * @param max at least 1; default DISPLAY_MAX
 */
export function displayText(s: string, max: number = DISPLAY_MAX): string {
  const clean = s.replace(ESCAPES, '').replace(SPACES, ' ').replace(CONTROLS, '');
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * A provenance label (`window unknown for <model>`, ...) as it may be printed: each of `names` (strings
 * from outside the label embeds, e.g. the model id) shortened as `displayText` shortens it, then the
 * whole label made safe with a cap of `max` characters (default 240: a label is longer than a name).
 */
export function displayLabel(label: string, names: readonly (string | null | undefined)[], max = 240): string {
  let out = label;
  for (const n of names) if (n != null && n.length > 0 && displayText(n) !== n) out = out.split(n).join(displayText(n));
  return displayText(out, max);
}

// Every C0 control but line feed and tab, DEL, and every C1 control: what can drive a terminal.
const TERMINAL_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Whole output (one line or many) as it may reach a terminal: every C0 control but `\n` and `\t`, DEL
 * and every C1 control is shown as its `\u00NN` escape (ESC `[31m` prints as the 10 characters `\u001b[31m`),
 * so no escape sequence, title change, clipboard write (OSC 52), hyperlink (OSC 8), bell or carriage
 * return in a name or path from a transcript, payload or state file acts on the terminal, and what it
 * was stays visible. The guard where output leaves cco (the `cco` commands, the status line, hook
 * messages, handoff markdown); names are first made one short line where they enter a rendering
 * (`displayText`). The escape is JSON's own: JSON.stringify escapes C0 but writes DEL and C1 raw, and
 * after this a JSON output still parses to the same values. Pure.
 */
export function terminalText(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The longest a piece of the person's own text (a plan title, objective or project dir) is shown (characters): whole in practice, bounded all the same. */
export const DISPLAY_OWN_MAX = 4_096;

/**
 * `value` with every string in it (in plain objects and arrays, at any depth) made one line by
 * `displayText(s, max)`; numbers, booleans, null and objects of other classes (Map, Date, ...) are kept
 * as they are. For a renderer's entry, where a record from a state file (the session queue, which a
 * person may edit by hand) comes in with names that may hold line breaks. Pure; `value` is not changed.
 * @param max default DISPLAY_OWN_MAX: the person's own text is shown whole
 */
export function displayAll<T>(value: T, max: number = DISPLAY_OWN_MAX): T {
  if (typeof value === 'string') return displayText(value, max) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => displayAll(v, max)) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, displayAll(v, max)])) as T;
  }
  return value;
}
