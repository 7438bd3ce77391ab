import { createHash } from 'node:crypto';
import type { TranscriptRecord } from '../claude/transcript-records.ts';
import { isObj } from '../util/is-obj.ts';

/**
 * What fills the context window, item by item, read from the live segment of a transcript (see
 * `liveSegment`). Sizes are characters of what the model sees; tokens are estimated as chars / 4.
 * Pure: no I/O (hashing is a computation).
 */

export type ItemKind = 'file-read' | 'tool-result' | 'subagent-result' | 'code' | 'conversation' | 'compact-summary';

export interface ContextItem {
  /** Index in `SegmentContent.items` (stable identity, for counting an item once). */
  id: number;
  kind: ItemKind;
  /**
   * The tool a result or tool_use belongs to (`Read`, `Bash`, `Task`, ...; `unknown` for a result whose
   * call is not in the segment); for conversation: `user`, `assistant`, `thinking`, `hook`, or the tool
   * name of a non-code tool_use input.
   */
  tool: string | null;
  /** File path (reads, edits), command (Bash), pattern (Grep, Glob), URL, query, or agent type (Task/Agent). */
  target: string | null;
  /** For a Read with offset/limit: the part read (`offset 100, limit 50`); null for a whole-file read. */
  range: string | null;
  chars: number;
  /** ceil(chars / 4): estimate (tokens). */
  estTokens: number;
  /** Index of the user exchange the item belongs to: 1 for the first prompt of the segment; 0 before it. */
  turn: number;
  /** 0-based line of the record in the transcript. */
  line: number;
  /** Hash of the content (first 16 hex chars of sha1), for duplicate detection. */
  hash: string;
  /** A tool_result marked `is_error`. */
  isError: boolean;
}

/** A user prompt that opened an exchange, cleaned for display (tags and reminders removed). */
export interface UserPrompt {
  turn: number;
  line: number;
  text: string;
}

export interface TodoEntry {
  content: string;
  status: string;
}

/** The items of a segment plus what the keep-list needs. */
export interface SegmentContent {
  items: ContextItem[];
  /** Prompts in order; `prompts.length` is the number of exchanges. */
  prompts: UserPrompt[];
  /** The todos of the last TodoWrite call in the segment; null when the segment has none. */
  todos: TodoEntry[] | null;
  /** The last ExitPlanMode call whose result was not a rejection or error, or null. */
  plan: { turn: number; line: number } | null;
}

/** Edit-type tools: their tool_use input is code the model generated. */
const CODE_TOOLS: ReadonlySet<string> = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
/** Tools whose result is a subagent's answer. */
const SUBAGENT_TOOLS: ReadonlySet<string> = new Set(['Task', 'Agent']);

/** What an image block costs, as characters (about 1.5k tokens), as the transcript digest estimates it. */
const IMAGE_CHARS = 6_000;

type Obj = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** ceil(chars / 4): the estimate used throughout (tokens). */
export function estimateTokens(chars: number): number {
  return Math.ceil(Math.max(0, chars) / 4);
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** A tool_result's or message's content as the text the model sees (images as a placeholder of their data) and its size. */
function contentText(c: unknown): { text: string; chars: number } {
  if (typeof c === 'string') return { text: c, chars: c.length };
  if (!Array.isArray(c)) return { text: '', chars: 0 };
  let text = '';
  let chars = 0;
  for (const b of c) {
    if (!isObj(b)) continue;
    if (typeof b.text === 'string') {
      text += b.text;
      chars += b.text.length;
    } else if (b.type === 'image') {
      const src = isObj(b.source) && typeof b.source.data === 'string' ? b.source.data : '';
      text += `[image:${hashOf(src)}]`;
      chars += IMAGE_CHARS;
    }
  }
  return { text, chars };
}

interface CallInfo {
  name: string;
  target: string | null;
  range: string | null;
  turn: number;
  line: number;
}

/** What a tool call is about: a file path, command, pattern, URL, query or agent type. */
export function targetOf(name: string, input: unknown): string | null {
  if (!isObj(input)) return null;
  if (SUBAGENT_TOOLS.has(name)) return str(input.subagent_type) ?? 'general-purpose';
  if (name === 'NotebookEdit') return str(input.notebook_path);
  if (name === 'Skill') return str(input.skill) ?? str(input.command);
  for (const k of ['file_path', 'notebook_path', 'command', 'pattern', 'url', 'query', 'path', 'skill']) {
    const v = str(input[k]);
    if (v !== null) return v;
  }
  return null;
}

function rangeOf(name: string, input: unknown): string | null {
  if (name !== 'Read' || !isObj(input)) return null;
  const parts: string[] = [];
  if (typeof input.offset === 'number' || typeof input.offset === 'string') parts.push(`offset ${input.offset}`);
  if (typeof input.limit === 'number' || typeof input.limit === 'string') parts.push(`limit ${input.limit}`);
  if (typeof input.pages === 'string') parts.push(`pages ${input.pages}`);
  return parts.length === 0 ? null : parts.join(', ');
}

/** Record text that only echoes a local command or its output (not a request to the model). */
const LOCAL_ECHO = /^\s*<(local-command-stdout|local-command-stderr|local-command-caveat)>/;
const INTERRUPTED = /^\s*\[Request interrupted by user/;

/**
 * A user record's text cleaned for display: a slash command echo becomes `/name args`; IDE and system
 * reminders are removed; whitespace is collapsed. Empty when nothing is left.
 */
export function promptText(raw: string): string {
  const cmd = /<command-name>([^<]*)<\/command-name>/.exec(raw);
  if (cmd !== null) {
    const args = /<command-args>([^<]*)<\/command-args>/.exec(raw);
    return `${cmd[1]!.trim()}${args !== null && args[1]!.trim().length > 0 ? ` ${args[1]!.trim()}` : ''}`.replace(/\s+/g, ' ').trim();
  }
  return raw
    .replace(/<(system-reminder|ide_opened_file|ide_selection|ide_diagnostics)>[\s\S]*?<\/\1>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Turns records (normally `liveSegment(records).records`: main chain, after the last compaction) into
 * context items, in record order:
 * - the `isCompactSummary` user record: `compact-summary`;
 * - a tool_result: `file-read` for a Read call, `subagent-result` for Task/Agent, else `tool-result`
 *   (a result whose call is not among the records: tool `unknown`);
 * - the tool_use input of Edit/Write/MultiEdit/NotebookEdit: `code` (chars of its JSON);
 * - user prompt text, assistant text and thinking, other tool_use inputs (JSON), hook additional
 *   context: `conversation`.
 * Records that are not sent to the model are skipped: sidechains, `isVisibleInTranscriptOnly` records
 * other than the summary, the `/compact` echo (`repeatsCompactSummary`), progress, system and
 * bookkeeping records, and start-of-session attachments (listings count with the system prompt).
 *
 * A new exchange (turn) starts at each user prompt: a user record with text or images and no
 * tool_result, that is not `isMeta`, not a local command's output and not an interruption notice.
 */
export function contextItems(records: readonly TranscriptRecord[]): SegmentContent {
  const items: ContextItem[] = [];
  const prompts: UserPrompt[] = [];
  const calls = new Map<string, CallInfo>();
  let todos: TodoEntry[] | null = null;
  let plan: { turn: number; line: number } | null = null;
  const planCalls = new Map<string, { turn: number; line: number }>();
  let turn = 0;

  const push = (
    line: number,
    kind: ItemKind,
    tool: string | null,
    target: string | null,
    chars: number,
    hashText: string,
    extra: { range?: string | null; isError?: boolean } = {},
  ) => {
    items.push({
      id: items.length,
      kind,
      tool,
      target,
      range: extra.range ?? null,
      chars,
      estTokens: estimateTokens(chars),
      turn,
      line,
      hash: hashOf(`${kind}\0${hashText}`),
      isError: extra.isError ?? false,
    });
  };

  for (const { line, rec } of records) {
    if (rec.isSidechain === true) continue;
    if (rec.type === 'attachment') {
      const a = rec.attachment;
      if (isObj(a) && a.type === 'hook_additional_context') {
        const c = contentText(Array.isArray(a.content) ? a.content.map((t) => (typeof t === 'string' ? { type: 'text', text: t } : t)) : a.content);
        if (c.chars > 0) push(line, 'conversation', 'hook', str(a.hookName), c.chars, c.text);
      }
      continue;
    }
    if (rec.type !== 'user' && rec.type !== 'assistant') continue;
    const msg = rec.message;
    if (!isObj(msg)) continue;
    const content = msg.content;

    if (rec.type === 'user') {
      if (rec.isCompactSummary === true) {
        const c = contentText(content);
        push(line, 'compact-summary', null, null, c.chars, c.text);
        continue;
      }
      if (rec.isVisibleInTranscriptOnly === true || rec.repeatsCompactSummary === true) continue;
      const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
      const hasResult = blocks.some((b) => isObj(b) && b.type === 'tool_result');
      const text = blocks.filter((b): b is Obj => isObj(b) && (b.type === 'text' || b.type === 'image'));
      if (!hasResult && text.length > 0 && rec.isMeta !== true) {
        const raw = text.map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n');
        if (!LOCAL_ECHO.test(raw) && !INTERRUPTED.test(raw)) {
          turn++;
          const t = promptText(raw);
          prompts.push({ turn, line, text: t.length > 0 ? t : text.some((b) => b.type === 'image') ? '[image]' : '(no text)' });
        }
      }
      for (const b of blocks) {
        if (!isObj(b)) continue;
        if (b.type === 'tool_result') {
          const id = str(b.tool_use_id);
          const call = id === null ? undefined : calls.get(id);
          const name = call?.name ?? 'unknown';
          const c = contentText(b.content);
          const kind: ItemKind = name === 'Read' ? 'file-read' : SUBAGENT_TOOLS.has(name) ? 'subagent-result' : 'tool-result';
          push(line, kind, name, call?.target ?? null, c.chars, c.text, { range: call?.range ?? null, isError: b.is_error === true });
          if (name === 'ExitPlanMode' && id !== null) {
            const p = planCalls.get(id);
            if (p !== undefined && b.is_error !== true && !/reject|doesn't want to proceed/i.test(c.text)) plan = p;
          }
        } else if (b.type === 'text' || b.type === 'image') {
          const c = contentText([b]);
          if (c.chars > 0) push(line, 'conversation', 'user', null, c.chars, c.text);
        }
      }
      continue;
    }

    // assistant
    if (!Array.isArray(content)) {
      if (typeof content === 'string' && content.length > 0) push(line, 'conversation', 'assistant', null, content.length, content);
      continue;
    }
    for (const b of content) {
      if (!isObj(b)) continue;
      if (b.type === 'text' && typeof b.text === 'string' && b.text.length > 0) {
        push(line, 'conversation', 'assistant', null, b.text.length, b.text);
      } else if (b.type === 'thinking' && typeof b.thinking === 'string' && b.thinking.length > 0) {
        push(line, 'conversation', 'thinking', null, b.thinking.length, b.thinking);
      } else if (b.type === 'tool_use') {
        const name = str(b.name) ?? 'unknown';
        const json = JSON.stringify(b.input ?? {});
        const target = targetOf(name, b.input);
        const id = str(b.id);
        if (id !== null) calls.set(id, { name, target, range: rangeOf(name, b.input), turn, line });
        push(line, CODE_TOOLS.has(name) ? 'code' : 'conversation', name, target, json.length, json);
        if (name === 'TodoWrite' && isObj(b.input) && Array.isArray(b.input.todos)) {
          todos = b.input.todos
            .filter(isObj)
            .map((t) => ({ content: str(t.content) ?? str(t.activeForm) ?? '', status: str(t.status) ?? 'pending' }))
            .filter((t) => t.content.length > 0);
        }
        if (name === 'ExitPlanMode' && id !== null) planCalls.set(id, { turn, line });
      }
    }
  }
  return { items, prompts, todos, plan };
}
