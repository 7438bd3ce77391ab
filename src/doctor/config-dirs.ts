import type { GoneDir } from '../store/config-dirs-registry.ts';
import { fix, ok, plural, type CheckResult } from './check.ts';

/** The account's config dirs as cco sees them (src/store/config-dirs-registry.ts). */
export interface ConfigDirsFacts {
  account: string;
  accountDir: string;
  /** This config dir first, then the account's others that exist. */
  dirs: readonly string[];
  /** Registered dirs of the account that no longer exist, most recently seen first. */
  gone: readonly GoneDir[];
  /** Dirs of the account signed in to different Claude accounts (empty when they agree or it is unknown). */
  mixed: readonly string[];
  /** What is wrong with CCO_HOME / CCO_ACCOUNT as set (src/claude/account-home.ts accountSettingNotes). */
  settingNotes: readonly string[];
  /** Why the account's dir cannot be used (e.g. a file in the way, no write permission); null when it can. */
  unusable: string | null;
}

/**
 * The account's config dirs: how many share one quota picture and where it lives; registered dirs that
 * are gone (what was tracked from them still counts; forgotten 7 days after last seen); a state dir
 * cco cannot use, CCO_HOME / CCO_ACCOUNT values that do not mean what they seem, and dirs signed in to
 * different Claude accounts counted as one (fixes). Pure.
 */
export function checkConfigDirs(f: ConfigDirsFacts): CheckResult[] {
  const out: CheckResult[] = [];
  const gone =
    f.gone.length === 0
      ? ''
      : `; ${plural(f.gone.length, 'config dir')} seen before no longer exist${f.gone.length === 1 ? 's' : ''} (${f.gone[0]!.dir}${f.gone.length > 1 ? `, +${f.gone.length - 1} more` : ''}): usage tracked from ${f.gone.length === 1 ? 'it' : 'them'} still counts, and ${f.gone.length === 1 ? 'it is' : 'they are'} forgotten 7 days after last seen`;
  const share =
    f.dirs.length === 1
      ? `its quota picture is in ${f.accountDir} (1 config dir: ${f.dirs[0]})`
      : `${plural(f.dirs.length, 'config dir')} share one quota picture in ${f.accountDir} (${f.dirs.join(', ')})`;
  out.push(ok('account', `account ${f.account}: ${share}${gone}`));
  if (f.unusable !== null)
    out.push(
      fix(
        'account',
        `cco cannot keep the account's state in ${f.accountDir}: ${f.unusable}`,
        'point CCO_HOME at a directory you can write (or remove it), then run cco doctor again',
      ),
    );
  for (const n of f.settingNotes) out.push(fix('account', n, 'set it in the config dir\'s settings.json "env" as an absolute path / a plain name'));
  if (f.mixed.length > 1) {
    out.push(
      fix(
        'account',
        `config dirs ${f.mixed.join(' and ')} are signed in to different Claude accounts but count toward one quota`,
        `keep one apart: add "env": {"CCO_ACCOUNT": "<name>"} to its settings.json (Claude Code passes it to cco's hooks and status line)`,
      ),
    );
  }
  return out;
}
