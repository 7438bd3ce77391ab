import { fix, ok, type CheckResult } from './check.ts';

/** The Node.js versions the pack runs on (package.json `engines.node`). */
export const NODE_RANGE = '^20.17.0 || >=22.9.0';

/** True for a version in NODE_RANGE (`v20.17.0`, `20.20.2`, `22.9.0`, `24.1.0`...). Pure. */
export function nodeSupported(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (m === null) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 20) return minor >= 17;
  if (major === 22) return minor >= 9;
  return major > 22;
}

/** The Node.js the hooks and the CLI run on. Pure. */
export function checkNode(version: string): CheckResult {
  return nodeSupported(version)
    ? ok('node', `Node.js ${version} (supported: ${NODE_RANGE})`)
    : fix('node', `Node.js ${version} is not supported (needs ${NODE_RANGE})`, 'install Node.js 20.17+ or 22.9+ and make it the `node` on PATH for Claude Code');
}
