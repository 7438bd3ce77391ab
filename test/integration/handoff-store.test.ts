import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CONSUMED_KEEP,
  FILES_PER_PROJECT,
  fileStamp,
  listHandoffFiles,
  projectKeyFor,
  readHandoffIndex,
  saveHandoff,
  sessionProjectKey,
  takePending,
} from '../../src/handoff/handoff-store.ts';
import { processRuntime, type Runtime } from '../../src/runtime.ts';
import { ROOT, tempHome, type TempHome } from '../helpers/sandbox-env.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

const KEY = '-w-p';
let clock = Date.parse('2026-11-20T12:00:00.000Z');

function rt(): Runtime {
  h ??= tempHome();
  return processRuntime(h.env(), () => new Date(clock));
}

function fresh(): Runtime {
  h = tempHome();
  clock = Date.parse('2026-11-20T12:00:00.000Z');
  return rt();
}

const save = (r: Runtime, markdown = '# handoff\nbody\n', sessionId = 'old') =>
  saveHandoff(r, { projectKey: KEY, project: '/w/p', sessionId, reason: 'save-and-restart', markdown });

describe('project keys', () => {
  it('escape every non-alphanumeric character like Claude Code project folders', () => {
    expect(projectKeyFor('/home/me/my_proj.v2')).toBe('-home-me-my-proj-v2');
    expect(projectKeyFor('C:\\Users\\me')).toBe('C--Users-me');
  });

  it('cut keys over 200 characters and add a hash, so two long paths stay distinct', () => {
    const a = projectKeyFor(`/${'a'.repeat(250)}/x`);
    const b = projectKeyFor(`/${'a'.repeat(250)}/y`);
    expect(a.slice(0, 200)).toBe(`-${'a'.repeat(199)}`);
    expect(a).toMatch(/^-a{199}-[0-9a-z]+$/);
    expect(a).not.toBe(b);
  });

  it("prefer the transcript's project folder (stable when the session changed directory)", () => {
    expect(sessionProjectKey('/c/.claude/projects/-w-p/s.jsonl', '/w/p/sub')).toBe('-w-p');
    expect(sessionProjectKey('/elsewhere/s.jsonl', '/w/p/sub')).toBe('-w-p-sub');
    expect(sessionProjectKey(null, null)).toBeNull();
  });

  it('file stamps have no colons', () => {
    expect(fileStamp(Date.parse('2026-11-20T12:00:01.234Z'))).toBe('2026-11-20T12-00-01.234Z');
  });
});

describe('the pending handoff store', () => {
  it('saves 0600 in a 0700 folder, and gives the handoff once', async () => {
    const r = fresh();
    const { file } = await save(r);
    expect(file).toBe(path.join(h.configDir, 'cco', 'handoffs', KEY, '2026-11-20T12-00-00.000Z.md'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const first = await takePending(r, KEY, 'new');
    expect(first).toMatchObject({ kind: 'injected', text: '# handoff\nbody\n', edited: false });
    expect(await takePending(r, KEY, 'new')).toEqual({ kind: 'none' });
    expect(await takePending(r, KEY, 'other')).toEqual({ kind: 'none' });
    const idx = readHandoffIndex(r);
    expect(idx.pending).toEqual({});
    expect(idx.consumed).toEqual([
      expect.objectContaining({ file, projectKey: KEY, outcome: 'injected', by: 'new', sessionId: 'old', at: '2026-11-20T12:00:00.000Z' }),
    ]);
    expect(existsSync(file)).toBe(true); // kept on disk
  });

  it('a deleted file: taken as missing, the entry cleared, nothing to inject later', async () => {
    const r = fresh();
    const { file } = await save(r);
    rmSync(file);
    expect(await takePending(r, KEY, 'new')).toMatchObject({ kind: 'missing', entry: { file } });
    expect(await takePending(r, KEY, 'new')).toEqual({ kind: 'none' });
    expect(readHandoffIndex(r).consumed.at(-1)!.outcome).toBe('missing');
  });

  it('an edited file is injected as edited; an emptied one is not injected', async () => {
    const r = fresh();
    const { file } = await save(r);
    writeFileSync(file, '# handoff\nbody\n- my own note\n');
    expect(await takePending(r, KEY, 'new')).toMatchObject({ kind: 'injected', text: '# handoff\nbody\n- my own note\n', edited: true });
    clock += 1_000;
    const second = await save(r);
    writeFileSync(second.file, '  \n');
    expect(await takePending(r, KEY, 'new')).toMatchObject({ kind: 'empty' });
  });

  it('a newer handoff supersedes the pending one (both kept on disk)', async () => {
    const r = fresh();
    const a = await save(r, '# a\n', 's1');
    clock += 1;
    const b = await save(r, '# b\n', 's2');
    expect(b.superseded?.file).toBe(a.file);
    expect(readHandoffIndex(r).consumed).toEqual([expect.objectContaining({ file: a.file, outcome: 'superseded', by: 's2' })]);
    expect(await takePending(r, KEY, 'new')).toMatchObject({ kind: 'injected', text: '# b\n' });
    expect(
      listHandoffFiles(r)
        .map((f) => f.file)
        .sort(),
    ).toEqual([a.file, b.file].sort());
  });

  it('two saves in the same millisecond get distinct files', async () => {
    const r = fresh();
    const a = await save(r, '# a\n');
    const b = await save(r, '# b\n');
    expect(b.file).toBe(a.file.replace(/\.md$/, '-2.md'));
    expect(readFileSync(a.file, 'utf8')).toBe('# a\n');
  });

  const snapshot = (r: Runtime, sessionId: string, markdown = '# snap\n') =>
    saveHandoff(r, { projectKey: KEY, project: '/w/p', sessionId, reason: 'pre-compact (auto)', markdown });

  it("onlySnapshotOf takes only that session's own compaction snapshot", async () => {
    const r = fresh();
    await snapshot(r, 's1');
    expect(await takePending(r, KEY, 's2', { onlySnapshotOf: 's2' })).toMatchObject({ kind: 'not-mine' });
    expect(Object.keys(readHandoffIndex(r).pending)).toEqual([KEY]);
    expect(await takePending(r, KEY, 's1', { onlySnapshotOf: 's1' })).toMatchObject({ kind: 'injected', text: '# snap\n' });
  });

  it("onlySnapshotOf never takes a /save-and-restart handoff, not even the session's own", async () => {
    const r = fresh();
    await save(r, '# for the next session\n', 's1');
    expect(await takePending(r, KEY, 's1', { onlySnapshotOf: 's1' })).toMatchObject({ kind: 'not-mine' });
    expect(await takePending(r, KEY, 's9', { notFrom: 's9' })).toMatchObject({ kind: 'injected', text: '# for the next session\n' });
  });

  it('a compaction snapshot does not supersede a pending /save-and-restart handoff (a later save does supersede a snapshot)', async () => {
    const r = fresh();
    const saved = await save(r, '# for the next session\n', 's1');
    const snap = await snapshot(r, 's1');
    expect(snap.pending).toBe(false);
    expect(readFileSync(snap.file, 'utf8')).toBe('# snap\n');
    expect(readHandoffIndex(r).pending[KEY]?.file).toBe(saved.file);
    const snap2 = await snapshot(r, 's2');
    expect(snap2.pending).toBe(false);
    await takePending(r, KEY, 's9', { notFrom: 's9' });
    const later = await snapshot(r, 's1', '# snap 2\n');
    expect(later.pending).toBe(true);
    const resaved = await save(r, '# again\n', 's1');
    expect(resaved.superseded?.file).toBe(later.file);
  });

  it('bounds the consumed history', async () => {
    const r = fresh();
    for (let i = 0; i < CONSUMED_KEEP + 5; i++) {
      clock += 1_000;
      await save(r, `# ${i}\n`);
      await takePending(r, KEY, `s${i}`);
    }
    const idx = readHandoffIndex(r);
    expect(idx.consumed).toHaveLength(CONSUMED_KEEP);
    expect(idx.consumed.at(-1)!.by).toBe(`s${CONSUMED_KEEP + 4}`);
  });

  it('keeps at most FILES_PER_PROJECT saved files per project, removing the oldest we named', async () => {
    const r = fresh();
    const first = await save(r, '# 0\n');
    writeFileSync(path.join(path.dirname(first.file), 'my-notes.md'), 'mine');
    const files = [first.file];
    for (let i = 1; i < FILES_PER_PROJECT + 2; i++) {
      clock += 60_000;
      files.push((await save(r, `# ${i}\n`)).file);
    }
    const left = readdirSync(path.dirname(first.file)).sort();
    expect(left).toHaveLength(FILES_PER_PROJECT + 1);
    expect(left).toContain('my-notes.md');
    expect(existsSync(files[0]!)).toBe(false);
    expect(existsSync(files[1]!)).toBe(false);
    expect(existsSync(files[2]!)).toBe(true);
    expect(await takePending(r, KEY, 'new')).toMatchObject({ kind: 'injected', text: `# ${FILES_PER_PROJECT + 1}\n` });
  });

  it('a corrupt index is quarantined, not trusted, and rebuilt', async () => {
    const r = fresh();
    mkdirSync(path.join(h.configDir, 'cco', 'handoffs'), { recursive: true });
    writeFileSync(r.paths.handoffPending, '{"version":1,"pending":{"-w-p":{"file":42}}}');
    expect(await takePending(r, KEY, 'new')).toEqual({ kind: 'none' });
    await save(r);
    expect(readdirSync(path.dirname(r.paths.handoffPending)).filter((n) => n.startsWith('pending.json.corrupt-'))).toHaveLength(1);
    expect(Object.keys(readHandoffIndex(r).pending)).toEqual([KEY]);
  });
});

function takeInProcess(startAt: number, sessionId: string): Promise<{ kind: string; text?: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('node', ['--import', 'tsx', path.join(ROOT, 'test', 'helpers', 'take-worker.ts'), KEY, sessionId, String(startAt)], {
      env: h.env(),
      cwd: ROOT,
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { kind: string; text?: string }) : reject(new Error(`worker exit ${code}: ${err}`))));
  });
}

describe('takes racing in separate processes', () => {
  it.each([2, 6])(
    'inject the handoff exactly once with %i processes',
    async (n) => {
      const r = fresh();
      await save(r, '# raced\n');
      const startAt = Date.now() + 1_500; // after every worker has loaded tsx
      const results = await Promise.all(Array.from({ length: n }, (_, i) => takeInProcess(startAt, `s${i}`)));
      expect(results.filter((x) => x.kind === 'injected')).toEqual([{ kind: 'injected', text: '# raced\n' }]);
      expect(results.filter((x) => x.kind === 'none')).toHaveLength(n - 1);
      const idx = readHandoffIndex(r);
      expect(idx.pending).toEqual({});
      expect(idx.consumed.filter((c) => c.outcome === 'injected')).toHaveLength(1);
    },
    60_000,
  );
});
