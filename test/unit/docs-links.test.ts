import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox-env.ts';

// The README and docs/ name files of this repository and link to each other's sections; files move
// (issue 19 moved half the README into docs/), so every link target, anchor and repository path they
// name must exist.

/** The documents checked, relative to the repository root. */
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Top folders of the repository: a backticked path starting with one of these names a file of ours. */
const REPO_PATH = /^(?:src|hooks|commands|agents|skills|scripts|test|docs|dist|bin|\.claude-plugin|\.ci)\/[^\s<>]*$/;

/** The text outside fenced code blocks (command output there quotes sandbox paths, not ours). Pure. */
function prose(md: string): string {
  return md.replace(/^( *)```[^\n]*\n[\s\S]*?^\1```[ \t]*$/gm, '');
}

/**
 * GitHub's anchor for a heading: lower case, every character but letters, digits, spaces, `-` and `_`
 * dropped, spaces turned into `-`; a repeated anchor gets `-1`, `-2`, ... Pure.
 */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(md).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown link targets (`[text](target)`) of the prose, without web and mail links. Pure. */
function links(md: string): string[] {
  return [...prose(md).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** Backticked repository paths of the prose (`src/x.ts`, `hooks/*.sh`, `test/fixtures/`). Pure. */
function repoPaths(md: string): string[] {
  return [...prose(md).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.replace(/^\.\//, '')).filter((p) => REPO_PATH.test(p));
}

/** Whether `rel` (maybe with `*` in its last part) names something under the root. */
function exists(rel: string): boolean {
  const full = path.join(ROOT, rel);
  if (!rel.includes('*')) return existsSync(full);
  const dir = path.dirname(full);
  const glob = new RegExp(
    `^${path
      .basename(full)
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return existsSync(dir) && statSync(dir).isDirectory() && readdirSync(dir).some((f) => glob.test(f));
}

describe('the README and docs/ name only what exists', () => {
  it('the helpers find links, anchors and paths, and skip code blocks', () => {
    const md =
      '# A `b` (c)\n\n## A b c\n\nSee [x](docs/X.md#a-b-c) and `src/a.ts`, `hooks/*.sh`, `cco/spool/x`, [web](https://e.org).\n\n```text\n[y](nowhere.md) `src/gone.ts`\n```\n';
    expect([...anchors(md)]).toEqual(['a-b-c', 'a-b-c-1']);
    expect(links(md)).toEqual(['docs/X.md#a-b-c']);
    expect(repoPaths(md)).toEqual(['src/a.ts', 'hooks/*.sh']);
  });

  for (const doc of DOCS) {
    const md = readFileSync(path.join(ROOT, doc), 'utf8');

    it(`${doc}: every link's file and section exists`, () => {
      const broken = links(md).filter((target) => {
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const rel = file === '' ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
        if (!exists(rel)) return true;
        return anchor !== undefined && !anchors(readFileSync(path.join(ROOT, rel), 'utf8')).has(anchor);
      });
      expect(broken).toEqual([]);
    });

    it(`${doc}: every repository path it names exists`, () => {
      expect(repoPaths(md).filter((p) => !exists(p))).toEqual([]);
    });
  }

  it('checks the README and the docs it links to', () => {
    expect(DOCS).toEqual(expect.arrayContaining(['README.md', 'docs/ARCHITECTURE.md', 'docs/RELIABILITY.md', 'docs/performance-history.md']));
    expect(links(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(5);
  });
});
