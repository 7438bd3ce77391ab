import type { ContextAnalysis } from './analysis.ts';
import type { ItemRef } from './opportunities.ts';
import { clip } from '../util/clip.ts';

/**
 * The `/compact <instructions>` line for a session: what the summary must keep (current objectives,
 * files in progress, the approved plan, decisions, open todos) and what it may drop (superseded
 * reads, duplicate and oversized outputs, old exchanges), named briefly. One line. Pure.
 *
 * The summarizer sees the conversation, not our turn numbers, so exchanges are named by their
 * position among the user's requests ("exchanges 1-8 of 18") and by the first request kept.
 */

/** Upper bound on the length of the whole `/compact …` line (characters). */
export const MAX_COMPACT_LINE = 1_500;

interface Limits {
  requests: number;
  requestChars: number;
  files: number;
  todos: number;
  todoChars: number;
  superseded: number;
  duplicates: number;
  oversized: number;
  targetChars: number;
}

const FULL: Limits = { requests: 3, requestChars: 160, files: 8, todos: 6, todoChars: 80, superseded: 8, duplicates: 5, oversized: 6, targetChars: 48 };

/** Each step shrinks one limit further; applied cumulatively until the line fits. */
const SHRINK: Partial<Limits>[] = [
  { requestChars: 120 },
  { oversized: 4 },
  { superseded: 5 },
  { todoChars: 50 },
  { todos: 4 },
  { files: 5 },
  { targetChars: 32 },
  { requestChars: 90 },
  { duplicates: 3 },
  { requests: 2 },
  { oversized: 3 },
  { superseded: 3 },
  { todos: 2 },
  { files: 3 },
  { requestChars: 60 },
  { duplicates: 1 },
  { targetChars: 24 },
  { requests: 1 },
  { oversized: 2 },
  { superseded: 2 },
  { files: 2 },
  { todos: 1 },
];

/** A path relative to `cwd` when under it (either separator). */
export function rel(p: string, cwd: string | null): string {
  if (cwd !== null && cwd.length > 1) {
    const trimmed = cwd.replace(/[\\/]+$/, '');
    if (p.startsWith(trimmed) && (p[trimmed.length] === '/' || p[trimmed.length] === '\\')) return p.slice(trimmed.length + 1);
  }
  return p;
}

/**
 * A path cut to `n` characters (UTF-16 units) keeping its end (the file name), from a separator when
 * possible; never from inside a surrogate pair (an emoji in a folder name stays whole or goes).
 */
export function clipPath(p: string, n: number): string {
  if (p.length <= n) return p;
  let tail = p.slice(p.length - (n - 1));
  if (/^[\uDC00-\uDFFF]/.test(tail)) tail = tail.slice(1);
  const cut = tail.search(/[\\/]/);
  return `…${cut > 0 && cut < tail.length - 1 ? tail.slice(cut) : tail}`;
}

const COMMAND_TOOLS = new Set(['Bash', 'PowerShell', 'Grep', 'Glob', 'WebSearch']);

/** A short name of a tool output: `Bash \`npm test\``, `Read src/a.ts`, `Task (Explore)`. */
export function outputName(r: ItemRef, cwd: string | null, n: number): string {
  const tool = r.tool ?? 'tool';
  if (r.target === null) return tool;
  if (r.kind === 'subagent-result') return `${tool} (${clip(r.target, n)})`;
  if (r.kind === 'file-read') return `Read ${clipPath(rel(r.target, cwd), n)}`;
  if (!COMMAND_TOOLS.has(tool)) return `${tool} ${clipPath(rel(r.target, cwd), n)}`;
  return `${tool} \`${clip(r.target.split('\n')[0]!, n)}\``;
}

function kTokens(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function more(list: string[], total: number): string {
  return total > list.length ? `${list.join(', ')} (+${total - list.length} more)` : list.join(', ');
}

function keepText(a: ContextAnalysis, l: Limits): string {
  const k = a.opportunities.keep;
  const parts: string[] = [];
  const reqs = k.recentRequests.slice(-l.requests);
  if (reqs.length > 0)
    parts.push(`the current objectives (latest requests: ${reqs.map((p) => `“${clip(p.text.replace(/[“”]/g, '"'), l.requestChars)}”`).join('; ')})`);
  else parts.push('the current objective');
  if (k.plan !== null) parts.push('the approved plan');
  if (k.filesInProgress.length > 0) {
    parts.push(
      `the state of the files in progress (${more(
        k.filesInProgress.slice(0, l.files).map((f) => clipPath(rel(f, a.cwd), l.targetChars)),
        k.filesInProgress.length,
      )})`,
    );
  }
  if (k.openTodos.length > 0) {
    parts.push(
      `the open todos (${more(
        k.openTodos.slice(0, l.todos).map((t) => `${clip(t.content, l.todoChars)}${t.status === 'in_progress' ? ' [in progress]' : ''}`),
        k.openTodos.length,
      )})`,
    );
  }
  parts.push('the decisions made and their reasons, and unresolved errors');
  return `Keep: ${parts.join('; ')}.`;
}

function dropText(a: ContextAnalysis, l: Limits): string {
  const o = a.opportunities;
  const parts: string[] = [];
  if (o.superseded.length > 0) {
    const byFile = new Map<string, number>();
    for (const s of o.superseded) byFile.set(s.target!, (byFile.get(s.target!) ?? 0) + s.tokens);
    const files = [...byFile.entries()].sort((x, y) => y[1] - x[1]).map(([f]) => clipPath(rel(f, a.cwd), l.targetChars));
    parts.push(`earlier reads of files read again or edited since (${more(files.slice(0, l.superseded), files.length)})`);
  }
  if (o.duplicates.length > 0) {
    const names = [...new Set(o.duplicates.map((d) => outputName(d, a.cwd, l.targetChars)))];
    parts.push(`repeated identical outputs (${more(names.slice(0, l.duplicates), names.length)})`);
  }
  const dupIds = new Set([...o.superseded, ...o.duplicates].map((r) => r.id));
  const big = o.oversized.filter((r) => !dupIds.has(r.id));
  if (big.length > 0) {
    parts.push(
      `the bulk of large outputs, keeping only their conclusions (${more(
        big.slice(0, l.oversized).map((r) => `${outputName(r, a.cwd, l.targetChars)} ~${kTokens(r.tokens)} tokens`),
        big.length,
      )})`,
    );
  }
  const old = o.oldExchanges;
  if (old !== null) {
    const first = a.content.prompts.find((p) => p.turn === old.toTurn + 1);
    const from = Math.max(1, old.fromTurn);
    const span = from === old.toTurn ? `exchange ${from}` : `exchanges ${from}-${old.toTurn}`;
    parts.push(
      `details of ${span} of ${o.keep.lastTurn}${first === undefined ? '' : ` (everything before “${clip(first.text.replace(/[“”]/g, '"'), 40)}”)`}, one line each`,
    );
  }
  if (parts.length === 0) return 'Drop: tool output details that are no longer needed; summarize older exchanges briefly.';
  return `Drop: ${parts.join('; ')}.`;
}

function fitWithin(build: (l: Limits) => string, max: number): string {
  let l = { ...FULL };
  let s = build(l);
  for (const step of SHRINK) {
    if (s.length <= max) return s;
    l = { ...l, ...step };
    s = build(l);
  }
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * The keep-list alone, one line (`Keep: …`), as `cco context --json` gives it (`keepList`): the latest
 * user requests, the approved plan, the files in progress, the open todos, decisions and unresolved
 * errors. At most `max` characters (default 1,000). The PreCompact hook prints its own, multi-line
 * keep-list from the handoff facts (src/handoff/compact-instructions.ts), which it also saves.
 */
export function compactKeepList(a: ContextAnalysis, max = 1_000): string {
  return fitWithin((l) => keepText(a, l), max);
}

/**
 * The exact `/compact <instructions>` line: `/compact Keep: …. Drop: ….`, one line of at most
 * 1,500 characters; lists are shortened (with "+N more") until it fits.
 */
export function compactCommand(a: ContextAnalysis): string {
  return fitWithin((l) => `/compact ${keepText(a, l)} ${dropText(a, l)}`, MAX_COMPACT_LINE);
}
