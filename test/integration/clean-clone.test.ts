// The unit suite passes in a plain clone, with nothing beside it (no ../shared/fixtures, which only CI
// has): what a person who clones the repository and runs `npm test` gets. Clones this checkout's HEAD
// (committed work only) into a fresh temp dir, installs with `npm ci --offline` from the npm cache (or, when
// the cache cannot serve every package offline, links this checkout's node_modules and says so), and runs `vitest run --project unit` there: 0 failed, and the suites that
// need the shared transcripts reported as skipped. Inside that clone CCO_IN_CLEAN_CLONE=1 makes this file
// skip itself, so it does not recurse. Slow: the whole unit suite runs a second time.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NEEDS_SHARED } from '../helpers/fixture-sets.ts';
import { ROOT } from '../helpers/sandbox-env.ts';

const INSIDE = process.env.CCO_IN_CLEAN_CLONE === '1';

/** Vitest's JSON report, the parts read here. */
interface JsonReport {
  success: boolean;
  numTotalTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }> }>;
}

/** Runs `cmd` in `cwd` with `env`, output appended to `log`; resolves with the exit code (a signal: -1). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: string): Promise<number> {
  const fd = openSync(log, 'a');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  }).finally(() => closeSync(fd));
}

/** The tail of a log, for a failure message. */
const tail = (log: string) => readFileSync(log, 'utf8').slice(-6_000);

/** A temp dir (real path) removed after this file, or '' inside the clone. */
function tempDir(prefix: string): string {
  if (INSIDE) return '';
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// The clone alone in its folder; its HOME, log and report in another.
const parent = tempDir('cco-clean-clone-');
const work = tempDir('cco-clean-clone-work-');

describe.skipIf(INSIDE || !existsSync(path.join(ROOT, '.git')))(
  'a plain clone with nothing beside it (needs a git checkout; skipped inside that clone)',
  () => {
    it(
      'runs the unit suite with 0 failed; the suites that need ../shared/fixtures are skipped with the reason',
      async () => {
        const clone = path.join(parent, 'repo');
        const log = path.join(work, 'run.log');
        execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: 'ignore' });
        expect(readdirSync(parent)).toEqual(['repo']);

        // The child's own HOME and config dir; none of this run's Claude, cco or vitest settings.
        const home = path.join(work, 'home');
        const env: NodeJS.ProcessEnv = {};
        for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(CLAUDE|ANTHROPIC|CCO_|VITEST|XDG_)/.test(k)) env[k] = v;
        const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { cwd: ROOT, encoding: 'utf8' }).trim();
        Object.assign(env, { HOME: home, CLAUDE_CONFIG_DIR: path.join(home, '.claude'), npm_config_cache: npmCache, CCO_IN_CLEAN_CLONE: '1' });
        mkdirSync(env.CLAUDE_CONFIG_DIR!, { recursive: true });

        const installed = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], clone, env, log);
        if (installed !== 0) {
          // The cache cannot serve every package offline (a fresh machine): this checkout's packages will do.
          console.warn(`npm ci --offline failed (exit ${installed}, cache ${npmCache}): linking ${path.join(ROOT, 'node_modules')} instead`);
          rmSync(path.join(clone, 'node_modules'), { recursive: true, force: true });
          symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
        }
        expect(existsSync(path.join(clone, 'dist', 'cli.mjs')), 'dist/ is committed: a clone runs it as it is').toBe(true);

        expect(readdirSync(parent)).toEqual(['repo']); // still no ../shared beside it
        const out = path.join(work, 'unit.json');
        // --retry=1: what fails here because of the clone fails twice; a timing flake under the load of two
        // suites at once is the outer run's to report (it runs the same tests), not this one's.
        const code = await run(
          'node',
          [
            path.join('node_modules', 'vitest', 'vitest.mjs'),
            'run',
            '--project',
            'unit',
            '--retry=1',
            '--reporter=dot',
            '--reporter=json',
            `--outputFile.json=${out}`,
          ],
          clone,
          env,
          log,
        );
        expect(existsSync(out), tail(log)).toBe(true);
        const r = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
        const failed = r.testResults
          .filter((f) => f.status === 'failed')
          .map(
            (f) =>
              `${f.name}: ${
                f.message ??
                f.assertionResults
                  .filter((a) => a.status === 'failed')
                  .map((a) => a.title)
                  .join('; ')
              }`,
          );
        expect(failed, tail(log)).toEqual([]);
        expect({ code, success: r.success, failed: r.numFailedTests, failedFiles: r.numFailedTestSuites }).toEqual({
          code: 0,
          success: true,
          failed: 0,
          failedFiles: 0,
        });
        expect(r.numTotalTests).toBeGreaterThan(500);

        const tests = r.testResults.flatMap((f) => f.assertionResults.map((a) => ({ file: path.relative(clone, f.name), ...a })));
        const shared = tests.filter((t) => t.ancestorTitles.some((s) => s.endsWith(NEEDS_SHARED)));
        expect(new Set(shared.map((t) => t.file)).size).toBeGreaterThanOrEqual(5);
        expect(shared.filter((t) => t.status !== 'skipped')).toEqual([]);
        // It did not recurse: this file was skipped in the clone.
        expect(tests.filter((t) => t.file === path.join('test', 'integration', 'clean-clone.test.ts')).map((t) => t.status)).toEqual(['skipped']);
        // The repository's own accounting cases ran there.
        expect(tests.filter((t) => t.file === path.join('test', 'integration', 'report-accounting.test.ts') && t.status === 'passed').length).toBeGreaterThan(
          10,
        );
      },
      45 * 60_000,
    );
  },
);
