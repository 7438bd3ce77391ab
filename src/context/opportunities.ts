import type { ContextItem, SegmentContent, TodoEntry, UserPrompt } from './context-items.ts';

/**
 * Compaction opportunities in the live segment: what a focused `/compact` could drop, with the tokens
 * each holds, and what it must keep. Pure.
 */

export interface OpportunityOptions {
  /** Exchanges to keep whole: older ones are "old exchanges", newer edits are "files in progress". Default 10. */
  keepTurns?: number;
  /** A result at least this large (tokens, after scaling) is oversized. Default 2,000. */
  oversizedMinTokens?: number;
  /** How many oversized results to list (largest first). Default 10. */
  oversizedTop?: number;
  /** Duplicates smaller than this (tokens, after scaling) are not listed. Default 100. */
  duplicateMinTokens?: number;
  /** How many recent user requests the keep-list names. Default 3. */
  recentRequests?: number;
  /** Factor from estimated to measured tokens (the breakdown's `scale`); default 1 (raw estimates). */
  scale?: number;
}

const DEFAULT_KEEP_TURNS = 10;

/** One item, as an opportunity lists it: `tokens` are its estimate times `scale`, rounded. */
export interface ItemRef {
  id: number;
  kind: ContextItem['kind'];
  tool: string | null;
  target: string | null;
  range: string | null;
  turn: number;
  line: number;
  tokens: number;
}

/** A file read made stale by a later read of the same part (or of the whole file) or by an edit of the file. */
export interface SupersededRead extends ItemRef {
  by: 'read' | 'edit';
  byTurn: number;
  byLine: number;
}

/** A result whose content is the same as an earlier one's. */
export interface DuplicateResult extends ItemRef {
  firstTurn: number;
  firstLine: number;
}

/** Everything in the exchanges before the last `keepTurns` (the compaction summary excepted). */
export interface OldExchanges {
  fromTurn: number;
  toTurn: number;
  items: number;
  tokens: number;
}

export interface KeepList {
  /** Files edited or written in the last `keepTurns` exchanges, most recent first. */
  filesInProgress: string[];
  /** The last TodoWrite's todos that are not completed. */
  openTodos: TodoEntry[];
  /** The last user requests (meta commands such as /clear, /model or our own reports left out), oldest first. */
  recentRequests: UserPrompt[];
  /** The last approved plan (ExitPlanMode), or null. */
  plan: { turn: number; line: number } | null;
  /** Exchanges in the segment (the last turn's index). */
  lastTurn: number;
}

export interface Opportunities {
  options: Required<OpportunityOptions>;
  superseded: SupersededRead[];
  duplicates: DuplicateResult[];
  /** The largest results above the threshold, largest first (at most `oversizedTop`). */
  oversized: ItemRef[];
  oldExchanges: OldExchanges | null;
  /** Tokens per category (an item is counted in each category it is in). */
  tokens: { superseded: number; duplicates: number; oversized: number; oldExchanges: number };
  /** Tokens of all the items above, each item once (tokens). */
  totalTokens: number;
  /** Items in any category, each once. */
  totalItems: number;
  keep: KeepList;
}

const RESULT_KINDS = new Set<ContextItem['kind']>(['file-read', 'tool-result', 'subagent-result']);

/** Slash commands that are not a task for the model (built-in session commands and this pack's reports). */
const META_COMMANDS = new Set([
  'clear',
  'compact',
  'model',
  'context',
  'cost',
  'status',
  'help',
  'config',
  'memory',
  'permissions',
  'doctor',
  'resume',
  'login',
  'logout',
  'usage',
  'statusline',
  'hooks',
  'agents',
  'mcp',
  'plugin',
  'plugins',
  'exit',
  'export',
  'ide',
  'vim',
  'session-status',
  'context-status',
  'compact-context',
  'save-and-restart',
  'plan-sessions',
  'tools',
  'sessions',
  'fast',
  'effort',
]);

/** True for a prompt that is a meta slash command (`/clear`, `/model x`, `/cco:context-status`). */
export function isMetaCommand(text: string): boolean {
  const m = /^\/([\w:.-]+)/.exec(text.trim());
  if (m === null) return false;
  const name = m[1]!.includes(':') ? m[1]!.slice(m[1]!.lastIndexOf(':') + 1) : m[1]!;
  return META_COMMANDS.has(name) || m[1]!.startsWith('cco:');
}

function withDefaults(o: OpportunityOptions): Required<OpportunityOptions> {
  const pos = (v: number | undefined, d: number) => (v !== undefined && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    keepTurns: Math.max(1, Math.floor(pos(o.keepTurns, DEFAULT_KEEP_TURNS))),
    oversizedMinTokens: pos(o.oversizedMinTokens, 2_000),
    oversizedTop: Math.floor(pos(o.oversizedTop, 10)),
    duplicateMinTokens: pos(o.duplicateMinTokens, 100),
    recentRequests: Math.floor(pos(o.recentRequests, 3)),
    scale: pos(o.scale, 1),
  };
}

/**
 * Finds, in a segment's items:
 * - superseded reads: a Read result followed by a Read of the same file (whole, or the same
 *   offset/limit) or by an Edit/Write/MultiEdit/NotebookEdit of it;
 * - duplicate results: a tool, Read or subagent result with the same content hash as an earlier one of
 *   the same kind (the later copies are listed; at least `duplicateMinTokens`);
 * - oversized results: the `oversizedTop` largest results of at least `oversizedMinTokens`;
 * - old exchanges: every item of the exchanges before the last `keepTurns` (not the compaction summary);
 * and the total, each item counted once. Also the keep-list: files in progress, open todos, recent
 * requests, the approved plan.
 */
export function findOpportunities(content: SegmentContent, options: OpportunityOptions = {}): Opportunities {
  const o = withDefaults(options);
  const items = content.items;
  const tok = (i: ContextItem) => Math.round(i.estTokens * o.scale);
  const ref = (i: ContextItem): ItemRef => ({
    id: i.id,
    kind: i.kind,
    tool: i.tool,
    target: i.target,
    range: i.range,
    turn: i.turn,
    line: i.line,
    tokens: tok(i),
  });

  // One pass from the end: for each file, the nearest later whole-file read, read of each part, and edit.
  const superseded: SupersededRead[] = [];
  const nextWhole = new Map<string, ContextItem>();
  const nextPart = new Map<string, ContextItem>();
  const nextEdit = new Map<string, ContextItem>();
  for (let idx = items.length - 1; idx >= 0; idx--) {
    const it = items[idx]!;
    if (it.target === null) continue;
    if (it.kind === 'code') nextEdit.set(it.target, it);
    if (it.kind !== 'file-read') continue;
    const partKey = `${it.target}\0${it.range ?? ''}`;
    const byRead = [nextWhole.get(it.target), nextPart.get(partKey)].filter((x): x is ContextItem => x !== undefined).sort((a, b) => a.id - b.id)[0];
    const byEdit = nextEdit.get(it.target);
    const later = byRead === undefined ? byEdit : byEdit === undefined || byRead.id < byEdit.id ? byRead : byEdit;
    if (later !== undefined) superseded.push({ ...ref(it), by: later === byRead ? 'read' : 'edit', byTurn: later.turn, byLine: later.line });
    if (it.range === null) nextWhole.set(it.target, it);
    nextPart.set(partKey, it);
  }
  superseded.reverse();

  const duplicates: DuplicateResult[] = [];
  const firstByHash = new Map<string, ContextItem>();
  for (const it of items) {
    if (!RESULT_KINDS.has(it.kind) || it.chars === 0) continue;
    const first = firstByHash.get(it.hash);
    if (first === undefined) firstByHash.set(it.hash, it);
    else if (tok(it) >= o.duplicateMinTokens) duplicates.push({ ...ref(it), firstTurn: first.turn, firstLine: first.line });
  }

  const oversized = items
    .filter((i) => RESULT_KINDS.has(i.kind) && tok(i) >= o.oversizedMinTokens && tok(i) > 0)
    .sort((a, b) => tok(b) - tok(a) || a.id - b.id)
    .slice(0, o.oversizedTop)
    .map(ref);

  const lastTurn = content.prompts.length === 0 ? 0 : content.prompts.at(-1)!.turn;
  const cut = lastTurn - o.keepTurns;
  const old = cut >= 1 ? items.filter((i) => i.turn <= cut && i.kind !== 'compact-summary') : [];
  const oldExchanges: OldExchanges | null =
    old.length === 0
      ? null
      : {
          fromTurn: Math.min(...old.map((i) => i.turn)),
          toTurn: cut,
          items: old.length,
          tokens: old.reduce((n, i) => n + tok(i), 0),
        };

  const union = new Map<number, number>();
  for (const r of [...superseded, ...duplicates, ...oversized]) union.set(r.id, r.tokens);
  for (const i of old) union.set(i.id, tok(i));
  const sum = (rs: readonly ItemRef[]) => rs.reduce((n, r) => n + r.tokens, 0);

  const files: string[] = [];
  for (const i of [...items].reverse()) {
    if (i.kind === 'code' && i.target !== null && i.turn > cut && !files.includes(i.target)) files.push(i.target);
  }
  const requests = content.prompts.filter((p) => !isMetaCommand(p.text));
  return {
    options: o,
    superseded,
    duplicates,
    oversized,
    oldExchanges,
    tokens: { superseded: sum(superseded), duplicates: sum(duplicates), oversized: sum(oversized), oldExchanges: oldExchanges?.tokens ?? 0 },
    totalTokens: [...union.values()].reduce((a, b) => a + b, 0),
    totalItems: union.size,
    keep: {
      filesInProgress: files,
      openTodos: (content.todos ?? []).filter((t) => t.status !== 'completed'),
      recentRequests: o.recentRequests === 0 ? [] : requests.slice(-o.recentRequests),
      plan: content.plan,
      lastTurn,
    },
  };
}
