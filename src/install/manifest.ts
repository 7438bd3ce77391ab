import { z } from 'zod';
import type { AddedEntry } from './settings-edit.ts';
import type { StatusLineChange } from './statusline-edit.ts';
import { SEED_COMMANDS } from '../claude/seed-commands.ts';
import type { SeedCommandsRecord } from './seed-install.ts';

/**
 * The install manifest, `<config dir>/cco/install-manifest.json`: exactly what install.sh added, so that
 * `--uninstall` removes that and nothing else. Example (settings path):
 *
 * ```json
 * { "version": 1, "plugin": "cco@cco-local", "marketplace": "cco-local", "repoRoot": "/src/cco",
 *   "configDir": "/home/u/.claude", "createdAt": "…", "updatedAt": "…",
 *   "createdDirs": ["/home/u/.claude/cco"],
 *   "settings": { "file": "/home/u/.claude/settings.json", "fileCreated": false,
 *                 "backups": ["/home/u/.claude/settings.json.cco-backup-2025-01-01T10-00-00.000Z"],
 *                 "added": [ { "object": "extraKnownMarketplaces", "objectCreated": true, "key": "cco-local",
 *                              "status": "created", "value": { "source": { "source": "directory", "path": "/src/cco" } } },
 *                            { "object": "enabledPlugins", "objectCreated": false, "key": "cco@cco-local",
 *                              "status": "created", "value": true } ] } }
 * ```
 *
 * With the `claude` CLI, `cli` replaces `settings`:
 * `{ "claude": "/usr/bin/claude", "backups": [...], "marketplaceAdd": CommandRecord, "pluginInstall": CommandRecord }`.
 *
 * Either way, when install set `statusLine` (which the CLI does not manage), `statusLine` records it:
 * `{ "file": ".../settings.json", "fileCreated": false, "backups": [], "status": "replaced", "mode": "wrap",
 *    "value": { "type": "command", "command": "node \"/src/cco/dist/statusline.cjs\" --wrap 'my-line.sh'", "padding": 1 },
 *    "previous": { "type": "command", "command": "my-line.sh", "padding": 1 } }`
 * (`status: "created"` and no `previous` when there was none).
 */
export interface InstallManifest {
  version: 1;
  /** `<plugin>@<marketplace>`. */
  plugin: string;
  marketplace: string;
  repoRoot: string;
  configDir: string;
  createdAt: string;
  updatedAt: string;
  /** Directories install created, deepest first; uninstall removes each one that is empty. */
  createdDirs: string[];
  settings?: SettingsRecord;
  cli?: CliRecord;
  statusLine?: StatusLineRecord;
  /** The user-level commands under the seeds' names that install wrote (src/install/seed-install.ts). */
  seedCommands?: SeedCommandsRecord;
  /** A plugin install's setup (`/cco:setup`): the launcher files it wrote (src/install/launchers.ts). */
  launchers?: string[];
}

/**
 * What install did to `statusLine` in settings.json (both registration modes). Uninstall puts `previous`
 * back (or deletes the key for `created`) only while `statusLine` still equals `value`.
 */
export interface StatusLineRecord extends StatusLineChange {
  file: string;
  /** True when settings.json did not exist before install (uninstall deletes it if it is then `{}`). */
  fileCreated: boolean;
  /** Backups of settings.json as it was before each run that wrote the statusLine (shared with `settings`/`cli` when that run made one). */
  backups: string[];
}

/** What the settings-file registration did. */
export interface SettingsRecord {
  file: string;
  /** True when settings.json did not exist and install created it (uninstall deletes it if it is then `{}`). */
  fileCreated: boolean;
  /** Backups made before each change, oldest first (the first one holds the pre-install file). */
  backups: string[];
  /** Per-entry record from `addRegistration`, merged over runs with `mergeAdded`. */
  added: AddedEntry[];
}

/**
 * One `claude` command install.sh ran (or skipped):
 * - `succeeded`: ran with exit 0; uninstall runs the reverse command.
 * - `failed`: ran and failed; nothing to reverse.
 * - `skipped-present`: not run because what it adds was already there; nothing to reverse.
 */
export interface CommandRecord {
  argv: string[];
  status: 'succeeded' | 'failed' | 'skipped-present';
  exitCode: number | null;
  at: string;
}

/** What the `claude` CLI registration did. */
export interface CliRecord {
  /** Path of the `claude` executable used. */
  claude: string;
  backups: string[];
  marketplaceAdd?: CommandRecord;
  pluginInstall?: CommandRecord;
}

const addedEntrySchema = z.object({
  object: z.enum(['extraKnownMarketplaces', 'enabledPlugins']),
  objectCreated: z.boolean(),
  key: z.string(),
  status: z.enum(['created', 'present', 'replaced']),
  value: z.json(),
  previous: z.json().optional(),
});

const commandSchema = z.object({
  argv: z.array(z.string()),
  status: z.enum(['succeeded', 'failed', 'skipped-present']),
  exitCode: z.number().int().nullable(),
  at: z.string(),
});

/** zod schema of `InstallManifest`. */
export const manifestSchema: z.ZodType<InstallManifest> = z.object({
  version: z.literal(1),
  plugin: z.string(),
  marketplace: z.string(),
  repoRoot: z.string(),
  configDir: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdDirs: z.array(z.string()),
  settings: z.object({ file: z.string(), fileCreated: z.boolean(), backups: z.array(z.string()), added: z.array(addedEntrySchema) }).optional(),
  cli: z
    .object({ claude: z.string(), backups: z.array(z.string()), marketplaceAdd: commandSchema.optional(), pluginInstall: commandSchema.optional() })
    .optional(),
  statusLine: z
    .object({
      file: z.string(),
      fileCreated: z.boolean(),
      backups: z.array(z.string()),
      status: z.enum(['created', 'replaced']),
      mode: z.enum(['own', 'wrap', 'wrap-silent', 'replace']),
      value: z.json(),
      previous: z.json().optional(),
      previousText: z.string().optional(),
    })
    .optional(),
  seedCommands: z
    .object({
      dir: z.string(),
      commands: z.array(
        z.object({
          name: z.enum(SEED_COMMANDS),
          file: z.string(),
          status: z.enum(['written', 'theirs']),
          sha256: z.string().optional(),
        }),
      ),
    })
    .optional(),
  launchers: z.array(z.string()).optional(),
});

/**
 * Keeps the record that has something to undo: an earlier `succeeded` wins over a later
 * `skipped-present` (the later run skipped because the earlier one had added it).
 */
export function mergeCommand(earlier: CommandRecord | undefined, next: CommandRecord | undefined): CommandRecord | undefined {
  if (next === undefined) return earlier;
  if (earlier?.status === 'succeeded' && next.status === 'skipped-present') return earlier;
  return next;
}

/** Union of two directory lists, order kept (earlier first). */
export function mergeDirs(earlier: readonly string[], next: readonly string[]): string[] {
  return [...new Set([...earlier, ...next])];
}
