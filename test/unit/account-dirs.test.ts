import { describe, expect, it } from 'vitest';
import { accountDir, accountName, accountSettingNotes, ccoHome } from '../../src/claude/account-home.ts';
import { goneDirsNote } from '../../src/cli/status.ts';
import { checkConfigDirs } from '../../src/doctor/config-dirs.ts';
import {
  accountDirsOf,
  emptyRegistry,
  FORGET_GONE_AFTER_MS,
  foldSighting,
  MAX_REGISTERED_DIRS,
  mixedClaudeAccounts,
  REFRESH_AFTER_MS,
  type ConfigDirsRegistry,
} from '../../src/store/config-dirs-registry.ts';

const T = Date.UTC(2026, 11, 7, 10, 0, 0);
const H = 3_600_000;

describe('where the account state lives', () => {
  it('CCO_HOME, else XDG_STATE_HOME, else ~/.local/state; relative values ignored', () => {
    expect(ccoHome({ CCO_HOME: '/srv/cco' }, '/home/u')).toBe('/srv/cco');
    expect(ccoHome({ XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe('/x/state/claude-code-optimizer');
    expect(ccoHome({}, '/home/u')).toBe('/home/u/.local/state/claude-code-optimizer');
    expect(ccoHome({ CCO_HOME: 'rel/dir', XDG_STATE_HOME: 'also/rel' }, '/home/u')).toBe('/home/u/.local/state/claude-code-optimizer');
    expect(ccoHome({ CCO_HOME: '~/cco' }, '/home/u')).toBe('/home/u/cco'); // as written in settings.json env, no shell to expand it
    expect(ccoHome({ CCO_HOME: '~' }, '/home/u')).toBe('/home/u');
  });

  it('the account is CCO_ACCOUNT when it is a plain name; any other value is still an account of its own, never default', () => {
    expect(accountName({})).toBe('default');
    expect(accountName({ CCO_ACCOUNT: '  ' })).toBe('default');
    expect(accountName({ CCO_ACCOUNT: 'work' })).toBe('work');
    expect(accountName({ CCO_ACCOUNT: 'work.2_b-c' })).toBe('work.2_b-c');
    const odd = ['..', '.', '.hidden', 'a/b', '../x', 'x/../../y', 'x'.repeat(65), 'work account', 'wörk'];
    const names = odd.map((a) => accountName({ CCO_ACCOUNT: a }));
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]{1,40}-[0-9a-f]{8}$/);
    expect(new Set(names).size).toBe(odd.length); // distinct values stay distinct accounts
    expect(accountName({ CCO_ACCOUNT: 'work account' })).toBe(accountName({ CCO_ACCOUNT: 'work account' }));
    expect(accountName({ CCO_ACCOUNT: 'work account' })).toMatch(/^work-account-/);
    expect(accountDir('/h', 'work')).toBe('/h/accounts/work');
  });

  it('says when CCO_HOME or CCO_ACCOUNT does not mean what it seems', () => {
    expect(accountSettingNotes({ CCO_HOME: '/abs', CCO_ACCOUNT: 'work' }, '/home/u')).toEqual([]);
    expect(accountSettingNotes({ CCO_HOME: '~/cco' }, '/home/u')).toEqual([]);
    const notes = accountSettingNotes({ CCO_HOME: 'rel/dir', CCO_ACCOUNT: 'work account' }, '/home/u');
    expect(notes[0]).toBe('CCO_HOME="rel/dir" is not an absolute path, so it is ignored (cco keeps its state in /home/u/.local/state/claude-code-optimizer)');
    expect(notes[1]).toMatch(/^CCO_ACCOUNT="work account" is not a plain name .*, so its account is named work-account-[0-9a-f]{8}$/);
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

  it("the account's other dirs: registered and existing, then configured; gone ones apart; other accounts never", () => {
    let r = emptyRegistry();
    for (const [d, a] of [
      ['/own', 'default'],
      ['/b', 'default'],
      ['/c', 'default'],
      ['/w', 'work'],
    ] as const)
      r = foldSighting(r, d, a, null, T, () => true)!;
    const { dirs, gone } = accountDirsOf(r, 'default', '/own', ['/listed', 'relative/x', '/b'], exists(['/own', '/b', '/listed', '/w']));
    expect(dirs).toEqual(['/b', '/listed']);
    expect(gone).toEqual([{ dir: '/c', lastSeenAt: new Date(T).toISOString() }]);
    expect(accountDirsOf(r, 'work', '/own', [], () => true).dirs).toEqual(['/w']);
  });

  it('flags dirs of one cco account signed in to different Claude accounts', () => {
    let r = emptyRegistry();
    r = foldSighting(r, '/a', 'default', 'u1', T, () => true)!;
    r = foldSighting(r, '/b', 'default', 'u1', T, () => true)!;
    expect(mixedClaudeAccounts(r, 'default')).toEqual([]);
    r = foldSighting(r, '/c', 'default', 'u2', T, () => true)!;
    expect(mixedClaudeAccounts(r, 'default')).toEqual(['/a', '/c']);
    const checks = checkConfigDirs({
      account: 'default',
      accountDir: '/h/accounts/default',
      dirs: ['/a', '/b', '/c'],
      gone: [{ dir: '/old', lastSeenAt: '2026-12-01T00:00:00.000Z' }],
      mixed: ['/a', '/c'],
      settingNotes: [],
      unusable: null,
    });
    expect(checks[0]).toMatchObject({
      status: 'ok',
      detail:
        'account default: 3 config dirs share one quota picture in /h/accounts/default (/a, /b, /c); 1 config dir seen before no longer exists (/old): usage tracked from it still counts, and it is forgotten 7 days after last seen',
    });
    expect(checks[1]).toMatchObject({ status: 'fix', detail: 'config dirs /a and /c are signed in to different Claude accounts but count toward one quota' });
    expect(checks).toHaveLength(2);
  });

  it('doctor: a state dir cco cannot use and a setting that does not mean what it seems are fixes', () => {
    const checks = checkConfigDirs({
      account: 'default',
      accountDir: '/f/accounts/default',
      dirs: ['/a'],
      gone: [],
      mixed: [],
      settingNotes: ['CCO_HOME="rel" is not an absolute path'],
      unusable: '/f is not a directory',
    });
    expect(checks.map((c) => [c.status, c.detail])).toEqual([
      ['ok', 'account default: its quota picture is in /f/accounts/default (1 config dir: /a)'],
      ['fix', "cco cannot keep the account's state in /f/accounts/default: /f is not a directory"],
      ['fix', 'CCO_HOME="rel" is not an absolute path'],
    ]);
  });

  it('ignores and forgets relative keys (a hand edit would mean the current directory)', () => {
    const r: ConfigDirsRegistry = {
      version: 1,
      dirs: { 'rel/x': { account: 'default', firstSeenAt: new Date(T).toISOString(), lastSeenAt: new Date(T).toISOString(), claudeAccount: null } },
    };
    expect(accountDirsOf(r, 'default', '/own', [], () => true)).toEqual({ dirs: [], gone: [] });
    expect(Object.keys(foldSighting(r, '/own', 'default', null, T, () => true)!.dirs)).toEqual(['/own']);
  });

  it('bounds the registry: the least recently seen past MAX_REGISTERED_DIRS are dropped on write and not read', () => {
    const dirs: ConfigDirsRegistry['dirs'] = {};
    const n = MAX_REGISTERED_DIRS + 50;
    for (let i = 0; i < n; i++)
      dirs[`/d${i}`] = { account: 'default', firstSeenAt: new Date(T).toISOString(), lastSeenAt: new Date(T + i * 1_000).toISOString(), claudeAccount: null };
    const r: ConfigDirsRegistry = { version: 1, dirs };
    const read = accountDirsOf(r, 'default', '/own', [], () => false);
    expect(read.gone).toHaveLength(MAX_REGISTERED_DIRS);
    expect(read.gone[0]!.dir).toBe(`/d${n - 1}`); // most recently seen first
    const written = foldSighting(r, '/own', 'default', null, T + n * 1_000, () => true)!;
    expect(Object.keys(written.dirs)).toHaveLength(MAX_REGISTERED_DIRS);
    expect(written.dirs['/own']).toBeDefined();
    expect(written.dirs['/d0']).toBeUndefined();
    expect(written.dirs[`/d${n - 1}`]).toBeDefined();
  });
});

describe('the status note on config dirs that are gone', () => {
  const at = (hoursAgo: number) => new Date(T - hoursAgo * H).toISOString();
  it('one line, only for dirs seen within the 5-hour window, and says their tracked usage still counts', () => {
    expect(goneDirsNote([], T)).toBeNull();
    expect(goneDirsNote([{ dir: '/old', lastSeenAt: at(6) }], T)).toBeNull(); // doctor's to list
    expect(goneDirsNote([{ dir: '/b', lastSeenAt: at(1) }], T)).toBe(
      'the config dir /b, seen within the last 5 hours, no longer exists: usage tracked from it still counts toward this window',
    );
    const many = Array.from({ length: 1_000 }, (_, i) => ({ dir: `/d${i}`, lastSeenAt: at(1) }));
    const note = goneDirsNote(many, T)!;
    expect(note.split('\n')).toHaveLength(1);
    expect(note).toContain('/d0 (+999 more, cco doctor)');
  });
});
