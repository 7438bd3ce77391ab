// The two sets of transcript fixtures the tests read: the repository's own (always there) and the shared
// real transcripts beside the checkout (CI only).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './sandbox-env.ts';

/**
 * The repository's own transcripts (test/fixtures/transcripts, written by scripts/gen-fixtures.mjs): one
 * Claude config dir per case of the token-accounting rule, each with a hand-written `expected.ts`.
 */
export const LOCAL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'transcripts');
/** The case names (folder names under LOCAL_FIXTURES), sorted. */
export const LOCAL_CASES: readonly string[] = readdirSync(LOCAL_FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
/** Each case's config dir (absolute), in LOCAL_CASES order. */
export const LOCAL_SOURCES: readonly string[] = LOCAL_CASES.map((c) => path.join(LOCAL_FIXTURES, c));

/** The shared real transcripts beside the checkout (read-only), one Claude config dir per source. */
export const SHARED_FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
/** Whether they are there: in CI; not in a plain clone. */
export const HAS_SHARED_FIXTURES = existsSync(SHARED_FIXTURES);
/** Ends the title of every suite that reads them, so a skipped suite says why. */
export const NEEDS_SHARED = 'needs ../shared/fixtures (present in CI only)';
export const SHARED_SOURCES: readonly string[] = [
  'branch-pruner',
  'd-kimuson-claude-code-viewer',
  'daaain-claude-code-log',
  'entireio-cli',
  'esdeveniments-frontend',
].map((s) => path.join(SHARED_FIXTURES, 'transcripts', s));
