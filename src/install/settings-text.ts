/**
 * The user's `settings.json` as text, changed by minimal text edits (it is read as JSONC by
 * settings-edit.ts parseSettingsText), so that every byte the change is not about stays as the user wrote it — comments, key order,
 * spacing, line ends, a byte order mark, and numbers JSON.parse would round (12345678901234567890).
 * Uses Microsoft's jsonc-parser (`modify`, `applyEdits`; VS Code's own settings editor) rather
 * than a parser of our own. Pure: text in, text out.
 */
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, type Edit, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { formatSettings, isJsonObject, jsonEqual, type Json, type JsonObject } from './settings-edit.ts';

const BOM = '\uFEFF';

/**
 * The settings text with `before` changed into `after`, by text edits of only the keys whose values
 * differ: a key whose value is an object on both sides is edited key by key inside it; any other
 * differing value is replaced, added (at the end of its object) or removed as a whole. Indentation and
 * line ends of new text follow the file's own (its first indented line; CRLF when it has any).
 * A value in `spelled` whose text parses to the wanted value is written whole, as spelled there.
 *
 * @param text the file's text now (blank or missing: the whole of `after` is written, formatted)
 * @param before the value `text` parses to
 * @param after the value wanted
 */
export function editSettingsText(text: string | undefined, before: JsonObject, after: JsonObject, spelled: readonly SpelledValue[] = []): string {
  if (text === undefined || text.replace(BOM, '').trim() === '') return (text?.startsWith(BOM) ? BOM : '') + formatSettings(after, text);
  const bom = text.startsWith(BOM) ? BOM : '';
  let body = bom === '' ? text : text.slice(1);
  const style = styleOf(body);
  const changes: { path: string[]; value: Json | undefined }[] = [];
  diff(
    [],
    before,
    after,
    changes,
    spelled.map((x) => x.path.join('\0')),
  );
  for (const c of changes) {
    const own = c.value === undefined ? undefined : spelled.find((s) => s.path.join('\0') === c.path.join('\0') && spellsValue(s.text, c.value!));
    body = applyEdits(body, editsFor(body, c.path, c.value, style, own?.text));
  }
  return bom + body;
}

/** A value to write as the user once spelled it: `text` (JSONC source) at `path`. */
export interface SpelledValue {
  path: string[];
  text: string;
}

/**
 * The source text of the value at `path` in the settings text `text` (a BOM is passed by), exactly as
 * spelled there: numbers beyond 2^53, comments inside it. Undefined when there is no value at `path`.
 */
export function valueText(text: string, path: readonly string[]): string | undefined {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const root = parseTree(body, [], { allowTrailingComma: true, disallowComments: false });
  const node = root === undefined ? undefined : findNodeAtLocation(root, [...path]);
  return node === undefined ? undefined : body.slice(node.offset, node.offset + node.length);
}

/** True when the JSONC `text` parses to `value` (so writing `text` writes `value`). */
function spellsValue(text: string, value: Json): boolean {
  const errors: ParseError[] = [];
  const parsed = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as Json;
  return errors.length === 0 && jsonEqual(parsed, value);
}

/** How the file is laid out: one level of indentation and its line end. */
interface Style {
  unit: string;
  eol: string;
}

/** The changes that turn `a` into `b`, deepest where both sides are objects (but whole at a `whole` path). */
function diff(at: string[], a: Json | undefined, b: Json | undefined, out: { path: string[]; value: Json | undefined }[], whole: readonly string[] = []): void {
  if (a !== undefined && b !== undefined && jsonEqual(a, b)) return;
  if (at.length > 0 && (!(isJsonObject(a) && isJsonObject(b)) || whole.includes(at.join('\0')))) {
    out.push({ path: at, value: b });
    return;
  }
  const x = isJsonObject(a) ? a : {};
  const y = isJsonObject(b) ? b : {};
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) diff([...at, k], x[k], y[k], out, whole);
}

/** The file's own indentation (tab or N spaces, from its first indented line; default 2) and line end. */
function styleOf(text: string): Style {
  const m = /\n([ \t]+)\S/.exec(text);
  const indent = m?.[1] ?? '  ';
  return { unit: indent.startsWith('\t') ? '\t' : indent, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * The edits that set (or, `value` undefined, remove) the property at `path`, whose parent object is in
 * the text. In an object laid out one property a line, a new property gets a line of its own at the end
 * (a trailing comma, and a comment after the last property, stay where they were) and a removed one loses
 * its line: the exact inverse, so install then uninstall gives the bytes back. Elsewhere (an object on one
 * line, a property sharing its line) jsonc-parser's `modify` edits in place without reformatting.
 */
function editsFor(text: string, path: string[], value: Json | undefined, style: Style, spelled?: string): Edit[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const parent = root === undefined ? undefined : findNodeAtLocation(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  const plain = () => modify(text, path, value, {});
  if (parent === undefined || parent.type !== 'object') return plain();
  const props = parent.children ?? [];
  const prop = props.find((p) => p.children?.[0]?.value === key);
  const multiLine = /[\r\n]/.test(text.slice(parent.offset, parent.offset + parent.length));
  if (!multiLine) {
    // `{}` as the whole object: written out in full, one property a line.
    if (props.length === 0 && value !== undefined) {
      const indent = lineIndent(text, parent.offset);
      return [{ offset: parent.offset, length: parent.length, content: pretty({ [key]: value }, indent, style) }];
    }
    return plain();
  }
  const indent = props[0] !== undefined ? lineIndent(text, props[0].offset) : lineIndent(text, parent.offset) + style.unit;
  if (prop !== undefined) {
    const valueNode = prop.children?.[1];
    if (value !== undefined)
      return valueNode === undefined
        ? plain()
        : [{ offset: valueNode.offset, length: valueNode.length, content: spelled ?? pretty(value, lineIndent(text, prop.offset), style) }];
    const i = props.indexOf(prop);
    const start = lineStart(text, prop.offset);
    const rest = restOfLine(text, prop.offset + prop.length);
    if (/\S/.test(text.slice(start, prop.offset)) || rest === null) return plain();
    const from = start - eolBefore(text, start);
    const edits: Edit[] = [{ offset: from, length: rest.end - from, content: '' }];
    // The last property without a comma of its own: the comma before it goes too.
    if (i === props.length - 1 && !rest.comma && i > 0) {
      const prev = props[i - 1]!;
      const comma = text.indexOf(',', prev.offset + prev.length);
      if (comma >= 0 && comma < from) edits.push({ offset: comma, length: 1, content: '' });
    }
    return edits;
  }
  if (value === undefined) return [];
  const line = `${JSON.stringify(key)}: ${spelled ?? pretty(value, indent, style)}`;
  const last = props[props.length - 1];
  if (last === undefined) return [{ offset: parent.offset + 1, length: 0, content: style.eol + indent + line }];
  const rest = restOfLine(text, last.offset + last.length);
  if (rest === null) return plain();
  if (rest.comma) return [{ offset: rest.end, length: 0, content: style.eol + indent + line + ',' }];
  return [
    { offset: last.offset + last.length, length: 0, content: ',' },
    { offset: rest.end, length: 0, content: style.eol + indent + line },
  ];
}

/** `value` as JSON, indented one `style.unit` a level from `indent`, its lines ended as the file's are. */
function pretty(value: Json, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit)
    .split('\n')
    .join(style.eol + indent);
}

function lineStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The whitespace that starts the line holding `at`. */
function lineIndent(text: string, at: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, at), at))![0];
}

/** How many bytes of line end are just before `at` (a line start). */
function eolBefore(text: string, at: number): number {
  return text.slice(Math.max(0, at - 2), at) === '\r\n' ? 2 : at > 0 && text[at - 1] === '\n' ? 1 : 0;
}

/**
 * What follows a property to the end of its line, when it is only a comma, blanks and a comment:
 * whether there is a comma, and where the line ends (before its line end). Null when more follows.
 */
function restOfLine(text: string, at: number): { comma: boolean; end: number } | null {
  const m = /^([ \t]*)(,?)[ \t]*(\/\/[^\r\n]*|\/\*[^\r\n]*?\*\/[ \t]*)?(?=\r?\n|$)/.exec(text.slice(at));
  return m === null ? null : { comma: m[2] === ',', end: at + m[0].length };
}
