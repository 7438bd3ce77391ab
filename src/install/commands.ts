/**
 * `register` and `unregister`: the installer's steps, with the file I/O from `files.ts`, the pure edits
 * from `settings-edit.ts` and an injected `claude` runner, clock and logger.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { trackerLockOf } from '../store/paths.ts';
import { readJsonOrUndefined } from '../store/read-json.ts';
import { stopBackgroundTracker } from '../tracker/tracker-stop.ts';
import { lastLine, type ClaudeRunner } from './claude-cli.ts';
import {
  backupFile,
  ensureDir,
  InstallError,
  readManifest,
  readSettingsFile,
  readTextLoose,
  realTarget,
  removeEmptyDirs,
  removeFile,
  withFileLock,
  writeManifest,
  writeTextAtomic,
  type SettingsRead,
} from './files.ts';
import { mergeCommand, mergeDirs, type CliRecord, type CommandRecord, type InstallManifest, type SettingsRecord, type StatusLineRecord } from './manifest.ts';
import {
  addRegistration,
  directorySource,
  dropEmptyContainers,
  formatSettings,
  isJsonObject,
  jsonEqual,
  mergeAdded,
  parseSettingsText,
  pluginId,
  removeRegistration,
  type JsonObject,
  type Registration,
} from './settings-edit.ts';
import { installSeedCommands } from './seed-install.ts';
import { removeSeedCommands } from './seed-uninstall.ts';
import { removeLaunchers, writeLaunchers } from './launchers.ts';
import { editSettingsText, valueText, type SpelledValue } from './settings-text.ts';
import { planStatusLine, removeStatusLine, statusLineState, type StatusLineChange, type StatusLineChoice, type StatusLineState } from './statusline-edit.ts';

/** The names this repository registers under (must match `.claude-plugin/marketplace.json`). */
const PLUGIN_NAME = 'cco';
const MARKETPLACE_NAME = 'cco-local';

/**
 * How to register: through the `claude` CLI, or by editing settings.json ourselves; `plugin`: Claude Code
 * installed the plugin already (a marketplace install), so only the status line and the short commands
 * are set up (`/cco:setup`), pointing at stable launchers (src/install/launchers.ts).
 */
export type RegisterMode = 'cli' | 'settings' | 'plugin';

/** What both commands share. */
export interface CommonOptions {
  /** Absolute config dir (first entry of CLAUDE_CONFIG_DIR, or ~/.claude). */
  configDir: string;
  /** Write a read-only settings.json all the same (`--force`); without it such a file is refused. */
  force?: boolean;
  now: () => Date;
  log: (line: string) => void;
}

export interface RegisterOptions extends CommonOptions {
  /** Absolute repository root (holds `.claude-plugin/marketplace.json`). */
  repoRoot: string;
  mode: RegisterMode;
  /** Required for mode `cli`. */
  claude?: ClaudeRunner;
  /** What to do with settings.json `statusLine` (default `auto`: set ours only when none is set). */
  statusLine?: StatusLineChoice;
  /** Add the seeds' command names as user-level commands (default true; src/install/seed-install.ts). */
  seedCommands?: boolean;
  /**
   * Mode `plugin`: the installed plugin's root (holds `.claude-plugin/`, `commands/`, `dist/`); `repoRoot` is
   * then the launcher dir that settings.json and the short commands name.
   */
  sourceRoot?: string;
}

export interface UnregisterOptions extends CommonOptions {
  /** Needed only if the install went through the CLI. */
  claude?: ClaudeRunner;
}

/** `<config dir>/settings.json`. */
function settingsPath(configDir: string): string {
  return path.join(configDir, 'settings.json');
}

/** `<config dir>/cco/install-manifest.json`. */
function manifestPath(configDir: string): string {
  return path.join(configDir, 'cco', 'install-manifest.json');
}

/**
 * Reads `<repoRoot>/.claude-plugin/marketplace.json` and checks that it declares marketplace `cco-local`
 * with plugin `cco`.
 * @throws InstallError when the file is missing, not JSON, or declares other names
 */
function readRegistration(repoRoot: string): Registration {
  const file = path.join(repoRoot, '.claude-plugin', 'marketplace.json');
  const raw = readJsonOrUndefined(file);
  if (!isJsonObject(raw)) throw new InstallError(`${file} is missing or not valid JSON; is ${repoRoot} a claude-code-optimizer checkout?`);
  const plugins = Array.isArray(raw.plugins) ? raw.plugins : [];
  const hasPlugin = plugins.some((p) => isJsonObject(p) && p.name === PLUGIN_NAME);
  if (raw.name !== MARKETPLACE_NAME || !hasPlugin) {
    throw new InstallError(`${file} does not declare marketplace "${MARKETPLACE_NAME}" with plugin "${PLUGIN_NAME}"`);
  }
  return { marketplace: MARKETPLACE_NAME, plugin: PLUGIN_NAME, repoRoot };
}

/**
 * Registers the plugin (idempotent). Mode `settings` edits settings.json under a lock, after a backup;
 * mode `cli` runs `claude plugin marketplace add <repo>` and `claude plugin install cco@cco-local -s user`,
 * skipping what is already there. Then, in both modes (the CLI does not manage it), `statusLine` is set
 * as `o.statusLine` says (see `applyStatusLine`). The manifest records what this added.
 * @throws InstallError for a settings.json that is not a JSON object, a failed `claude` command, a busy lock
 */
export async function register(o: RegisterOptions): Promise<void> {
  const reg = { ...readRegistration(o.sourceRoot ?? o.repoRoot), repoRoot: o.repoRoot };
  if (o.mode === 'cli' && !o.claude) throw new InstallError('mode cli needs the claude executable (--claude)');
  if (o.mode === 'plugin' && o.sourceRoot === undefined) throw new InstallError('mode plugin needs the plugin root');
  const file = settingsPath(o.configDir);
  refuseReadOnly(file, o);
  const createdConfigDirs = ensureDir(o.configDir);
  await withFileLock(realTarget(file), async () => {
    const existedAtStart = existsSync(file);
    const prior = readManifest(manifestPath(o.configDir));
    if (o.mode === 'plugin' && (prior?.settings !== undefined || prior?.cli !== undefined)) {
      // One cco per config dir: its hooks would run twice, and one uninstall would undo the other's status line.
      throw new InstallError(
        `cco is installed in ${o.configDir} by ./install.sh from ${prior.repoRoot}, which set up the status line and commands already; to use the plugin's instead, run ./install.sh --uninstall there first`,
      );
    }
    if (prior && prior.repoRoot !== o.repoRoot) o.log(`note: replacing the registration of ${prior.repoRoot} with ${o.repoRoot}`);
    const ctx: RegisterCtx = { o, reg, file, prior, createdDirs: createdConfigDirs };
    const backup = o.mode === 'settings' ? await registerSettings(ctx) : o.mode === 'cli' ? await registerCli(ctx, o.claude!) : await applyLaunchers(ctx);
    await applyStatusLine(ctx, { existedAtStart, backup });
    if (o.seedCommands !== false) await applySeedCommands(ctx);
  });
}

/**
 * Mode `plugin`: writes the launchers the status line and the short commands run, and records them
 * (manifest first is not possible here: they are written before anything names them).
 * @returns undefined (no backup of settings.json is made by this step)
 */
async function applyLaunchers(ctx: RegisterCtx): Promise<undefined> {
  const { files, createdDirs } = await writeLaunchers(ctx.o.configDir, ctx.o.sourceRoot!);
  const mfile = manifestPath(ctx.o.configDir);
  const current = readManifest(mfile);
  const m = current ?? startManifest(ctx).m;
  m.launchers = [...new Set([...(m.launchers ?? []), ...files])];
  m.createdDirs = mergeDirs(m.createdDirs, createdDirs);
  m.updatedAt = ctx.o.now().toISOString();
  await writeManifest(mfile, m);
  return undefined;
}

/**
 * Writes the seed commands (`/session-status`, ...) into `<config dir>/commands/` and records them in the
 * manifest (under the settings lock the caller holds, like every manifest write).
 */
async function applySeedCommands(ctx: RegisterCtx): Promise<void> {
  const mfile = manifestPath(ctx.o.configDir);
  const current = readManifest(mfile);
  // Per-command errors are lines, not throws: a seed that cannot be written does not stop install.
  const { record, createdDirs, lines } = await installSeedCommands(ctx.o.configDir, ctx.reg.repoRoot, {
    prior: current?.seedCommands,
    sourceRoot: ctx.o.sourceRoot,
  });
  for (const l of lines) ctx.o.log(l);
  const dirs = mergeDirs(current?.createdDirs ?? [], createdDirs);
  // A rerun that finds the same commands changes nothing, the manifest included.
  if (current !== undefined && jsonEqual(current.seedCommands, record) && dirs.length === current.createdDirs.length) return;
  const m = current ?? startManifest(ctx).m;
  m.seedCommands = record;
  m.createdDirs = mergeDirs(m.createdDirs, createdDirs);
  m.updatedAt = ctx.o.now().toISOString();
  await writeManifest(mfile, m);
}

/**
 * How `statusLine` stands in `<configDir>/settings.json` (for install.sh's question): none, ours, or
 * theirs with its command. A missing file reads as none.
 * @throws InstallError when settings.json is not a JSON object
 */
export function probeStatusLine(configDir: string, repoRoot: string): StatusLineState {
  const cur = readSettingsFile(settingsPath(configDir));
  const prior = readManifest(manifestPath(configDir))?.statusLine;
  return statusLineState(cur.exists ? cur.value : {}, repoRoot, prior);
}

/**
 * Sets `statusLine` as `ctx.o.statusLine` says (`planStatusLine`), under the settings lock the caller
 * holds: manifest first, then an atomic write; a backup first unless this run already backed the file
 * up (then that backup holds the file as it was before this run, and the record lists it too) or the
 * file did not exist before this run (then there is nothing of the user's to keep). The record
 * keeps the user's original value across reinstalls, so uninstall restores it.
 */
async function applyStatusLine(ctx: RegisterCtx, run: { existedAtStart: boolean; backup: string | undefined }): Promise<void> {
  const { o, file } = ctx;
  const mfile = manifestPath(o.configDir);
  const cur = readSettingsFile(file);
  const current = readManifest(mfile);
  const prior = current?.statusLine;
  const plan = planStatusLine(cur.exists ? cur.value : {}, {
    repoRoot: ctx.reg.repoRoot,
    choice: o.statusLine ?? 'auto',
    prior,
    via: o.mode === 'plugin' ? 'setup' : 'install',
  });
  if (plan.action === 'keep') {
    o.log(plan.message);
    return;
  }
  const m = current ?? startManifest(ctx).m;
  const backup = cur.exists && run.existedAtStart && run.backup === undefined ? backupFile(file, o.now()) : undefined;
  const pre = backup ?? run.backup; // the file as it was before this run
  const rec: StatusLineRecord = {
    file,
    fileCreated: (prior?.fileCreated ?? false) || !run.existedAtStart,
    backups: [...(prior?.backups ?? []), ...(pre !== undefined && !(prior?.backups ?? []).includes(pre) ? [pre] : [])],
    ...plan.change,
  };
  const spelled = previousSpelling(plan.change, prior, cur);
  if (spelled !== undefined) rec.previousText = spelled;
  m.statusLine = rec;
  m.updatedAt = o.now().toISOString();
  await writeManifest(mfile, m);
  await writeTextAtomic(realTarget(file), textOf(cur, plan.settings));
  const what =
    rec.mode === 'own'
      ? 'set statusLine to cco statusline'
      : rec.mode === 'replace'
        ? 'replaced your statusLine with cco statusline (uninstall puts yours back)'
        : `wrapped your statusLine with cco statusline${rec.mode === 'wrap-silent' ? ' (silent: only yours is shown)' : ''} (uninstall puts yours back)`;
  o.log(`${what} in ${file}${backup ? ` (backup: ${backup})` : ''}`);
  for (const f of ['cli.mjs', 'statusline.cjs'])
    if (!existsSync(path.join(ctx.reg.repoRoot, 'dist', f))) o.log(`note: ${path.join(ctx.reg.repoRoot, 'dist', f)} is missing; the status line will not run`);
}

/**
 * The user's replaced statusLine as their file spelled it (settings-text.ts valueText): from the file
 * when `previous` is what it holds now, else from the record of an earlier install that replaced it.
 */
function previousSpelling(change: StatusLineChange, prior: StatusLineRecord | undefined, cur: SettingsRead): string | undefined {
  if (change.status !== 'replaced' || change.previous === undefined) return undefined;
  if (prior?.status === 'replaced' && prior.previousText !== undefined && jsonEqual(prior.previous ?? null, change.previous)) return prior.previousText;
  if (cur.exists && cur.value.statusLine !== undefined && jsonEqual(cur.value.statusLine, change.previous)) return valueText(cur.text, ['statusLine']);
  return undefined;
}

/**
 * Undoes what the manifest says install added (statusLine put back, CLI commands reversed, settings
 * entries removed), then deletes the manifest, stops the background tracker of the config dir and
 * removes the directories install created if they are empty. Without a manifest it does nothing.
 * @throws InstallError when the install used the CLI and no `claude` is given, a reverse command fails,
 *   or settings.json is no longer a JSON object (the manifest is then kept, so a rerun can finish)
 */
export async function unregister(o: UnregisterOptions): Promise<void> {
  const mfile = manifestPath(o.configDir);
  if (!existsSync(mfile)) {
    o.log(`nothing to uninstall: no install manifest at ${mfile}`);
    return;
  }
  const file = settingsPath(o.configDir);
  refuseReadOnly(file, o);
  const dirs = await withFileLock(realTarget(file), async (): Promise<string[]> => {
    const m = readManifest(mfile);
    if (!m) return [];
    checkCliUndoable(m, o);
    // The statusLine was set last: undo it first.
    const slBackups = m.statusLine?.backups ?? [];
    const shared = new Set([...(m.settings?.backups ?? []), ...(m.cli?.backups ?? [])]);
    const ownBackups = slBackups.filter((b) => !shared.has(b)); // the others are tidied by their own step
    if (m.statusLine) {
      await undoStatusLine(m.statusLine, [...slBackups, ...(m.settings?.backups ?? []), ...(m.cli?.backups ?? [])], o);
      delete m.statusLine;
      if (m.cli || m.settings) await writeManifest(mfile, m);
    }
    if (m.cli) {
      await unregisterCli(m, o);
      delete m.cli;
    }
    if (m.settings) {
      await undoSettings(m.settings, m.plugin, o);
      delete m.settings;
    }
    if (m.seedCommands) {
      for (const l of removeSeedCommands(m.seedCommands, m.repoRoot)) o.log(l);
      delete m.seedCommands;
    }
    if (m.launchers) {
      for (const l of removeLaunchers(m.launchers)) o.log(l);
      delete m.launchers;
    }
    if (ownBackups.length > 0) dropRedundantBackups(file, ownBackups, o.log);
    removeFile(mfile);
    o.log(`removed the install manifest ${mfile}`);
    return m.createdDirs;
  });
  // No cco process stays behind: a background tracker would otherwise linger idle for up to 15 minutes.
  const tracker = stopBackgroundTracker({ trackerLock: trackerLockOf(o.configDir) });
  if (tracker !== null) o.log(`stopped the background tracker (pid ${tracker})`);
  // After the lock is gone (its `.lock` dir sits in the config dir).
  for (const d of removeEmptyDirs(dirs)) o.log(`removed empty directory ${d} (install had created it)`);
}

interface RegisterCtx {
  o: RegisterOptions;
  reg: Registration;
  file: string;
  prior: InstallManifest | undefined;
  createdDirs: string[];
}

function newManifest(ctx: RegisterCtx, createdDirs: string[]): InstallManifest {
  const now = ctx.o.now().toISOString();
  const m: InstallManifest = {
    version: 1,
    plugin: pluginId(ctx.reg),
    marketplace: ctx.reg.marketplace,
    repoRoot: ctx.reg.repoRoot,
    configDir: ctx.o.configDir,
    createdAt: ctx.prior?.createdAt ?? now,
    updatedAt: now,
    createdDirs: mergeDirs(ctx.prior?.createdDirs ?? [], createdDirs),
  };
  if (ctx.prior?.settings) m.settings = ctx.prior.settings;
  if (ctx.prior?.cli) m.cli = ctx.prior.cli;
  if (ctx.prior?.statusLine) m.statusLine = ctx.prior.statusLine;
  if (ctx.prior?.seedCommands) m.seedCommands = ctx.prior.seedCommands;
  if (ctx.prior?.launchers) m.launchers = ctx.prior.launchers;
  return m;
}

/** Creates `<config dir>/cco/` and returns a manifest that also lists it if it was created now. */
function startManifest(ctx: RegisterCtx): { m: InstallManifest; mfile: string } {
  const mfile = manifestPath(ctx.o.configDir);
  const created = [...ensureDir(path.dirname(mfile)), ...ctx.createdDirs];
  return { m: newManifest(ctx, created), mfile };
}

/** @returns the backup it made of settings.json, if any */
async function registerSettings(ctx: RegisterCtx): Promise<string | undefined> {
  const { o, reg, file } = ctx;
  const id = pluginId(reg);
  const cur = readSettingsFile(file);
  const { settings: next, added } = addRegistration(cur.exists ? cur.value : {}, reg);
  if (cur.exists && added.every((e) => e.status === 'present')) {
    o.log(`${id} is already registered in ${file}; nothing changed`);
    return undefined;
  }
  const { m, mfile } = startManifest(ctx);
  const backup = cur.exists ? backupFile(file, o.now()) : undefined;
  const before = ctx.prior?.settings;
  m.settings = {
    file,
    fileCreated: (before?.fileCreated ?? false) || !cur.exists,
    backups: [...(before?.backups ?? []), ...(backup ? [backup] : [])],
    added: mergeAdded(before?.added, added),
  };
  // Manifest first: if the settings write then fails, uninstall only finds less to remove.
  await writeManifest(mfile, m);
  await writeTextAtomic(realTarget(file), textOf(cur, next));
  o.log(`registered ${id} in ${file} (${backup ? `backup: ${backup}` : 'new file'})`);
  o.log(`install manifest: ${mfile}`);
  return backup;
}

/** @returns the backup it made of settings.json, if any */
async function registerCli(ctx: RegisterCtx, claude: ClaudeRunner): Promise<string | undefined> {
  const { o, reg, file } = ctx;
  const id = pluginId(reg);
  let started: { m: InstallManifest; mfile: string } | undefined;
  const start = (): { m: InstallManifest; mfile: string } => (started ??= startManifest(ctx));

  // Switching from an earlier settings-file registration: undo it, the CLI writes the same keys.
  if (ctx.prior?.settings) {
    const { m, mfile } = start();
    o.log('switching from the settings.json registration to the claude CLI');
    await undoSettings(ctx.prior.settings, id, o);
    delete m.settings;
    await writeManifest(mfile, m);
  }

  const cur = readSettingsFile(file); // refuses a settings.json that is not JSON before claude rewrites it
  const steps: Array<{ key: 'marketplaceAdd' | 'pluginInstall'; argv: string[]; present: boolean }> = [
    { key: 'marketplaceAdd', argv: ['plugin', 'marketplace', 'add', reg.repoRoot], present: marketplacePresent(cur, reg) },
    { key: 'pluginInstall', argv: ['plugin', 'install', id, '-s', 'user'], present: pluginPresent(cur, o.configDir, id) },
  ];
  if (steps.every((s) => s.present)) {
    o.log(`${id} is already installed through the claude CLI in ${o.configDir}; nothing changed`);
    return undefined;
  }

  const { m, mfile } = start();
  const cli: CliRecord = m.cli ?? { claude: claude.path, backups: [] };
  cli.claude = claude.path;
  if (cur.exists) cli.backups = [...cli.backups, backupFile(file, o.now())];
  m.cli = cli;
  for (const step of steps) {
    const at = o.now().toISOString();
    if (step.present) {
      cli[step.key] = mergeCommand(cli[step.key], { argv: step.argv, status: 'skipped-present', exitCode: null, at });
      o.log(`skipped: claude ${step.argv.join(' ')} (already there)`);
      continue;
    }
    const r = claude.run(step.argv);
    const ok = r.exitCode === 0 && r.error === undefined;
    const rec: CommandRecord = { argv: step.argv, status: ok ? 'succeeded' : 'failed', exitCode: r.exitCode, at };
    cli[step.key] = mergeCommand(cli[step.key], rec);
    m.updatedAt = at;
    await writeManifest(mfile, m);
    if (!ok) throw new InstallError(`claude ${step.argv.join(' ')} failed: ${lastLine(r)}`);
    o.log(`ran: claude ${step.argv.join(' ')}`);
  }
  await writeManifest(mfile, m);
  o.log(`registered ${id} with the claude CLI (user scope, config dir ${o.configDir}${cur.exists ? `, backup: ${cli.backups.at(-1)}` : ''})`);
  o.log(`install manifest: ${mfile}`);
  return cur.exists ? cli.backups.at(-1) : undefined;
}

function cliUndoSteps(
  m: Pick<InstallManifest, 'plugin' | 'marketplace'>,
  configDir: string,
): Array<{ key: 'pluginInstall' | 'marketplaceAdd'; argv: string[]; gone: () => boolean }> {
  return [
    { key: 'pluginInstall', argv: ['plugin', 'uninstall', m.plugin], gone: () => !pluginKnown(configDir, m.plugin) },
    { key: 'marketplaceAdd', argv: ['plugin', 'marketplace', 'remove', m.marketplace], gone: () => !marketplaceKnown(configDir, m.marketplace) },
  ];
}

/**
 * Refuses (before anything is changed) an uninstall whose CLI steps need a `claude` that is not given.
 * @throws InstallError naming the commands to run by hand
 */
function checkCliUndoable(m: InstallManifest, o: UnregisterOptions): void {
  const cli = m.cli;
  if (!cli) return;
  const todo = cliUndoSteps(m, o.configDir).filter((s) => cli[s.key]?.status === 'succeeded');
  if (todo.length > 0 && !o.claude) {
    throw new InstallError(
      `cco was registered with the claude CLI (${cli.claude}), which is not on PATH now; put it on PATH and rerun, ` +
        `or run "claude ${todo.map((s) => s.argv.join(' ')).join('" and "claude ')}" yourself`,
    );
  }
}

async function unregisterCli(m: InstallManifest, o: UnregisterOptions): Promise<void> {
  const cli = m.cli!;
  const mfile = manifestPath(o.configDir);
  checkCliUndoable(m, o);
  const todo = cliUndoSteps(m, o.configDir).filter((s) => cli[s.key]?.status === 'succeeded');
  for (const step of todo) {
    const r = o.claude!.run(step.argv);
    if (r.exitCode === 0 && r.error === undefined) {
      o.log(`ran: claude ${step.argv.join(' ')}`);
    } else if (step.gone()) {
      o.log(`claude ${step.argv.join(' ')} failed, but it is already gone: ${lastLine(r)}`);
    } else {
      await writeManifest(mfile, m);
      throw new InstallError(`claude ${step.argv.join(' ')} failed: ${lastLine(r)}`);
    }
    delete cli[step.key];
    m.updatedAt = o.now().toISOString();
  }
  o.log(`unregistered ${m.plugin} through the claude CLI`);
  await tidyAfterCli(settingsPath(o.configDir), cli.backups, o);
  dropRedundantBackups(settingsPath(o.configDir), cli.backups, o.log);
}

/**
 * After the CLI's own uninstall, removes the empty objects it leaves in settings.json that the user's
 * file did not have, so that the file is the user's again: the original bytes when the JSON matches the
 * pre-install backup, and no file at all when there was none before and nothing is left.
 */
async function tidyAfterCli(file: string, backups: readonly string[], o: CommonOptions): Promise<void> {
  // The caller (unregister) holds the settings lock.
  const cur = readSettingsFile(file);
  if (!cur.exists) return;
  const originalText = backups.length > 0 ? readTextLoose(backups[0]!) : undefined;
  const original = originalText === undefined ? undefined : parseSettingsText(originalText);
  const next = dropEmptyContainers(cur.value, original);
  if (jsonEqual(next, cur.value)) return;
  if (original === undefined && backups.length === 0 && Object.keys(next).length === 0) {
    removeFile(file);
    o.log(`removed ${file} (the claude CLI left it empty; it did not exist before install)`);
  } else if (originalText !== undefined && jsonEqual(next, original)) {
    await writeTextAtomic(realTarget(file), originalText);
    o.log(`restored ${file} from ${backups[0]} (dropped empty entries the claude CLI left)`);
  } else {
    await writeTextAtomic(realTarget(file), textOf(cur, next));
    o.log(`dropped empty entries the claude CLI left in ${file}`);
  }
}

/**
 * Removes the recorded entries from settings.json. Restores the original bytes when the result equals a
 * recorded backup (and deletes that now redundant backup); deletes the file when install created it and
 * nothing else is left; else writes the result after a backup.
 */
async function undoSettings(rec: SettingsRecord, id: string, o: CommonOptions): Promise<void> {
  const cur = readSettingsFile(rec.file);
  if (!cur.exists) {
    o.log(`${rec.file} no longer exists; nothing to remove there`);
    return;
  }
  const next = removeRegistration(cur.value, rec.added);
  if (jsonEqual(next, cur.value)) {
    o.log(`nothing of ours left in ${rec.file}; not changed`);
    dropRedundantBackups(rec.file, rec.backups, o.log);
    return;
  }
  if (rec.fileCreated && Object.keys(next).length === 0) {
    removeFile(rec.file);
    o.log(`removed ${id} and ${rec.file} (install had created it)`);
    return;
  }
  const original = rec.backups.map((b) => ({ b, text: readTextLoose(b) })).find((x) => x.text !== undefined && sameJson(x.text, next));
  if (original?.text !== undefined) {
    await writeTextAtomic(realTarget(rec.file), original.text);
    o.log(`removed ${id} from ${rec.file} (restored the original from ${original.b})`);
    dropRedundantBackups(rec.file, rec.backups, o.log);
    return;
  }
  const backup = backupFile(rec.file, o.now());
  await writeTextAtomic(realTarget(rec.file), textOf(cur, next));
  o.log(`removed ${id} from ${rec.file} (backup: ${backup})`);
}

/**
 * Undoes the recorded statusLine change (`removeStatusLine`). Writes the bytes of a recorded backup when
 * the result equals it as JSON; deletes the file when install created it and `{}` is left; else writes
 * the result. No backup of its own: it removes only the value we wrote (checked) and puts back the
 * user's value from the manifest, so nothing of the user's can be lost.
 */
async function undoStatusLine(rec: StatusLineRecord, backups: readonly string[], o: CommonOptions): Promise<void> {
  const cur = readSettingsFile(rec.file);
  if (!cur.exists) {
    o.log(`${rec.file} no longer exists; no statusLine to restore`);
    return;
  }
  const r = removeStatusLine(cur.value, rec);
  if (!r.changed) {
    o.log(`${r.why} (${rec.file})`);
    return;
  }
  if (rec.fileCreated && Object.keys(r.settings).length === 0) {
    removeFile(rec.file);
    o.log(`${r.why}; removed ${rec.file} (install had created it)`);
    return;
  }
  const original = backups.map((b) => ({ b, text: readTextLoose(b) })).find((x) => x.text !== undefined && sameJson(x.text, r.settings));
  const spelled = rec.status === 'replaced' && rec.previousText !== undefined ? [{ path: ['statusLine'], text: rec.previousText }] : [];
  await writeTextAtomic(realTarget(rec.file), original?.text ?? textOf(cur, r.settings, spelled));
  o.log(`${r.why} in ${rec.file}${original ? ` (the file is as in ${original.b})` : ''}`);
}

/** Deletes install backups whose bytes equal the settings file now (they hold nothing the file does not). */
function dropRedundantBackups(file: string, backups: readonly string[], log: (line: string) => void): void {
  const now = readTextLoose(file);
  for (const b of backups) {
    const text = readTextLoose(b);
    if (text === undefined) continue;
    if (now !== undefined && text === now) {
      removeFile(b);
      log(`removed backup ${b} (identical to ${file})`);
    } else {
      log(`kept backup ${b}`);
    }
  }
}

/**
 * The text to write for settings now `next`: the file's own text changed by minimal edits of the keys
 * that differ (settings-text.ts), so the user's comments, spacing and numbers stay; a new file formatted.
 */
function textOf(cur: SettingsRead, next: JsonObject, spelled: readonly SpelledValue[] = []): string {
  return cur.exists ? editSettingsText(cur.text, cur.value, next, spelled) : formatSettings(next);
}

/**
 * Refuses, before anything is changed, a settings.json (or the file its symlink names) that is read-only:
 * the user made it so, and an atomic write (temp file, rename) would replace it all the same. `--force`
 * writes it anyway (it stays read-only).
 * @throws InstallError naming the file and the way out
 */
function refuseReadOnly(file: string, o: CommonOptions): void {
  if (o.force === true) return;
  const real = realTarget(file);
  let st;
  try {
    st = statSync(real);
  } catch {
    return; // none yet: install creates it
  }
  // By its mode bits, not access(2): root may write any file, and install.sh is run as root in containers.
  let writable = (st.mode & 0o222) !== 0;
  if (writable) {
    try {
      accessSync(real, constants.W_OK);
    } catch {
      writable = false;
    }
  }
  if (!writable) throw new InstallError(`${real} is read-only; nothing was changed (make it writable, or run again with --force to write it anyway)`);
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return jsonEqual(parseSettingsText(text), value);
  } catch {
    return false;
  }
}

function marketplacePresent(cur: SettingsRead, reg: Registration): boolean {
  if (!cur.exists) return false;
  const markets = cur.value.extraKnownMarketplaces;
  const entry = isJsonObject(markets) ? markets[reg.marketplace] : undefined;
  return isJsonObject(entry) && jsonEqual(entry.source, directorySource(reg.repoRoot));
}

function pluginPresent(cur: SettingsRead, configDir: string, id: string): boolean {
  if (!cur.exists) return false;
  const enabled = cur.value.enabledPlugins;
  return isJsonObject(enabled) && enabled[id] === true && installedPluginsHas(configDir, id);
}

/** `$CFG/plugins/installed_plugins.json` lists `id` (format `{version, plugins: {id: [...]}}`). */
function installedPluginsHas(configDir: string, id: string): boolean {
  const raw = readJsonOrUndefined(path.join(configDir, 'plugins', 'installed_plugins.json'));
  const plugins = isJsonObject(raw) ? raw.plugins : undefined;
  const entry = isJsonObject(plugins) ? plugins[id] : undefined;
  return Array.isArray(entry) ? entry.length > 0 : entry !== undefined;
}

/** The plugin is still known to Claude Code (in user settings or its install bookkeeping). */
function pluginKnown(configDir: string, id: string): boolean {
  const s = readJsonOrUndefined(settingsPath(configDir));
  const enabled = isJsonObject(s) ? s.enabledPlugins : undefined;
  return (isJsonObject(enabled) && Object.hasOwn(enabled, id)) || installedPluginsHas(configDir, id);
}

/** The marketplace is still known to Claude Code (user settings or `known_marketplaces.json`). */
function marketplaceKnown(configDir: string, name: string): boolean {
  const s = readJsonOrUndefined(settingsPath(configDir));
  const markets = isJsonObject(s) ? s.extraKnownMarketplaces : undefined;
  if (isJsonObject(markets) && Object.hasOwn(markets, name)) return true;
  const known = readJsonOrUndefined(path.join(configDir, 'plugins', 'known_marketplaces.json'));
  return isJsonObject(known) && Object.hasOwn(known, name);
}
