import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isFile } from '../fs-kind.ts';

/**
 * Every `*.jsonl` below `<root>/projects/` (subfolders too), roots in the given order, paths sorted
 * within a root: the order in which DESIGN.md's rule breaks dedupe ties. Unreadable folders are skipped.
 */
export function listTranscripts(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    const found: string[] = [];
    walk(path.join(root, 'projects'), found);
    found.sort();
    out.push(...found);
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  let names: import('node:fs').Dirent[];
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p, out);
    else if (d.name.endsWith('.jsonl') && (d.isFile() || isFile(p))) out.push(p);
  }
}

/** The subagent transcripts of a session: `<dir of main>/<session id>/subagents/*.jsonl`, sorted. */
export function subagentTranscripts(mainTranscript: string): string[] {
  const dir = path.join(path.dirname(mainTranscript), path.basename(mainTranscript, '.jsonl'), 'subagents');
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/**
 * The main transcript a file belongs to: itself, or for `<dir>/<sid>/subagents/agent-x.jsonl` the file
 * `<dir>/<sid>.jsonl`. Pure.
 */
export function mainTranscriptOf(file: string): string {
  const parent = path.dirname(file);
  if (path.basename(parent) !== 'subagents') return file;
  const sessionDir = path.dirname(parent);
  return path.join(path.dirname(sessionDir), path.basename(sessionDir) + '.jsonl');
}
