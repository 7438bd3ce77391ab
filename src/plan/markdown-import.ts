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
 * Text that is not a bullet is ignored. Pure: parsing reports every problem with its line number and
 * throws nothing.
 */

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
  tokens: 'tokens', estimate: 'tokens', budget: 'tokens', 'token budget': 'tokens',
  share: 'share', 'window share': 'share',
  hours: 'hours', duration: 'hours',
  agent: 'agent',
  depends: 'depends', 'depends on': 'depends', dependencies: 'depends', after: 'depends',
  project: 'project', 'project dir': 'project',
  objectives: 'objectives', objective: 'objectives', goals: 'objectives',
};

/**
 * Parses `80000`, `80,000`, `80k`, `1.2M` as a whole number of tokens; null when it is none (or past
 * Number.MAX_SAFE_INTEGER, where it is no exact count).
 */
export function parseTokenCount(text: string): number | null {
  const m = /^\s*(\d+(?:[.,_]\d+)*)\s*([kKmM])?\s*(?:tokens?)?\s*$/.exec(text);
  if (!m) return null;
  const suffix = m[2]?.toLowerCase();
  const raw = m[1]!.replace(/[,_]/g, '');
  if (suffix === undefined && raw.includes('.')) return null;
  const n = Math.round(Number(raw) * (suffix === 'k' ? 1_000 : suffix === 'm' ? 1_000_000 : 1));
  // A safe integer, as the queue's schema holds `tokens` to (z.int()): 1e20 would be written and then refused.
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Parses `0.5` or `50%` as a share of one window, above 0; null otherwise. A share above 1 (`150%`) is
 * returned: the import refuses it as larger than one window, naming the budget.
 */
export function parseShare(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]) / (m[2] ? 100 : 1);
  return n > 0 ? n : null;
}

/** Parses a markdown plan (see the module comment). Pure. */
export function parsePlanMarkdown(text: string): ParsedPlan {
  const out: ParsedPlan = { projectDir: null, sessions: [], errors: [] };
  let cur: ParsedSession | null = null;
  /** Sessions whose hours or estimate line was given but invalid (already reported). */
  const badHours = new Set<ParsedSession>();
  const badEstimate = new Set<ParsedSession>();
  let inFence = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(raw);
    if (heading && !raw.startsWith('###')) {
      cur = { title: heading[1]!.trim(), line, tokens: null, windowShare: null, hours: null, agent: null, depends: [], objectives: [], projectDir: null };
      out.sessions.push(cur);
      return;
    }
    const bullet = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$/.exec(raw);
    if (!bullet) return;
    const body = bullet[1]!;
    const kv = /^\*{0,2}([A-Za-z][A-Za-z ]*?)\*{0,2}\s*:\*{0,2}\s*(.*)$/.exec(body);
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
        s.depends.push(...value.split(',').map((d) => d.trim()).filter((d) => d !== '' && !/^(none|-)$/i.test(d)));
        return;
      case 'project':
        s.projectDir = value.replace(/^`|`$/g, '');
        return;
    }
  });
  for (const s of out.sessions) {
    if (s.hours === null && !badHours.has(s)) out.errors.push(`line ${s.line}: "${s.title}" has no "- hours:" line`);
    if (s.tokens === null && s.windowShare === null && !badEstimate.has(s)) out.errors.push(`line ${s.line}: "${s.title}" has no "- tokens:" (or "- share:") line`);
    if (s.tokens !== null && s.windowShare !== null) out.errors.push(`line ${s.line}: "${s.title}" has both tokens and a share; keep one`);
  }
  if (out.sessions.length === 0) out.errors.push('no sessions found: each session starts with a "## Title" heading');
  return out;
}
