import { fix, ok, type CheckResult } from './check.ts';

/** What the dist check reads under the plugin root. Times in epoch ms; null for a missing file. */
export interface DistFacts {
  root: string;
  /** `hooks/hooks.json` text, or null when missing. */
  hooksJson: string | null;
  /** mtime of each bundle that must exist, by path relative to the root (`dist/cli.mjs`, `dist/hooks/stop.mjs`); null when missing. */
  bundles: Record<string, number | null>;
}

/**
 * The files hooks.json runs (`${CLAUDE_PLUGIN_ROOT}/dist/hooks/<x>.cjs|.mjs`, `${CLAUDE_PLUGIN_ROOT}/hooks/<x>.sh`),
 * what a shell front sources or hands over to (`hooks/front.sh`, `dist/hooks/<x>.cjs` of the same
 * name), plus `dist/cli.mjs` (commands), `dist/statusline.cjs` (the status line), and what the hook
 * fronts load or start: `dist/tracker.mjs` (the background tracker) and
 * `dist/hooks/session-start-extras.cjs` (handoff and plan at SessionStart). Pure.
 */
export function bundlesNeeded(hooksJson: string | null): string[] {
  const out = new Set<string>(['dist/cli.mjs', 'dist/statusline.cjs', 'dist/tracker.mjs', 'dist/hooks/session-start-extras.cjs']);
  for (const m of (hooksJson ?? '').matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/(dist\/[A-Za-z0-9_./-]+\.[cm]js)/g)) out.add(m[1]!);
  for (const m of (hooksJson ?? '').matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/hooks\/([A-Za-z0-9_-]+)\.sh/g)) {
    out.add(`hooks/${m[1]!}.sh`).add('hooks/front.sh').add(`dist/hooks/${m[1]!}.cjs`);
  }
  return [...out].sort();
}

/**
 * Every bundle hooks.json and the commands run is there. dist/ is committed and a test keeps it equal to a
 * fresh build of src/ (test/unit/dist-fresh.test.ts), so there is no build to ask for: a missing bundle
 * means an incomplete copy of the plugin (file times say nothing: a git checkout sets them all). Pure.
 */
export function checkDist(f: DistFacts): CheckResult {
  const again = `reinstall cco (claude plugin install cco@<marketplace>), or in a clone: cd ${f.root} && git checkout -- dist hooks`;
  if (f.hooksJson === null) return fix('dist', `${f.root}/hooks/hooks.json is missing`, again);
  const missing = Object.entries(f.bundles)
    .filter(([, m]) => m === null)
    .map(([p]) => p);
  if (missing.length > 0)
    return fix('dist', `${missing.length} of ${Object.keys(f.bundles).length} bundles missing (${missing.slice(0, 3).join(', ')})`, again);
  return ok('dist', `${Object.keys(f.bundles).length} bundles present (${f.root}/dist)`);
}
