import { liveSegment, type TranscriptRecord } from '../claude/transcript-records.ts';
import { clip, graphemePrefix } from '../util/clip.ts';
import { isObj } from '../util/is-obj.ts';

/** Tools whose calls name a file, and the input key holding its path. */
const FILE_TOOLS: Readonly<Record<string, string>> = {
  Read: 'file_path',
  Edit: 'file_path',
  Write: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/** File tools that change the file (every one of `FILE_TOOLS` but Read). */
const MODIFYING_TOOLS: ReadonlySet<string> = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

/** Limits of `handoffFacts` (counts, and lengths in characters). */
const FACT_LIMITS = {
  /** Characters kept of a user request (first request: `firstRequestChars`). */
  requestChars: 400,
  firstRequestChars: 600,
  /** User requests kept (the latest, oldest first). */
  requests: 3,
  /** Bash commands kept (the latest, oldest first), and characters of each. */
  commands: 15,
  commandChars: 200,
  /** Files kept (most recently touched first). */
  files: 30,
  /** Assistant text excerpts kept (the latest, oldest first), and characters of each. */
  decisions: 3,
  decisionChars: 400,
  todoChars: 200,
  /** Characters kept of the summary the live segment starts with (after a compaction). */
  summaryChars: 1_200,
} as const;

/** Slash commands that manage the session itself (or are ours): not the user's objectives. */
const META_COMMAND = /^\/(cco:[\w-]+|save-and-restart|session-status|compact|clear|resume|exit|quit|context|cost|usage|status|model|config|help|login|logout)$/;

/** User-text openings that Claude Code writes itself (local command output, notifications, caveats). */
const INTERNAL_TEXT =
  /^<(local-command-stdout|local-command-stderr|local-command-caveat|bash-input|bash-stdout|bash-stderr|task-notification|user-memory-input)>|^\[Request interrupted by user/;

/**
 * A file the session touched: the last change to it, else the last call on it. The model usually
 * re-reads a file after editing it, so the last call alone would list most edited files as Read.
 */
export interface FileTouch {
  path: string;
  /**
   * When `modified`: tool of the last modifying call whose tool_result was not an error (Edit, Write,
   * MultiEdit or NotebookEdit), even if other calls followed it. Otherwise: tool of the last call on the
   * file (Read, or a modifying tool whose calls all failed).
   */
  lastAction: string;
  /** True when a modifying call on the file succeeded (or is still in flight: no tool_result yet). */
  modified: boolean;
  /**
   * True when the last call's tool_result was an error (e.g. permission denied, old_string not found). When
   * `modified`, that failed call came after the change `lastAction` names.
   */
  lastFailed: boolean;
  /** Calls on this file in the live segment (of any file tool). */
  touches: number;
}

/** A Bash command the session ran. */
export interface CommandRun {
  command: string;
  /** True when its tool_result was an error (non-zero exit, denied, interrupted). */
  failed: boolean;
}

/** A todo of the last TodoWrite that is not completed. */
export interface OpenTodo {
  content: string;
  /** `in_progress`, `pending`, or whatever the tool said. */
  status: string;
}

/**
 * What a handoff says about a session, all taken from its transcript. Lists are bounded by
 * `FACT_LIMITS`; texts are whitespace-collapsed and trimmed with `…`.
 */
export interface HandoffFacts {
  sessionId: string | null;
  /** cwd of the last main-chain record that has one. */
  cwd: string | null;
  model: string | null;
  /** ISO time of the last record with a timestamp; null when none. */
  lastActivityAt: string | null;
  /** True when the live segment follows a compaction boundary. */
  compacted: boolean;
  /** The session's first user request (whole transcript, main chain); null when there is none. */
  firstRequest: string | null;
  /** The latest user requests of the live segment, oldest first (at most `requests`). */
  recentRequests: string[];
  /** Files touched in the live segment, most recently touched first. */
  files: FileTouch[];
  /** Bash commands of the live segment, oldest first (the last `commands`). */
  commands: CommandRun[];
  /**
   * Todos of the last accepted TodoWrite (whole transcript: the list survives compaction) that are not
   * completed; null when no TodoWrite was accepted. A call whose tool_result is an error was rejected by
   * the CLI and never became the list; one with no tool_result yet (in flight) counts as accepted.
   */
  openTodos: OpenTodo[] | null;
  /** Text excerpts of the last assistant messages of the live segment, oldest first. */
  decisions: string[];
  /** Start of the compaction summary the live segment opens with; null when none. */
  earlierSummary: string | null;
  /** Main-chain user and assistant records seen in the whole transcript (0: nothing happened yet). */
  messages: number;
}

/**
 * The facts of a handoff from a transcript's records (see `readTranscriptRecords`). Everything but the
 * first request and the todo list comes from the live segment (after the last compaction); sidechain
 * (subagent) records are ignored. Pure; never throws on odd records (unknown shapes are skipped).
 */
export function handoffFacts(all: readonly TranscriptRecord[]): HandoffFacts {
  const main = all.filter((r) => r.rec.isSidechain !== true);
  const { boundary, records: live } = liveSegment(all);

  // Over the whole main chain, not just the live segment: the todo list is taken from before the last
  // compaction too, and a rejected TodoWrite there must not become it.
  const failedIds = new Set<string>();
  for (const { rec } of main) {
    if (rec.type !== 'user') continue;
    for (const b of blocks(rec)) if (b.type === 'tool_result' && b.is_error === true && typeof b.tool_use_id === 'string') failedIds.add(b.tool_use_id);
  }

  let firstRequest: string | null = null;
  let messages = 0;
  let openTodos: OpenTodo[] | null = null;
  let sessionId: string | null = null;
  let cwd: string | null = null;
  let model: string | null = null;
  let lastActivityAt: string | null = null;
  for (const { rec } of main) {
    if (rec.type === 'user' || rec.type === 'assistant') messages++;
    if (typeof rec.sessionId === 'string') sessionId = rec.sessionId;
    if (typeof rec.cwd === 'string') cwd = rec.cwd;
    if (typeof rec.timestamp === 'string') lastActivityAt = rec.timestamp;
    if (rec.type === 'assistant') {
      const m = messageOf(rec);
      if (typeof m?.model === 'string' && m.model !== '<synthetic>') model = m.model;
      for (const b of blocks(rec)) {
        if (b.type === 'tool_use' && b.name === 'TodoWrite' && !(typeof b.id === 'string' && failedIds.has(b.id))) openTodos = todosOf(b.input);
      }
    }
    if (firstRequest === null) {
      const req = requestText(rec);
      if (req !== null) firstRequest = clip(req, FACT_LIMITS.firstRequestChars);
    }
  }

  const requests: string[] = [];
  const decisions: string[] = [];
  const commands: CommandRun[] = [];
  // lastCall: tool of the last call; lastModified: tool of the last successful modifying call, if any.
  const files = new Map<string, { path: string; lastCall: string; lastModified: string | null; lastFailed: boolean; touches: number; order: number }>();
  const seenToolIds = new Set<string>();
  let earlierSummary: string | null = null;
  let order = 0;
  for (const { rec } of live) {
    if (rec.type === 'user') {
      if (rec.isCompactSummary === true && earlierSummary === null) {
        const text = summaryBody(textOf(rec));
        if (text !== '') earlierSummary = clipLines(text, FACT_LIMITS.summaryChars);
        continue;
      }
      const req = requestText(rec);
      if (req !== null) requests.push(clip(req, FACT_LIMITS.requestChars));
      continue;
    }
    if (rec.type !== 'assistant') continue;
    for (const b of blocks(rec)) {
      if (b.type === 'text' && typeof b.text === 'string') {
        const t = clip(b.text, FACT_LIMITS.decisionChars);
        if (t !== '' && decisions.at(-1) !== t) decisions.push(t);
        continue;
      }
      if (b.type !== 'tool_use' || typeof b.name !== 'string') continue;
      const id = typeof b.id === 'string' ? b.id : null;
      if (id !== null) {
        if (seenToolIds.has(id)) continue; // a streamed copy of a block already counted
        seenToolIds.add(id);
      }
      const input = isObj(b.input) ? b.input : {};
      const failed = id !== null && failedIds.has(id);
      if (b.name === 'Bash' && typeof input.command === 'string') {
        commands.push({ command: clip(input.command, FACT_LIMITS.commandChars), failed });
        continue;
      }
      const key = FILE_TOOLS[b.name];
      const p = key === undefined ? undefined : input[key];
      if (typeof p === 'string' && p !== '') {
        const prev = files.get(p);
        const lastModified = MODIFYING_TOOLS.has(b.name) && !failed ? b.name : (prev?.lastModified ?? null);
        files.set(p, { path: p, lastCall: b.name, lastModified, lastFailed: failed, touches: (prev?.touches ?? 0) + 1, order: order++ });
      }
    }
  }

  return {
    sessionId,
    cwd,
    model,
    lastActivityAt,
    compacted: boundary !== null,
    firstRequest,
    recentRequests: requests.slice(-FACT_LIMITS.requests),
    files: [...files.values()]
      .sort((a, b) => b.order - a.order)
      .slice(0, FACT_LIMITS.files)
      .map((f) => ({
        path: f.path,
        lastAction: f.lastModified ?? f.lastCall,
        modified: f.lastModified !== null,
        lastFailed: f.lastFailed,
        touches: f.touches,
      })),
    commands: commands.slice(-FACT_LIMITS.commands),
    openTodos,
    decisions: decisions.slice(-FACT_LIMITS.decisions),
    earlierSummary,
    messages,
  };
}

/**
 * The request a user record carries, or null when it is not one: tool results, meta and compact-summary
 * records, Claude Code's own texts (local command output, notifications), and slash commands that manage
 * the session (`/compact`, `/clear`, ours). A slash command is given as `/name args`. `<system-reminder>`
 * blocks are removed. Pure.
 */
export function requestText(rec: Record<string, unknown>): string | null {
  if (rec.type !== 'user' || rec.isMeta === true || rec.isCompactSummary === true || rec.isVisibleInTranscriptOnly === true) return null;
  if (rec.isSidechain === true) return null;
  const m = messageOf(rec);
  if (m === null) return null;
  let text: string;
  if (typeof m.content === 'string') text = m.content;
  else if (Array.isArray(m.content)) {
    const bs = m.content.filter(isObj);
    if (bs.some((b) => b.type === 'tool_result')) return null;
    text = bs
      .filter((b) => b.type === 'text' && typeof b.text === 'string')
      .map((b) => b.text as string)
      .join('\n');
  } else return null;
  text = text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, '').trim();
  if (text === '' || INTERNAL_TEXT.test(text)) return null;
  const name = /<command-name>\s*([^<]*?)\s*<\/command-name>/.exec(text);
  if (name !== null) {
    const cmd = name[1]!.startsWith('/') ? name[1]! : `/${name[1]!}`;
    if (META_COMMAND.test(cmd)) return null;
    const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(text)?.[1]?.trim() ?? '';
    return args === '' ? cmd : `${cmd} ${args}`;
  }
  return text;
}

/**
 * Like `clip` (src/util/clip.ts), but keeps line breaks and indentation (runs of blank lines become one blank line; other
 * runs of spaces within a line collapse). Pure.
 */
function clipLines(text: string, max: number): string {
  const t = text
    .split('\n')
    .map((l) => {
      const lead = /^[ \t]*/.exec(l)![0].replace(/\t/g, '  ');
      return (
        lead +
        l
          .slice(lead.length)
          .replace(/[ \t\r\f\v]+/g, ' ')
          .trimEnd()
      );
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
  return t.length <= max ? t : `${graphemePrefix(t, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * The useful part of a compaction summary record: from its `Summary:` section when it has one (Claude
 * Code's summaries open with boilerplate and an `Analysis:` section), else without the boilerplate
 * opening sentences. Pure.
 */
export function summaryBody(text: string): string {
  const at = /^Summary:\s*$/m.exec(text) ?? /\bSummary:\s*\n/.exec(text);
  if (at !== null) return text.slice(at.index + at[0].length).trim();
  return text
    .replace(/^This session is being continued from a previous conversation[^.]*\.\s*(The summary below covers the earlier portion of the conversation\.)?/, '')
    .trim();
}

function todosOf(input: unknown): OpenTodo[] {
  const todos = isObj(input) && Array.isArray(input.todos) ? input.todos : [];
  const out: OpenTodo[] = [];
  for (const t of todos) {
    if (!isObj(t) || typeof t.content !== 'string') continue;
    const status = typeof t.status === 'string' ? t.status : 'pending';
    if (status !== 'completed') out.push({ content: clip(t.content, FACT_LIMITS.todoChars), status });
  }
  return out;
}

function textOf(rec: Record<string, unknown>): string {
  const m = messageOf(rec);
  if (m === null) return '';
  if (typeof m.content === 'string') return m.content;
  return blocks(rec)
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('\n');
}

function messageOf(rec: Record<string, unknown>): Record<string, unknown> | null {
  return isObj(rec.message) ? rec.message : null;
}

function blocks(rec: Record<string, unknown>): Record<string, unknown>[] {
  const c = messageOf(rec)?.content;
  return Array.isArray(c) ? c.filter(isObj) : [];
}

/**
 * True when the facts hold anything worth handing off: a user request, a file or command, an open todo,
 * or an assistant reply. A session that has not started work (or a missing transcript) has none. Pure.
 */
export function hasWork(f: HandoffFacts): boolean {
  return (
    f.firstRequest !== null ||
    f.recentRequests.length > 0 ||
    f.files.length > 0 ||
    f.commands.length > 0 ||
    (f.openTodos !== null && f.openTodos.length > 0) ||
    f.decisions.length > 0
  );
}
