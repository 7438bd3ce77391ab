/**
 * The seeds' command names as user-level commands (`/session-status`, ...): Claude Code resolves only
 * `/cco:session-status` to the plugin's command, so install.sh writes `<config dir>/commands/<name>.md`
 * for each seed command, made from the plugin's own `commands/<name>.md` with the plugin root written
 * out (a user-level command gets no `${CLAUDE_PLUGIN_ROOT}`), and SEED_MARKER as its frontmatter's first
 * line. Only a regular file that is byte for byte what cco wrote (or the current seed text) is ever
 * replaced (src/install/seed-files.ts): a command of that name the person has, a symlink, a file cco
 * cannot read, or one the person edited is kept (they are told, and keep `/cco:<name>`). A seed that
 * cannot be written is skipped with a line; install goes on. Uninstall: src/install/seed-uninstall.ts.
 */
import path from 'node:path';
import { SEED_COMMANDS, SEED_MARKER, seedCommandFile, type SeedCommand } from '../claude/seed-commands.ts';
import { ensureDir, InstallError, readTextLoose, writeTextAtomic } from './files.ts';
import { errCode, probeSeedFile, seedOwner, sha256 } from './seed-files.ts';
import { shQuote } from './statusline-edit.ts';

/** What install did with one seed command. */
export interface SeedRecord {
  name: SeedCommand;
  file: string;
  /**
   * `written`: ours (created or updated, or an earlier run's file left as it was): uninstall removes it
   * while its bytes still hash to `sha256`; `theirs`: the person's own file of that name, left alone.
   */
  status: 'written' | 'theirs';
  /** sha256 of what was written (for `written`). */
  sha256?: string;
}

/** The manifest section of the seed commands. */
export interface SeedCommandsRecord {
  dir: string;
  commands: SeedRecord[];
}

/** Writes `text` to `file` (default: `writeTextAtomic`); injectable for tests. */
export type SeedWriter = (file: string, text: string) => Promise<void>;

/**
 * The user-level command made from the plugin command's text: `${CLAUDE_PLUGIN_ROOT}` written out as
 * `repoRoot` (the `node "${CLAUDE_PLUGIN_ROOT}/dist/cli.mjs"` call quoted as one shell word), and
 * SEED_MARKER added as the frontmatter's first line (so the result starts with SEED_HEAD). Pure.
 * @throws InstallError when the text has no frontmatter
 */
export function seedCommandText(pluginCommand: string, repoRoot: string): string {
  if (!pluginCommand.startsWith('---\n')) throw new InstallError('a plugin command without frontmatter');
  const cli = shQuote(path.join(repoRoot, 'dist', 'cli.mjs'));
  const body = pluginCommand.replaceAll('"${CLAUDE_PLUGIN_ROOT}/dist/cli.mjs"', cli).replaceAll('${CLAUDE_PLUGIN_ROOT}', repoRoot);
  return `---\n${SEED_MARKER}\n${body.slice(4)}`;
}

/**
 * The seed text install writes for `name`: `<sourceRoot>/commands/<name>.md` (default: the checkout at
 * `repoRoot`) with the plugin root written out as `repoRoot` (a plugin install's launcher dir).
 * @returns undefined when `<sourceRoot>/commands/<name>.md` is missing, unreadable or has no frontmatter
 */
export function currentSeedText(repoRoot: string, name: SeedCommand, sourceRoot: string = repoRoot): string | undefined {
  const text = readTextLoose(path.join(sourceRoot, 'commands', `${name}.md`));
  return text?.startsWith('---\n') ? seedCommandText(text, repoRoot) : undefined;
}

/**
 * Writes the seed commands into `<configDir>/commands/` (idempotent). Per command: an absent file, or one
 * that is ours and unedited (its sha256 is the one `prior` recorded, or it equals the current text), is
 * written; anything else is kept with one line saying why. An fs error on one command (its directory not
 * creatable, EACCES, ...) skips that command with one line; the others go on.
 * @param prior the `seedCommands` of the manifest before this run (what earlier runs wrote)
 * @param sourceRoot where the plugin's `commands/` are, when not `repoRoot` (a plugin install)
 * @returns the record for the manifest (`written` only for files that hold cco's text now or that an
 *   earlier run wrote and this one could not update), the directories it created, and lines for the person
 * @throws InstallError when a plugin command file of the checkout is missing (before anything is written)
 */
export async function installSeedCommands(
  configDir: string,
  repoRoot: string,
  opts: { prior?: SeedCommandsRecord | undefined; write?: SeedWriter; sourceRoot?: string | undefined } = {},
): Promise<{ record: SeedCommandsRecord; createdDirs: string[]; lines: string[] }> {
  const dir = path.join(configDir, 'commands');
  const texts = SEED_COMMANDS.map((name) => {
    const source = opts.sourceRoot ?? repoRoot;
    const text = currentSeedText(repoRoot, name, source);
    if (text === undefined) throw new InstallError(`${path.join(source, 'commands', `${name}.md`)} is missing; is ${source} a claude-code-optimizer checkout?`);
    return { name, text };
  });
  const priorOf = (name: SeedCommand): SeedRecord | undefined => opts.prior?.commands.find((c) => c.name === name);
  let createdDirs: string[];
  try {
    createdDirs = ensureDir(dir);
  } catch (e) {
    const kept = SEED_COMMANDS.map(priorOf).filter((c) => c !== undefined);
    return {
      record: { dir, commands: kept },
      createdDirs: [],
      lines: [`could not create ${dir} (${errCode(e)}); cco's commands are still available as /cco:<name>`],
    };
  }
  const commands: SeedRecord[] = [];
  const added: string[] = [];
  const lines: string[] = [];
  for (const { name, text } of texts) {
    const r = await installOne(seedCommandFile(configDir, name), name, text, priorOf(name), opts.write ?? writeTextAtomic);
    if (r.record) commands.push(r.record);
    if (r.record?.status === 'written' && r.line === undefined) added.push(`/${name}`);
    if (r.line !== undefined) lines.push(r.line);
  }
  if (added.length > 0) lines.unshift(`added the commands ${added.join(', ')} in ${dir} (each also works as /cco:<name>)`);
  return { record: { dir, commands }, createdDirs, lines };
}

/**
 * One seed command: what to record, and the line for the person when it was not simply written.
 * @throws never (a write error becomes a line)
 */
async function installOne(
  file: string,
  name: SeedCommand,
  next: string,
  prior: SeedRecord | undefined,
  write: SeedWriter,
): Promise<{ record?: SeedRecord; line?: string }> {
  const ours: SeedRecord = { name, file, status: 'written', sha256: sha256(next) };
  const theirs: SeedRecord = { name, file, status: 'theirs' };
  const writtenBefore = prior?.status === 'written' ? prior : undefined;
  const cco = `cco's /${name} is still available as /cco:${name}`;
  const st = probeSeedFile(file);
  switch (st.kind) {
    case 'symlink':
      return { record: theirs, line: `kept your own /${name} (${file}, a symlink); cco's is /cco:${name}` };
    case 'other':
      return { record: theirs, line: `left ${file} as it is: it is not a regular file (${cco})` };
    case 'unreadable':
      // Whose it is cannot be told: keep what earlier runs knew (uninstall checks the bytes again).
      return { ...(prior ? { record: prior } : {}), line: `could not read ${file} (${st.code}); left it as it is (${cco})` };
    case 'file': {
      const owner = seedOwner(st.text, { writtenSha: writtenBefore?.sha256, current: next });
      if (owner === 'theirs') return { record: theirs, line: `kept your own /${name} (${file}); cco's is /cco:${name}` };
      if (owner === 'edited') {
        return {
          record: writtenBefore ?? theirs,
          line: `kept /${name} (${file}): you edited it; delete it and run install again to get cco's version (cco's is /cco:${name})`,
        };
      }
      if (st.text === next) return { record: ours };
      break;
    }
    case 'absent':
      break;
  }
  try {
    await write(file, next);
    return { record: ours };
  } catch (e) {
    // An earlier run's file still there and unedited stays ours (uninstall removes it).
    const still = st.kind === 'file' ? writtenBefore : undefined;
    return { ...(still ? { record: still } : {}), line: `could not write ${file} (${errCode(e)}); /${name} is still available as /cco:${name}` };
  }
}
