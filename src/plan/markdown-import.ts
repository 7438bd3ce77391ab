/**
 * The markdown plan format of `cco plan import <file>`:
 *
 * ```markdown
 * # Any title (ignored)
 * - project: /abs/path            (optional, before the first session: the default project)
 *
 * ## Implementation - Part 1/3     one `## ` heading per session: its title
 * - tokens: 120000                 estimate: counted tokens (`120,000`, `120k`, `1.2M` also work)
 * - share: 0.5                     ... or a share of one 5-hour window (`0.5` or `50%`) instead of tokens
 *                                  (above one window is refused at import: split it into parts)
 * - hours: 2                       estimated hours, 0.5-12
 * - agent: code-reviewer           optional: an agent name (`.claude/agents/*.md`, built in, `plugin:name`)
 * - depends: s1, Implementation - Part 0/3   optional: queued ids or titles of sessions in this plan
 * - project: /abs/path             optional: this session's project
 * - Write the parser               every other bullet is an objective
 * - objectives:                    (an optional label; the bullets under it are objectives too)
 *   - Cover the edge cases
 * ```
 *
 * Keys are case-insensitive (`depends on`, `dependencies`, `estimate`, `budget` are accepted too).
 *
 * Read as CommonMark (mdast-util-from-markdown): a bullet wrapped onto more lines (indented or not) is
 * one bullet, its lines joined by a space; what is inside a code block (fenced or indented), an HTML block
 * (an `<!-- -->` comment) or a block quote is not read, `## ` headings in it included. A session heading
 * is an ATX `## ` heading at the top level; `#`, `###` and deeper headings and underlined (setext)
 * headings are text, and text that is not a bullet is ignored. A bullet or title is kept as written (its
 * `**`, backticks and escapes included), but for a task box (`[ ]`, `[x]`) before a bullet's text.
 * Pure: parsing reports every problem with its line number (1-based, as CommonMark counts lines: LF,
 * CRLF and a lone CR each end one) and throws nothing.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { parseShare, parseTokenCount } from './estimate-text.ts';

/** One `## ` section. */
export interface ParsedSession {
  title: string;
  /** 1-based line of the heading. */
  line: number;
  tokens: number | null;
  windowShare: number | null;
  hours: number | null;
  agent: string | null;
  /** References as written: ids or titles. */
  depends: string[];
  objectives: string[];
  projectDir: string | null;
}

export interface ParsedPlan {
  /** `- project:` before the first session, or null. */
  projectDir: string | null;
  sessions: ParsedSession[];
  /** Problems, each `line N: ...`; an import with any is refused. */
  errors: string[];
}

const KEYS: Record<string, 'tokens' | 'share' | 'hours' | 'agent' | 'depends' | 'project' | 'objectives'> = {
  tokens: 'tokens',
  estimate: 'tokens',
  budget: 'tokens',
  'token budget': 'tokens',
  share: 'share',
  'window share': 'share',
  hours: 'hours',
  duration: 'hours',
  agent: 'agent',
  depends: 'depends',
  'depends on': 'depends',
  dependencies: 'depends',
  after: 'depends',
  project: 'project',
  'project dir': 'project',
  objectives: 'objectives',
  objective: 'objectives',
  goals: 'objectives',
};

// The mdast node types read here, from the parser's own result type (no import of @types/mdast, which
// is the parser's dependency, not ours).
type Block = ReturnType<typeof fromMarkdown>['children'][number];
type Heading = Extract<Block, { type: 'heading' }>;
type List = Extract<Block, { type: 'list' }>;
type Paragraph = Extract<Block, { type: 'paragraph' }>;
type Positioned = { position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } } | undefined };

/** `node`'s 1-based first and last line and its start and end offsets in the parsed text (fromMarkdown positions every node). */
function span(node: Positioned): { line: number; endLine: number; start: number; end: number } {
  const p = node.position;
  return { line: p?.start.line ?? 1, endLine: p?.end.line ?? 1, start: p?.start.offset ?? 0, end: p?.end.offset ?? 0 };
}

/** The source text of `nodes` (siblings, in order), from the first one's start to the last one's end. */
function sourceOf(src: string, nodes: readonly Positioned[]): string {
  return nodes.length === 0 ? '' : src.slice(span(nodes[0]!).start, span(nodes[nodes.length - 1]!).end);
}

/** A bullet's text as written: its first paragraph's lines, each trimmed, joined by a space; a task box before it dropped. */
function bulletText(src: string, p: Paragraph): string {
  const lines = sourceOf(src, [p])
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim());
  return lines
    .filter((l) => l !== '')
    .join(' ')
    .replace(/^\[[ xX]\]\s+/, '');
}

/** Calls `visit` with each bullet of `list` and of the lists nested in its items, in document order (no recursion: a deep nesting cannot overflow the stack). */
function forEachBullet(src: string, list: List, visit: (body: string, line: number) => void): void {
  const todo = [...list.children].reverse();
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const first = item.children[0];
    if (first?.type === 'paragraph') visit(bulletText(src, first), span(first).line);
    const nested = item.children.flatMap((c) => (c.type === 'list' ? c.children : []));
    todo.push(...nested.reverse());
  }
}

/**
 * The problem with a session heading that a lone CR (not before LF) ends, in a file whose other lines
 * end in LF, when text follows the CR: CommonMark ends the heading there, so that text is not part of
 * the title (an editor may well show it on the heading's line). Null otherwise (in a file whose lines all
 * end in a lone CR, each is a line of its own as the person sees it).
 */
function loneCrProblem(src: string, h: Heading, title: string): string | null {
  const { line, end } = span(h);
  if (src[end] !== '\r' || src[end + 1] === '\n' || !src.includes('\n')) return null;
  const rest = src
    .slice(end + 1)
    .split(/\r|\n/, 1)[0]!
    .trim();
  if (rest === '') return null;
  return `line ${line}: the heading "${title}" ends in a lone carriage return (CR), which markdown reads as a line end, so "${rest}" after it is not part of the title; remove the CR`;
}

/** Parses a markdown plan (see the module comment). Pure. */
export function parsePlanMarkdown(text: string): ParsedPlan {
  // fromMarkdown drops a leading byte order mark and counts offsets without it: drop it here too, so
  // that its offsets index `src`.
  const src = text.replace(/^\uFEFF/, '');
  const out: ParsedPlan = { projectDir: null, sessions: [], errors: [] };
  let cur: ParsedSession | null = null;
  /** Sessions whose hours or estimate line was given but invalid (already reported). */
  const badHours = new Set<ParsedSession>();
  const badEstimate = new Set<ParsedSession>();
  const bullet = (body: string, line: number): void => {
    // `s`: a value holding U+2028 / U+2029 (which `.` does not match otherwise) is still the key's value.
    const kv = /^\*{0,2}([A-Za-z][A-Za-z ]*?)\*{0,2}\s*:\*{0,2}\s*(.*)$/s.exec(body);
    const key = kv ? KEYS[kv[1]!.trim().toLowerCase()] : undefined;
    const value = kv ? kv[2]!.trim() : '';
    if (cur === null) {
      if (key === 'project') out.projectDir = value;
      else if (key !== undefined) out.errors.push(`line ${line}: "${kv![1]}" comes before the first "## " session heading`);
      return;
    }
    const s: ParsedSession = cur;
    switch (key) {
      case undefined:
        s.objectives.push(body);
        return;
      case 'objectives':
        if (value !== '') s.objectives.push(value);
        return;
      case 'tokens': {
        const share = /%\s*$/.test(value) ? parseShare(value) : null;
        const n = share === null ? parseTokenCount(value) : null;
        if (share !== null) s.windowShare = share;
        else if (n !== null) s.tokens = n;
        else {
          out.errors.push(`line ${line}: tokens must be a whole number such as 120000 or 120k, not "${value}"`);
          badEstimate.add(s);
        }
        return;
      }
      case 'share': {
        const n = parseShare(value);
        if (n === null) {
          out.errors.push(`line ${line}: share must be a share of one window above 0, such as 0.5 or 50%, not "${value}"`);
          badEstimate.add(s);
        } else s.windowShare = n;
        return;
      }
      case 'hours': {
        const m = /^\s*(\d+(?:\.\d+)?)\s*(?:h|hours?)?\s*$/i.exec(value);
        const n = m ? Number(m[1]) : Number.NaN;
        if (!(n >= 0.5 && n <= 12)) {
          out.errors.push(`line ${line}: hours must be a number from 0.5 to 12, not "${value}"`);
          badHours.add(s);
        } else s.hours = n;
        return;
      }
      case 'agent':
        s.agent = value.replace(/^`|`$/g, '') || null;
        return;
      case 'depends':
        s.depends.push(
          ...value
            .split(',')
            .map((d) => d.trim())
            .filter((d) => d !== '' && !/^(none|-)$/i.test(d)),
        );
        return;
      case 'project':
        s.projectDir = value.replace(/^`|`$/g, '');
        return;
    }
  };
  for (const node of fromMarkdown(src).children) {
    if (node.type === 'list') forEachBullet(src, node, bullet);
    if (node.type !== 'heading' || node.depth !== 2) continue;
    const { line, endLine } = span(node);
    if (endLine !== line) continue; // underlined (setext): text, as the format has `## ` headings only
    const title = sourceOf(src, node.children).trim();
    cur = { title, line, tokens: null, windowShare: null, hours: null, agent: null, depends: [], objectives: [], projectDir: null };
    out.sessions.push(cur);
    if (title === '') out.errors.push(`line ${line}: a "## " heading with no title; give the session one`);
    const cr = loneCrProblem(src, node, title);
    if (cr !== null) out.errors.push(cr);
  }
  for (const s of out.sessions) {
    if (s.hours === null && !badHours.has(s)) out.errors.push(`line ${s.line}: "${s.title}" has no "- hours:" line`);
    if (s.tokens === null && s.windowShare === null && !badEstimate.has(s))
      out.errors.push(`line ${s.line}: "${s.title}" has no "- tokens:" (or "- share:") line`);
    if (s.tokens !== null && s.windowShare !== null) out.errors.push(`line ${s.line}: "${s.title}" has both tokens and a share; keep one`);
  }
  if (out.sessions.length === 0) out.errors.push('no sessions found: each session starts with a "## Title" heading');
  return out;
}
