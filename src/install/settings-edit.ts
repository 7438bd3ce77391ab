/**
 * Pure edits of Claude Code's user `settings.json` for registering the plugin without the `claude` CLI.
 * Nothing here touches files or the clock: values in, values out. The I/O lives in `settings-file.ts`.
 *
 * Registration writes two entries (see the interface reference §8):
 *   extraKnownMarketplaces["<marketplace>"] = { "source": { "source": "directory", "path": "<abs repo root>" } }
 *   enabledPlugins["<plugin>@<marketplace>"] = true
 * and reports, per entry, whether it was created, already present, or replaced, so that the removal can
 * undo exactly that and nothing else.
 */

// The ES module build: the package's `main` is a UMD build that esbuild cannot bundle (it requires at run time).
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';

/** A JSON value as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object (never an array or null). */
export type JsonObject = { [key: string]: Json };

/** What to register: names from `.claude-plugin/marketplace.json` and the absolute repo root. */
export interface Registration {
  /** Marketplace name, e.g. `cco-local`. */
  readonly marketplace: string;
  /** Plugin name, e.g. `cco`. */
  readonly plugin: string;
  /** Absolute path of the repository (the marketplace root). */
  readonly repoRoot: string;
}

/** The two top-level settings objects a registration writes into. */
export type SettingsObjectName = 'extraKnownMarketplaces' | 'enabledPlugins';

/**
 * How one entry stood before `addRegistration`:
 * - `created`: the key did not exist; we added it (removal deletes it).
 * - `present`: the key already held what we wanted; we changed nothing (removal leaves it alone).
 * - `replaced`: the key held something else (an older path, `false`); we overwrote it and keep the old
 *   value in `previous` (removal puts it back, unless the user changed the entry since).
 */
export type EntryStatus = 'created' | 'present' | 'replaced';

/** One entry of what a registration did. The array of these is stored in the install manifest. */
export interface AddedEntry {
  /** Top-level settings key holding the entry. */
  object: SettingsObjectName;
  /** True when the top-level object itself did not exist and we created it. */
  objectCreated: boolean;
  /** Key inside the object: the marketplace name or `<plugin>@<marketplace>`. */
  key: string;
  status: EntryStatus;
  /** The value the entry holds after the registration. */
  value: Json;
  /** The value before; only for `replaced`. */
  previous?: Json;
}

/** Thrown when settings (or one of the objects we edit) are valid JSON but not the shape we can edit. */
export class SettingsShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsShapeError';
  }
}

/** Thrown by `parseSettingsText` for text that is not JSON. */
export class SettingsParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsParseError';
  }
}

/** `<plugin>@<marketplace>`, the key Claude Code uses in `enabledPlugins`. */
export function pluginId(reg: Pick<Registration, 'plugin' | 'marketplace'>): string {
  return `${reg.plugin}@${reg.marketplace}`;
}

/** The marketplace source object for a local directory marketplace at `repoRoot`. */
export function directorySource(repoRoot: string): JsonObject {
  return { source: 'directory', path: repoRoot };
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of two JSON values; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Adds the registration to a settings value.
 *
 * Every other key and value is kept (and keeps its position); the input is not mutated. An existing
 * marketplace entry whose `source` already points at `repoRoot` is `present` (any extra fields the user
 * put on it stay); one pointing elsewhere is `replaced` (its other fields are kept, `source` is ours).
 * `enabledPlugins[id]` is `present` only when it is exactly `true`.
 *
 * @param settings the parsed settings.json (use `{}` for a missing file)
 * @param reg what to register
 * @returns `settings`: the new value (deep copy); `added`: one `AddedEntry` per entry, marketplace first.
 *   Nothing changed iff every entry is `present`.
 * @throws SettingsShapeError when `settings` is not an object, or `extraKnownMarketplaces` /
 *   `enabledPlugins` exists but is not an object
 */
export function addRegistration(settings: unknown, reg: Registration): { settings: JsonObject; added: AddedEntry[] } {
  const out = copyObject(settings, 'settings.json');
  const added: AddedEntry[] = [];

  const markets = takeObject(out, 'extraKnownMarketplaces');
  const source = directorySource(reg.repoRoot);
  const oldMarket = markets.obj[reg.marketplace];
  if (oldMarket === undefined) {
    markets.obj[reg.marketplace] = { source };
    added.push({ object: 'extraKnownMarketplaces', objectCreated: markets.created, key: reg.marketplace, status: 'created', value: { source } });
  } else if (isJsonObject(oldMarket) && jsonEqual(oldMarket.source, source)) {
    added.push({ object: 'extraKnownMarketplaces', objectCreated: false, key: reg.marketplace, status: 'present', value: oldMarket });
  } else {
    const value: JsonObject = isJsonObject(oldMarket) ? { ...oldMarket, source } : { source };
    markets.obj[reg.marketplace] = value;
    added.push({ object: 'extraKnownMarketplaces', objectCreated: false, key: reg.marketplace, status: 'replaced', value, previous: oldMarket });
  }

  const enabled = takeObject(out, 'enabledPlugins');
  const id = pluginId(reg);
  const oldEnabled = enabled.obj[id];
  if (oldEnabled === undefined) {
    enabled.obj[id] = true;
    added.push({ object: 'enabledPlugins', objectCreated: enabled.created, key: id, status: 'created', value: true });
  } else if (oldEnabled === true) {
    added.push({ object: 'enabledPlugins', objectCreated: false, key: id, status: 'present', value: true });
  } else {
    enabled.obj[id] = true;
    added.push({ object: 'enabledPlugins', objectCreated: false, key: id, status: 'replaced', value: true, previous: oldEnabled });
  }

  return { settings: out, added };
}

/**
 * Undoes what `addRegistration` reported in `added`, on the current settings value.
 *
 * Entries are handled last to first:
 * - `created`: the key is deleted (whatever its value now: the key is ours).
 * - `replaced`: `previous` is put back if the entry still holds the value we wrote; a value the user set
 *   since is kept.
 * - `present`: left alone.
 * Then an object we created (`objectCreated`) is deleted if it is now empty. Objects that are missing or
 * are no longer objects are skipped (the user changed them). The input is not mutated.
 *
 * With `added` from `addRegistration(s, reg)` and no edits in between, the result equals `s` (`jsonEqual`).
 *
 * @param settings the parsed current settings.json
 * @param added the entries recorded at registration
 * @returns the new settings value (deep copy)
 * @throws SettingsShapeError when `settings` is not an object
 */
export function removeRegistration(settings: unknown, added: readonly AddedEntry[]): JsonObject {
  const out = copyObject(settings, 'settings.json');
  for (const entry of [...added].reverse()) {
    const obj = out[entry.object];
    if (!isJsonObject(obj)) continue;
    if (entry.status === 'created') {
      delete obj[entry.key];
    } else if (entry.status === 'replaced' && Object.hasOwn(obj, entry.key) && jsonEqual(obj[entry.key], entry.value)) {
      if (entry.previous === undefined) delete obj[entry.key];
      else obj[entry.key] = entry.previous;
    }
    if (entry.objectCreated && Object.keys(obj).length === 0) delete out[entry.object];
  }
  return out;
}

/**
 * Folds the entries of a new registration into those recorded by an earlier one, so that a second
 * install (which sees our own entries as `present`) does not forget what the first one created.
 *
 * For each entry of `next`: if `earlier` recorded the same object and key as `created` or `replaced`,
 * that record is kept (with `value` updated to the latest), else the `next` entry is used.
 * `objectCreated` is true if either says so. Earlier entries that `next` does not mention are kept.
 *
 * @returns the merged list (new array; inputs not mutated)
 */
export function mergeAdded(earlier: readonly AddedEntry[] | undefined, next: readonly AddedEntry[]): AddedEntry[] {
  const old = earlier ?? [];
  const same = (a: AddedEntry, b: AddedEntry): boolean => a.object === b.object && a.key === b.key;
  const merged = next.map((n): AddedEntry => {
    const o = old.find((e) => same(e, n));
    if (o && o.status !== 'present') return { ...o, value: n.value, objectCreated: o.objectCreated || n.objectCreated };
    return { ...n, objectCreated: n.objectCreated || (o?.objectCreated ?? false) };
  });
  const rest = old.filter((o) => !next.some((n) => same(o, n)));
  return [...rest, ...merged];
}

/**
 * Parses the text of a settings file as JSONC, the way VS Code reads settings (jsonc-parser): comments
 * and trailing commas are allowed (they are kept: edits are text edits, settings-text.ts). A leading byte
 * order mark is ignored; a blank file reads as `{}`. A number past 2^53 reads rounded, but it is never
 * written back from this value.
 *
 * @throws SettingsParseError when the text is not JSON(C) (message: the first error and its offset)
 * @throws SettingsShapeError when it is JSON but not an object
 */
export function parseSettingsText(text: string): JsonObject {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined) throw new SettingsParseError(`${printParseErrorCode(first.error)} at offset ${first.offset}`);
  if (!isJsonObject(value)) throw new SettingsShapeError(`top level is ${describe(value)}, not an object`);
  return value;
}

/**
 * Serialises settings for writing, following the original file's indentation (tab or N spaces, taken
 * from its first indented line; default 2 spaces) and its trailing newline (default: one).
 *
 * @param value the settings to write
 * @param originalText the current file text, when there is one
 */
export function formatSettings(value: Json, originalText?: string): string {
  let indent: string | number = 2;
  const m = originalText?.match(/\n([ \t]+)\S/);
  if (m?.[1]) indent = m[1].startsWith('\t') ? '\t' : m[1].length;
  const newline = originalText === undefined || originalText.trim() === '' || originalText.endsWith('\n') ? '\n' : '';
  return JSON.stringify(value, null, indent) + newline;
}

function copyObject(settings: unknown, what: string): JsonObject {
  if (!isJsonObject(settings)) throw new SettingsShapeError(`${what}: top level is ${describe(settings)}, not an object`);
  return structuredClone(settings);
}

function takeObject(out: JsonObject, name: SettingsObjectName): { obj: JsonObject; created: boolean } {
  const cur = out[name];
  if (cur === undefined) {
    const obj: JsonObject = {};
    out[name] = obj;
    return { obj, created: true };
  }
  if (!isJsonObject(cur)) throw new SettingsShapeError(`settings.json: "${name}" is ${describe(cur)}, not an object`);
  return { obj: cur, created: false };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/**
 * Drops the `extraKnownMarketplaces` / `enabledPlugins` objects that are empty now and were absent from
 * `original` (the settings before install; undefined when there was no file). `claude plugin marketplace
 * remove` and `plugin uninstall` leave such empty objects behind. Pure: returns a new object.
 */
export function dropEmptyContainers(settings: JsonObject, original: JsonObject | undefined): JsonObject {
  const next: JsonObject = { ...settings };
  for (const key of ['extraKnownMarketplaces', 'enabledPlugins'] as const) {
    const v = next[key];
    if (isJsonObject(v) && Object.keys(v).length === 0 && (original === undefined || !(key in original))) delete next[key];
  }
  return next;
}
