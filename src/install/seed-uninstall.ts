/**
 * Uninstall of the seed commands (src/install/seed-install.ts): removes a file install wrote only while
 * it is a regular file holding exactly what install wrote (or the checkout's current seed text). A
 * symlink, a file it cannot read, one without the marker or one the person edited is kept, with a line.
 */
import type { SeedCommand } from '../claude/seed-commands.ts';
import { removeFile } from './files.ts';
import { errCode, probeSeedFile, seedOwner } from './seed-files.ts';
import { currentSeedText, type SeedCommandsRecord } from './seed-install.ts';

/**
 * Removes the seed commands install wrote (`written` records) that are still unedited; a missing file is
 * skipped silently.
 * @param repoRoot the checkout install used (the manifest's `repoRoot`): its current seed text counts as
 *   ours too; a checkout that is gone only leaves the recorded sha256 to compare with
 * @returns one line per command for the person
 * @throws never (an fs error on one file becomes its line)
 */
export function removeSeedCommands(rec: SeedCommandsRecord, repoRoot?: string): string[] {
  const lines: string[] = [];
  const current = (name: SeedCommand): string | undefined => (repoRoot === undefined ? undefined : currentSeedText(repoRoot, name));
  for (const c of rec.commands) {
    if (c.status !== 'written') continue;
    const st = probeSeedFile(c.file);
    if (st.kind === 'absent') continue;
    if (st.kind === 'symlink') {
      lines.push(`kept ${c.file}: it is a symlink, so it is yours (cco removes only the file it wrote)`);
      continue;
    }
    if (st.kind === 'other') {
      lines.push(`kept ${c.file}: it is not a regular file`);
      continue;
    }
    if (st.kind === 'unreadable') {
      lines.push(`kept ${c.file}: could not read it (${st.code})`);
      continue;
    }
    const owner = seedOwner(st.text, { writtenSha: c.sha256, current: current(c.name) });
    if (owner === 'theirs') {
      lines.push(`kept ${c.file}: it is yours now (no cco marker)`);
      continue;
    }
    if (owner === 'edited') {
      lines.push(`kept ${c.file}: you edited it after install; delete it yourself if you no longer want /${c.name}`);
      continue;
    }
    try {
      removeFile(c.file);
      lines.push(`removed /${c.name} (${c.file})`);
    } catch (e) {
      lines.push(`could not remove ${c.file} (${errCode(e)}); delete it yourself`);
    }
  }
  return lines;
}
