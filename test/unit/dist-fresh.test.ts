// dist/ is committed: a plugin installed from git runs it as it is (Claude Code runs no build, reference
// §11). This test keeps it from going stale: a fresh build of src/ must give exactly the committed bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cco-dist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir`, as paths relative to it, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('the committed dist/ is what src/ builds to', () => {
  it('a fresh build into a temp dir has the same files, byte for byte (else: npm run build, and commit dist/)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--outdir', tmp], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const committed = path.join(ROOT, 'dist');
    expect(files(committed)).toEqual(files(tmp));
    const stale = files(tmp).filter((f) => !readFileSync(path.join(tmp, f)).equals(readFileSync(path.join(committed, f))));
    expect(stale, 'dist/ is stale: run `npm run build` and commit dist/').toEqual([]);
  }, 120_000);

  it('dist/ is not git-ignored (a git install gets only what is committed)', () => {
    const r = spawnSync('git', ['check-ignore', '-q', 'dist/cli.mjs'], { cwd: ROOT });
    // 1: not ignored; 128: not a git checkout (a tarball), nothing to check
    expect([1, 128]).toContain(r.status);
  });
});
