import { fix, ok, type CheckResult } from './check.ts';

/** What the dist check reads under the plugin root. Times in epoch ms; null for a missing file. */
export interface DistFacts {
  root: string;
  /** `hooks/hooks.json` text, or null when missing. */
  hooksJson: string | null;
  /** mtime of each bundle that must exist, by path relative to the root (`dist/cli.mjs`, `dist/hooks/stop.mjs`). */
  bundles: Record<string, number | null>;
  /** Newest source file (`src/**`, `hooks/*.ts`, `scripts/build.mjs`, package-lock.json), when the source tree is present. */
  newestSource: { path: string; mtimeMs: number } | null;
}

/**
 * The bundles hooks.json runs (`${CLAUDE_PLUGIN_ROOT}/dist/hooks/<x>.cjs|.mjs`), plus `dist/cli.mjs`
 * (commands), `dist/statusline.cjs` (the status line), and what the hook fronts load or start: `dist/tracker.mjs` (the background
 * tracker) and `dist/hooks/session-start-extras.cjs` (handoff and plan at SessionStart). Pure.
 */
export function bundlesNeeded(hooksJson: string | null): string[] {
  const out = new Set<string>(['dist/cli.mjs', 'dist/statusline.cjs', 'dist/tracker.mjs', 'dist/hooks/session-start-extras.cjs']);
  for (const m of (hooksJson ?? '').matchAll(/\$\{CLAUDE_PLUGIN_ROOT\}\/(dist\/[A-Za-z0-9_./-]+\.[cm]js)/g)) out.add(m[1]!);
  return [...out].sort();
}

/** dist built (every bundle hooks.json and the commands run exists) and current (not older than the sources). Pure. */
export function checkDist(f: DistFacts): CheckResult {
  if (f.hooksJson === null) return fix('dist', `${f.root}/hooks/hooks.json is missing`, 'reinstall the plugin from a complete checkout');
  const missing = Object.entries(f.bundles).filter(([, m]) => m === null).map(([p]) => p);
  const build = `cd ${f.root} && npm run build`;
  if (missing.length > 0) return fix('dist', `${missing.length} of ${Object.keys(f.bundles).length} bundles missing (${missing.slice(0, 3).join(', ')})`, build);
  const times = Object.values(f.bundles) as number[];
  const oldest = Math.min(...times);
  if (f.newestSource !== null && f.newestSource.mtimeMs > oldest + 1_000) {
    return fix('dist', `the bundles are older than the sources (${f.newestSource.path} changed after the last build)`, build);
  }
  return ok('dist', `${times.length} bundles built${f.newestSource === null ? '' : ' and current with the sources'} (${f.root}/dist)`);
}
