import { fix, ok, type CheckResult } from './check.ts';

/** The Node.js versions the pack runs on (package.json `engines.node`). */
const NODE_RANGE = '^20.17.0 || >=22.9.0';

/** True for a version in NODE_RANGE (`v20.17.0`, `20.20.2`, `22.9.0`, `24.1.0`...). Pure. */
export function nodeSupported(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (m === null) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 20) return minor >= 17;
  if (major === 22) return minor >= 9;
  return major > 22;
}

/**
 * The Node.js the hooks and the CLI run on, and whether `node` is on PATH: hooks.json runs a bare `node`
 * (`onPath`: where PATH finds it, null when nowhere; undefined when not looked for). Pure.
 */
export function checkNode(version: string, onPath?: string | null): CheckResult {
  const install = 'install Node.js 20.17+ or 22.9+ and make it the `node` on PATH for Claude Code';
  if (onPath === null) {
    return fix(
      'node',
      `no \`node\` on PATH (this one, ${version}, was started by its full path): cco's hooks and status line run \`node\` and fail`,
      `${install} (or add its folder to "env": {"PATH": ...} in settings.json)`,
    );
  }
  return nodeSupported(version)
    ? ok('node', `Node.js ${version} (supported: ${NODE_RANGE})${onPath === undefined ? '' : `, ${onPath}`}`)
    : fix('node', `Node.js ${version} is not supported (needs ${NODE_RANGE})`, install);
}

/**
 * Where `PATH` (a `:`-separated list, `;` on Windows) finds an executable `node` (`node.exe` on Windows),
 * or null. `isExecutable` is injected (default: a file with an execute bit).
 */
export function nodeOnPath(pathEnv: string | undefined, isExecutable: (file: string) => boolean, platform: NodeJS.Platform = process.platform): string | null {
  const sep = platform === 'win32' ? ';' : ':';
  const name = platform === 'win32' ? 'node.exe' : 'node';
  for (const dir of (pathEnv ?? '').split(sep)) {
    if (dir === '') continue;
    const file = `${dir.replace(/[\\/]+$/, '')}${platform === 'win32' ? '\\' : '/'}${name}`;
    if (isExecutable(file)) return file;
  }
  return null;
}
