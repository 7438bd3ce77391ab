// The committed transcript fixtures (test/fixtures/transcripts/<case>/projects/...) are exactly what
// scripts/gen-fixtures.mjs writes: no hand edit drifts from the script, no file is left over, and the
// script gives the same bytes on every run. The hand-written expected.ts files are not generated.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CASES, LOCAL_FIXTURES } from '../helpers/fixture-sets.ts';
import { ROOT } from '../helpers/sandbox-env.ts';

/** Every file under `dir` except the hand-written expected.ts files: relative path -> content. */
function generatedFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const rel = path.relative(dir, path.join(d.parentPath, d.name));
    if (rel.split(path.sep).length === 2 && d.name === 'expected.ts') continue;
    out.set(rel, readFileSync(path.join(dir, rel), 'utf8'));
  }
  return out;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cco-gen-fixtures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the committed transcript fixtures', () => {
  it('are byte for byte what `node scripts/gen-fixtures.mjs` writes, and nothing else', () => {
    execFileSync('node', [path.join(ROOT, 'scripts', 'gen-fixtures.mjs'), '--out', tmp], { encoding: 'utf8' });
    const written = generatedFiles(tmp);
    const committed = generatedFiles(LOCAL_FIXTURES);
    expect([...committed.keys()].sort()).toEqual([...written.keys()].sort());
    for (const [rel, body] of written) expect(committed.get(rel), rel).toBe(body);
  });

  it("have a hand-written expected.ts beside every case's projects folder", () => {
    expect(LOCAL_CASES.length).toBeGreaterThan(0);
    for (const c of LOCAL_CASES) expect(readdirSync(path.join(LOCAL_FIXTURES, c)).sort(), c).toEqual(['expected.ts', 'projects']);
  });
});
