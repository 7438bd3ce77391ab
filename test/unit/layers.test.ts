/**
 * The layers of src/, lowest first. A module may import from its own layer or a lower one, never from a
 * higher one:
 *
 *   0 base          src/fs-kind.ts, src/make-dir.ts, src/util/, src/store/schema*.ts
 *   1 readers       src/claude/ (Claude Code's files and payloads), src/usage/ (token accounting), src/config/
 *   2 store         src/store/ (locks, atomic writes, quarantine, paths, reading and writing state files),
 *                   src/runtime.ts
 *   3 decisions     src/quota/, src/context/, src/plan/, src/render/, src/doctor/, src/notify/
 *   4 orchestration src/tracker/, src/hook/, src/front/, src/statusline/, src/handoff/, src/launcher/
 *   5 commands      src/cli/, src/install/, src/statusline/main.ts (programs: nothing imports them)
 *
 * Exception, by file: src/store/schema*.ts (the zod schemas of the state files, and the empty state they
 * start from) sit in the base layer, not the store's: they are pure declarations that the readers and the
 * decisions compute from, kept beside the store that validates with them. src/statusline/main.ts is the
 * status line front's program (dist/statusline.cjs), a command like `cco statusline`: it reads its command
 * line by the same spec (src/cli/statusline-args.ts).
 * Type-only imports count too: a type names the shape a layer depends on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Path prefixes (relative to src/, `/` separated) per layer, lowest first; the longest matching prefix wins. */
const LAYERS: readonly (readonly string[])[] = [
  ['fs-kind.ts', 'make-dir.ts', 'util/', 'store/schema'],
  ['claude/', 'usage/', 'config/'],
  ['store/', 'runtime.ts'],
  ['quota/', 'context/', 'plan/', 'render/', 'doctor/', 'notify/'],
  ['tracker/', 'hook/', 'front/', 'statusline/', 'handoff/', 'launcher/'],
  ['cli/', 'install/', 'statusline/main.ts'],
];

/** The layer of a module (its path relative to src/), or null when no layer names it. */
function layerOf(rel: string): number | null {
  let best: number | null = null;
  let bestLen = -1;
  LAYERS.forEach((prefixes, i) => {
    for (const p of prefixes) {
      if (rel.startsWith(p) && p.length > bestLen) {
        best = i;
        bestLen = p.length;
      }
    }
  });
  return best;
}

/** Relative module specifiers of a source text: `import ... from`, `export ... from`, `import '...'`, `import('...')`. */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

/** Imports (`from -> to`, paths relative to src/) that point to a higher layer, or touch a module no layer names. */
function upwardImports(modules: ReadonlyMap<string, string>): string[] {
  const bad: string[] = [];
  for (const [rel, text] of modules) {
    const from = layerOf(rel);
    if (from === null) bad.push(`${rel}: in no layer`);
    for (const spec of relativeImports(text)) {
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
      if (to.startsWith('../')) continue; // package.json and the like, outside src/
      const target = layerOf(to);
      if (target === null) bad.push(`${rel} -> ${to}: target in no layer`);
      else if (from !== null && target > from) bad.push(`${rel} (layer ${from}) -> ${to} (layer ${target})`);
    }
  }
  return bad;
}

function sourceModules(): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const abs = path.join(e.parentPath, e.name);
    out.set(path.relative(SRC, abs).split(path.sep).join('/'), readFileSync(abs, 'utf8'));
  }
  return out;
}

describe('layers', () => {
  it('no module of src/ imports from a higher layer', () => {
    const modules = sourceModules();
    expect(modules.size).toBeGreaterThan(100);
    expect(upwardImports(modules)).toEqual([]);
  });

  it('finds an upward import, a dynamic one and a module outside every layer', () => {
    const modules = new Map([
      ['store/x.ts', "import { quotaStep } from '../quota/quota-step.ts';\nimport type { A } from '../claude/a.ts';"],
      ['usage/y.ts', "const m = await import('../render/format.ts');"],
      ['store/schema-z.ts', "export { X } from '../store/paths.ts';"],
      ['elsewhere/w.ts', "import '../cli/main.ts';"],
      ['tracker/ok.ts', "import { update } from '../store/update.ts';\nimport pkg from '../../package.json';"],
    ]);
    expect(upwardImports(modules)).toEqual([
      'store/x.ts (layer 2) -> quota/quota-step.ts (layer 3)',
      'usage/y.ts (layer 1) -> render/format.ts (layer 3)',
      'store/schema-z.ts (layer 0) -> store/paths.ts (layer 2)',
      'elsewhere/w.ts: in no layer',
    ]);
  });
});
