import { fix, ok, plural, type CheckResult } from './check.ts';

/** The account's config dirs as cco sees them (src/store/config-dirs-registry.ts). */
export interface ConfigDirsFacts {
  account: string;
  accountDir: string;
  /** This config dir first, then the account's others that exist. */
  dirs: readonly string[];
  /** Registered dirs of the account that no longer exist. */
  gone: readonly string[];
  /** Dirs of the account signed in to different Claude accounts (empty when they agree or it is unknown). */
  mixed: readonly string[];
}

/**
 * The account's config dirs: how many share one quota picture and where it lives; registered dirs that
 * are gone (their sessions no longer count; forgotten after 7 days); dirs signed in to different
 * Claude accounts counted as one (a fix: CCO_ACCOUNT keeps them apart). Pure.
 */
export function checkConfigDirs(f: ConfigDirsFacts): CheckResult[] {
  const out: CheckResult[] = [];
  const gone = f.gone.length === 0 ? '' : `; ${plural(f.gone.length, 'config dir')} seen before no longer exist${f.gone.length === 1 ? 's' : ''} (${f.gone[0]}): ${f.gone.length === 1 ? 'its' : 'their'} sessions no longer count`;
  const share = f.dirs.length === 1 ? `its quota picture is in ${f.accountDir} (1 config dir: ${f.dirs[0]})` : `${plural(f.dirs.length, 'config dir')} share one quota picture in ${f.accountDir} (${f.dirs.join(', ')})`;
  out.push(ok('account', `account ${f.account}: ${share}${gone}`));
  if (f.mixed.length > 1) {
    out.push(fix('account', `config dirs ${f.mixed.join(' and ')} are signed in to different Claude accounts but count toward one quota`,
      `keep one apart: add "env": {"CCO_ACCOUNT": "<name>"} to its settings.json (Claude Code passes it to cco's hooks and status line)`));
  }
  return out;
}
