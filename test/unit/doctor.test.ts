import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ago } from '../../src/doctor/check.ts';
import { bundlesNeeded, checkDist } from '../../src/doctor/dist.ts';
import { checkHooksSeen, HOOK_SILENCE_MS } from '../../src/doctor/hooks-seen.ts';
import { checkLocks, STALE_LOCK_MS } from '../../src/doctor/locks.ts';
import { checkLog, LOG_MAX_BYTES } from '../../src/doctor/log.ts';
import { checkNode, nodeSupported } from '../../src/doctor/node.ts';
import { checkPlugin, checkStatusLine, type PluginFacts } from '../../src/doctor/plugin.ts';
import { checkSpool, SPOOL_BACKLOG_MS } from '../../src/doctor/spool.ts';
import { checkStateFiles, STATE_FILES, stateFileProblem, TEMP_FILE_GRACE_MS, type StateFacts } from '../../src/doctor/state-files.ts';
import { checkTranscripts } from '../../src/doctor/transcripts.ts';
import { renderDoctor } from '../../src/render/doctor.ts';
import { ROOT } from '../helpers/sandbox-env.ts';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('node', () => {
  it.each([
    ['v20.17.0', true],
    ['v20.20.2', true],
    ['v20.16.9', false],
    ['v21.7.0', false],
    ['v22.8.0', false],
    ['v22.9.0', true],
    ['v24.1.0', true],
    ['v18.19.0', false],
    ['garbage', false],
  ])('%s supported: %s', (v, want) => {
    expect(nodeSupported(v)).toBe(want);
    expect(checkNode(v).status).toBe(want ? 'ok' : 'fix');
  });
});

describe('plugin and status line', () => {
  const facts = (settings: unknown, installed: unknown = null): PluginFacts => ({
    settingsFile: '/c/settings.json',
    settings: settings === undefined ? { kind: 'missing' } : { kind: 'ok', value: settings },
    installedFile: '/c/plugins/installed_plugins.json',
    installed: installed === null ? { kind: 'missing' } : { kind: 'ok', value: installed },
  });

  it('asks to install when settings.json is missing or does not enable cco', () => {
    for (const f of [facts(undefined), facts({ enabledPlugins: { 'other@x': true } })]) {
      const [r] = checkPlugin(f);
      expect(r).toMatchObject({ status: 'fix', detail: 'cco is not enabled in /c/settings.json' });
      expect(r!.fix).toMatch(/install\.sh/);
    }
  });

  it('asks to enable a disabled cco', () => {
    const [r] = checkPlugin(facts({ enabledPlugins: { 'cco@cco-local': false } }));
    expect(r).toMatchObject({ status: 'fix', fix: expect.stringContaining('claude plugin enable cco@cco-local') });
  });

  it('is ok when enabled and installed by the CLI, or registered through settings', () => {
    const cli = checkPlugin(facts({ enabledPlugins: { 'cco@cco-local': true } }, { version: 2, plugins: { 'cco@cco-local': [{ scope: 'user' }] } }));
    expect(cli).toEqual([expect.objectContaining({ status: 'ok', detail: expect.stringContaining('installed') })]);
    const settings = checkPlugin(
      facts({ enabledPlugins: { 'cco@cco-local': true }, extraKnownMarketplaces: { 'cco-local': { source: { source: 'directory', path: '/r' } } } }),
    );
    expect(settings).toEqual([expect.objectContaining({ status: 'ok', detail: expect.stringContaining('marketplace cco-local registered') })]);
  });

  it('flags an enabled plugin nobody installed, and disableAllHooks', () => {
    const r = checkPlugin(facts({ enabledPlugins: { 'cco@elsewhere': true }, disableAllHooks: true }));
    expect(r.map((x) => x.status)).toEqual(['fix', 'fix']);
    expect(r[0]!.detail).toMatch(/cco@elsewhere is enabled but neither installed/);
    expect(r[1]!.detail).toMatch(/disableAllHooks is true/);
  });

  it('reports a settings.json that is not JSON without guessing further', () => {
    const r = checkPlugin({ ...facts(undefined), settings: { kind: 'invalid', reason: 'Unexpected token' } });
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ status: 'fix', detail: expect.stringContaining('not valid JSON (Unexpected token)') });
  });

  it("knows our status line, wrapped or not, from someone else's", () => {
    const cmd = (c: string) => facts({ statusLine: { type: 'command', command: c } });
    expect(checkStatusLine(cmd('node "/r/dist/statusline.cjs"')).status).toBe('ok');
    expect(checkStatusLine(cmd(`node "/r/dist/statusline.cjs" --wrap 'my.sh'`))).toMatchObject({ status: 'ok', detail: expect.stringContaining('wraps') });
    // An earlier install's command still works; doctor says how to get the faster one.
    expect(checkStatusLine(cmd('node "/r/dist/cli.mjs" statusline'))).toMatchObject({
      status: 'fix',
      fix: expect.stringMatching(/^\/cco:setup in Claude Code/),
    });
    expect(checkStatusLine(cmd('my-line.sh'))).toMatchObject({ status: 'fix', fix: expect.stringContaining('--statusline wrap') });
    expect(checkStatusLine(facts({}))).toMatchObject({
      status: 'fix',
      fix: '/cco:setup in Claude Code (or ./install.sh --register-only in a clone installed with it)',
    });
  });
});

describe('dist', () => {
  const hooksJson = readFileSync(path.join(ROOT, 'hooks', 'hooks.json'), 'utf8');

  it('lists every bundle the real hooks.json runs, and the CLI', () => {
    const need = bundlesNeeded(hooksJson);
    expect(need).toContain('dist/cli.mjs');
    for (const ev of ['session-start', 'post-tool-use', 'stop', 'session-end']) expect(need).toContain(`dist/hooks/${ev}.cjs`);
    expect(need).toContain('dist/hooks/pre-compact.mjs');
    // The shell fronts, what they source, and the node fronts they hand over to.
    for (const f of ['hooks/post-tool-use.sh', 'hooks/stop.sh', 'hooks/session-end.sh', 'hooks/front.sh']) expect(need).toContain(f);
    expect(need).toContain('dist/tracker.mjs');
    expect(need).toContain('dist/hooks/session-start-extras.cjs');
  });

  it('flags missing bundles and a missing hooks.json; file times do not matter (dist/ is committed)', () => {
    const bundles = { 'dist/cli.mjs': 2_000_000, 'dist/hooks/stop.mjs': 1 };
    expect(checkDist({ root: '/r', hooksJson, bundles })).toMatchObject({ status: 'ok', detail: '2 bundles present (/r/dist)' });
    const missing = checkDist({ root: '/r', hooksJson, bundles: { ...bundles, 'dist/hooks/stop.mjs': null } });
    expect(missing).toMatchObject({
      status: 'fix',
      detail: expect.stringContaining('dist/hooks/stop.mjs'),
      fix: expect.stringContaining('git checkout -- dist hooks'),
    });
    expect(checkDist({ root: '/r', hooksJson: null, bundles: {} }).status).toBe('fix');
  });
});

describe('hooks seen', () => {
  const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

  it('says no hook ran when only the statusline recorded sessions', () => {
    const r = checkHooksSeen({ sessions: [{ lastSeenAt: iso(1_000), hookEvents: {} }], newestTranscriptMs: NOW - 5_000, nowMs: NOW });
    expect(r).toMatchObject({ status: 'fix', detail: 'no hook has run yet, but Claude Code wrote a transcript 5 s ago' });
  });

  it('flags hooks that went quiet while transcripts kept growing', () => {
    const r = checkHooksSeen({ sessions: [{ lastSeenAt: iso(3_600_000), hookEvents: { Stop: 2 } }], newestTranscriptMs: NOW - 60_000, nowMs: NOW });
    expect(r).toMatchObject({ status: 'fix', detail: 'the hooks last ran 60 min ago, but Claude Code wrote a transcript 60 s ago' });
    const within = checkHooksSeen({ sessions: [{ lastSeenAt: iso(HOOK_SILENCE_MS), hookEvents: { Stop: 2 } }], newestTranscriptMs: NOW - 1_000, nowMs: NOW });
    expect(within.status).toBe('ok');
  });

  it('is ok with the last hook time and the event counts of the last 24 h', () => {
    const r = checkHooksSeen({
      sessions: [
        { lastSeenAt: iso(90_000), hookEvents: { PostToolUse: 40, Stop: 3 } },
        { lastSeenAt: iso(3_600_000), hookEvents: { PostToolUse: 2 } },
        { lastSeenAt: iso(3 * 86_400_000), hookEvents: { PostToolUse: 999 } },
      ],
      newestTranscriptMs: NOW - 100_000,
      nowMs: NOW,
    });
    expect(r).toEqual({ check: 'hooks', status: 'ok', detail: 'last hook 90 s ago; 2 sessions in the last 24 h: PostToolUse 42, Stop 3' });
  });
});

describe('state files', () => {
  const spec = (rel: string) => STATE_FILES.find((s) => s.rel === rel)!;
  const base = (over: Partial<StateFacts> = {}): StateFacts => ({
    stateDir: '/c',
    files: [],
    dirs: [],
    otherFiles: [],
    quarantined: [],
    tempFiles: [],
    ...over,
  });
  const file = (rel: string, text: string | null, mode = 0o600) => ({
    where: STATE_FILES.find((s) => s.rel === rel)?.where ?? ('config' as const),
    rel,
    path: `/c/${rel}`,
    text,
    mode,
    readError: null,
  });

  it('checks JSON and schema of each state file', () => {
    expect(stateFileProblem(spec('session-tracker.json'), '{"version":1,"sessions":{}}')).toBeNull();
    expect(stateFileProblem(spec('session-tracker.json'), '{"version":1,"sessions":{"x":')).toMatch(/^not JSON/);
    expect(stateFileProblem(spec('session-tracker.json'), '{"version":2,"sessions":{}}')).toMatch(/^fails its schema \(version:/);
    expect(stateFileProblem(spec('cco/config.json'), '{"plan":"platinum"}')).toMatch(/schema \(plan:/);
  });

  it('is ok for no files and for valid private files', () => {
    expect(checkStateFiles(base())).toEqual([expect.objectContaining({ status: 'ok', detail: 'no state files yet in /c' })]);
    const r = checkStateFiles(
      base({ files: [file('session-tracker.json', '{"version":1,"sessions":{}}'), file('quota-tracker.json', null)], dirs: [{ path: '/c/cco', mode: 0o700 }] }),
    );
    expect(r).toEqual([expect.objectContaining({ status: 'ok', detail: '1 state file readable and valid; files 0600, folders 0700' })]);
  });

  it('gives one fix per problem: invalid file, open permissions, quarantined copies, old temp files', () => {
    const r = checkStateFiles(
      base({
        files: [file('session-tracker.json', 'nope', 0o644)],
        dirs: [{ path: '/c/cco', mode: 0o755 }],
        otherFiles: [{ path: '/c/cco/logs/cco.log', mode: 0o600 }],
        quarantined: ['/c/quota-tracker.json.corrupt-2026'],
        tempFiles: [
          { path: '/c/session-tracker.json.123', ageMs: TEMP_FILE_GRACE_MS + 1 },
          { path: '/c/quota-tracker.json.9', ageMs: 10 },
        ],
      }),
    );
    expect(r.map((x) => x.status)).toEqual(['fix', 'fix', 'fix', 'fix', 'fix']);
    expect(r[0]!.detail).toMatch(/session-tracker\.json: not JSON/);
    expect(r[1]).toMatchObject({ detail: expect.stringContaining('is 0644'), fix: 'chmod 600 /c/session-tracker.json' });
    expect(r[2]).toMatchObject({ fix: 'chmod 700 /c/cco' });
    expect(r[3]!.detail).toMatch(/1 quarantined file/);
    expect(r[4]).toMatchObject({ detail: expect.stringContaining('1 temp file'), fix: 'delete them: rm /c/session-tracker.json.123' });
  });
});

describe('background tracker', () => {
  it('ok while events are fresh; fix with `cco sync` once one has waited past the backlog time', () => {
    expect(checkSpool({ ages: [], trackerRunning: false })).toMatchObject({ status: 'ok', detail: 'no hook events waiting' });
    expect(checkSpool({ ages: [500, 900], trackerRunning: true })).toMatchObject({
      status: 'ok',
      detail: '2 hook events being tracked; the background tracker is running',
    });
    const late = checkSpool({ ages: [500, SPOOL_BACKLOG_MS + 60_000], trackerRunning: false });
    expect(late).toMatchObject({ status: 'fix', fix: expect.stringMatching(/^cco sync/) });
    expect(late.detail).toMatch(/^1 hook event waiting for the background tracker, the oldest since .* \(no tracker running\)$/);
  });
});

describe('locks, transcripts, log', () => {
  it('tells fresh locks from stale ones', () => {
    expect(checkLocks([])).toMatchObject({ status: 'ok', detail: 'no locks held' });
    const held = { path: '/c/x.lock', ageMs: 1_000, holder: { pid: 42, host: 'h' }, verdict: 'held' as const };
    expect(checkLocks([held])).toMatchObject({ status: 'ok', detail: '1 lock held right now by a running writer (pid 42)' });
    const r = checkLocks([held, { path: '/c/session-tracker.json.lock', ageMs: STALE_LOCK_MS + 60_000, holder: null, verdict: 'stale' }]);
    expect(r).toMatchObject({
      status: 'fix',
      detail: expect.stringContaining('1 lock left behind'),
      fix: expect.stringContaining('rmdir "/c/session-tracker.json.lock"'),
    });
    // A dead holder is named dead, not "a running writer"; a time in the future is named as such.
    const dead = checkLocks([{ path: '/c/cco/tracker.lock', ageMs: 2_000, holder: { pid: 7, host: 'h' }, verdict: 'dead' }]);
    expect(dead).toMatchObject({ status: 'fix', detail: expect.stringContaining('/c/cco/tracker.lock: its holder (pid 7 on h) is dead') });
    expect(dead.detail).not.toContain('running writer');
    const future = checkLocks([{ path: '/c/q.lock', ageMs: -3_600_000, holder: null, verdict: 'suspect' }]);
    expect(future.detail).toMatch(/in the future \(the clock stepped back\?\)/);
    expect(r.fix).not.toContain('/c/x.lock');
  });

  it('reports malformed lines with the worst transcript first', () => {
    expect(checkTranscripts({ cached: [{ path: '/p/a.jsonl', lines: 10, malformedLines: 0 }], unreadableCaches: 0 })).toEqual([
      expect.objectContaining({ status: 'ok', detail: 'no malformed lines in 1 cached transcript (10 lines read)' }),
    ]);
    const r = checkTranscripts({
      cached: [
        { path: '/p/a.jsonl', lines: 10, malformedLines: 1 },
        { path: '/p/b.jsonl', lines: 10, malformedLines: 4 },
      ],
      unreadableCaches: 1,
    });
    expect(r[0]).toMatchObject({ status: 'fix', detail: expect.stringMatching(/^5 malformed lines in 2 transcripts \(most: \/p\/b\.jsonl, 4\)/) });
    expect(r[1]).toMatchObject({ status: 'fix', detail: '1 transcript cache file unreadable' });
  });

  it('counts error lines of the last 24 h only, and flags a huge log', () => {
    const line = (msAgo: number, level: string, msg: string) => JSON.stringify({ at: new Date(NOW - msAgo).toISOString(), level, where: 'Stop', msg });
    const tail = [line(2 * 86_400_000, 'error', 'old'), line(3_600_000, 'warn', 'w'), 'not json', line(120_000, 'error', 'boom'), line(60_000, 'info', 'fine')];
    const r = checkLog({ file: '/c/cco/logs/cco.log', size: 500, tail, nowMs: NOW });
    expect(r).toEqual([expect.objectContaining({ status: 'fix', detail: '1 error in the last 24 h; last 2 min ago in Stop: boom' })]);
    expect(checkLog({ file: '/l', size: 10, tail: [line(1_000, 'warn', 'w')], nowMs: NOW })).toEqual([
      expect.objectContaining({ status: 'ok', detail: 'no errors in the last 24 h (1 warning)' }),
    ]);
    expect(checkLog({ file: '/l', size: LOG_MAX_BYTES + 1, tail: [], nowMs: NOW })[0]).toMatchObject({ status: 'fix', fix: 'truncate it: : > "/l"' });
    expect(checkLog({ file: '/l', size: null, tail: [], nowMs: NOW })[0]!.status).toBe('ok');
  });
});

describe('rendering', () => {
  it('prints one line per result, ok or fix with what to do', () => {
    const text = renderDoctor(
      [
        { check: 'node', status: 'ok', detail: 'Node.js v20.20.2' },
        { check: 'locks', status: 'fix', detail: '1 stale lock', fix: 'rmdir "/x.lock"' },
      ],
      '/c',
    );
    expect(text).toBe('cco doctor (state dir /c)\nok   node   Node.js v20.20.2\nfix  locks  1 stale lock; fix: rmdir "/x.lock"\n1 of 2 checks need a fix\n');
    expect(ago(59_000)).toBe('59 s ago');
    expect(ago(3 * 3_600_000)).toBe('3 h ago');
  });
});
