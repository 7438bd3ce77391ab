import { describe, expect, it } from 'vitest';
import { accountDir, accountName, ccoHome } from '../../src/claude/account-home.ts';
import { checkConfigDirs } from '../../src/doctor/config-dirs.ts';
import { accountDirsOf, emptyRegistry, FORGET_GONE_AFTER_MS, foldSighting, mixedClaudeAccounts, REFRESH_AFTER_MS } from '../../src/store/config-dirs-registry.ts';

const T = Date.UTC(2026, 11, 7, 10, 0, 0);
const H = 3_600_000;

describe('where the account state lives', () => {
  it('CCO_HOME, else XDG_STATE_HOME, else ~/.local/state; relative values ignored', () => {
    expect(ccoHome({ CCO_HOME: '/srv/cco' }, '/home/u')).toBe('/srv/cco');
    expect(ccoHome({ XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe('/x/state/claude-code-optimizer');
    expect(ccoHome({}, '/home/u')).toBe('/home/u/.local/state/claude-code-optimizer');
    expect(ccoHome({ CCO_HOME: 'rel/dir', XDG_STATE_HOME: 'also/rel' }, '/home/u')).toBe('/home/u/.local/state/claude-code-optimizer');
  });

  it('the account is CCO_ACCOUNT when it is a plain name, else default', () => {
    expect(accountName({})).toBe('default');
    expect(accountName({ CCO_ACCOUNT: 'work' })).toBe('work');
    for (const bad of ['', '..', '.', 'a/b', '../x', 'x'.repeat(65), 'a b']) expect(accountName({ CCO_ACCOUNT: bad })).toBe('default');
    expect(accountDir('/h', 'work')).toBe('/h/accounts/work');
  });
});

describe('the config dirs registry', () => {
  const exists = (live: string[]) => (d: string) => live.includes(d);

  it('records a dir once, refreshes it hourly, and keeps its first sighting', () => {
    const r1 = foldSighting(emptyRegistry(), '/a', 'default', null, T, exists(['/a']))!;
    expect(r1.dirs['/a']).toEqual({ account: 'default', firstSeenAt: new Date(T).toISOString(), lastSeenAt: new Date(T).toISOString(), claudeAccount: null });
    expect(foldSighting(r1, '/a', 'default', null, T + REFRESH_AFTER_MS - 1, exists(['/a']))).toBeUndefined();
    const r2 = foldSighting(r1, '/a', 'default', 'uuid-1', T + 60_000, exists(['/a']))!; // a Claude account learned: written at once
    expect(r2.dirs['/a']).toMatchObject({ firstSeenAt: new Date(T).toISOString(), claudeAccount: 'uuid-1' });
    expect(foldSighting(r2, '/a', 'work', 'uuid-1', T + 2 * 60_000, exists(['/a']))!.dirs['/a']!.account).toBe('work');
  });

  it('forgets a dir that is gone a week after it was last seen, not before, and never one that exists', () => {
    let r = foldSighting(emptyRegistry(), '/gone', 'default', null, T, () => true)!;
    r = foldSighting(r, '/kept', 'default', null, T, () => true)!;
    const later = T + FORGET_GONE_AFTER_MS + H;
    const next = foldSighting(r, '/a', 'default', null, later, exists(['/a', '/kept']))!;
    expect(Object.keys(next.dirs).sort()).toEqual(['/a', '/kept']);
    expect(Object.keys(foldSighting(r, '/a', 'default', null, T + H, exists(['/a']))!.dirs).sort()).toEqual(['/a', '/gone', '/kept']);
  });

  it('the account\'s other dirs: registered and existing, then configured; gone ones apart; other accounts never', () => {
    let r = emptyRegistry();
    for (const [d, a] of [['/own', 'default'], ['/b', 'default'], ['/c', 'default'], ['/w', 'work']] as const) r = foldSighting(r, d, a, null, T, () => true)!;
    const { dirs, gone } = accountDirsOf(r, 'default', '/own', ['/listed', 'relative/x', '/b'], exists(['/own', '/b', '/listed', '/w']));
    expect(dirs).toEqual(['/b', '/listed']);
    expect(gone).toEqual(['/c']);
    expect(accountDirsOf(r, 'work', '/own', [], () => true).dirs).toEqual(['/w']);
  });

  it('flags dirs of one cco account signed in to different Claude accounts', () => {
    let r = emptyRegistry();
    r = foldSighting(r, '/a', 'default', 'u1', T, () => true)!;
    r = foldSighting(r, '/b', 'default', 'u1', T, () => true)!;
    expect(mixedClaudeAccounts(r, 'default')).toEqual([]);
    r = foldSighting(r, '/c', 'default', 'u2', T, () => true)!;
    expect(mixedClaudeAccounts(r, 'default')).toEqual(['/a', '/c']);
    const checks = checkConfigDirs({ account: 'default', accountDir: '/h/accounts/default', dirs: ['/a', '/b', '/c'], gone: ['/old'], mixed: ['/a', '/c'] });
    expect(checks[0]).toMatchObject({ status: 'ok', detail: 'account default: 3 config dirs share one quota picture in /h/accounts/default (/a, /b, /c); 1 config dir seen before no longer exists (/old): its sessions no longer count' });
    expect(checks[1]).toMatchObject({ status: 'fix', detail: 'config dirs /a and /c are signed in to different Claude accounts but count toward one quota' });
  });
});
