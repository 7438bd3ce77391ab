/**
 * Errors that mean "the state dir cannot take a write now" rather than a bug: read-only (EACCES, EPERM,
 * EROFS), full (ENOSPC, EDQUOT), or failing (EIO). A read-only command (`cco status`, `report`, `tools`)
 * then prints what it can compute without saving, and says so on stderr in one line.
 */
const CANNOT_SAVE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO']);

/** The error code of `e` when it is a failed write of that kind (see above), else null. Pure. */
export function cannotSave(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && CANNOT_SAVE.has(code) ? code : null;
}

/**
 * The one stderr line of a command that went on without saving: `cco: could not save in <dir> (<code>:
 * <why>); <what>`, or with `thing` (e.g. `the report cache`): `cco: could not save <thing> in <dir> ...`.
 */
export function cannotSaveLine(stateDir: string, code: string, what: string, thing?: string): string {
  const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : code === 'EIO' ? 'an I/O error' : 'not writable';
  return `cco: could not save ${thing === undefined ? '' : `${thing} `}in ${stateDir} (${code}: ${why}); ${what}\n`;
}
