import type { PerToolCall } from '../usage/per-tool-call.ts';
import type { ToolRow, ToolsReport } from '../usage/tool-report.ts';
import { DISPLAY_PATH_MAX, displayText } from './display-text.ts';
import { fmtInt, fmtPct } from './format.ts';
import { kv } from './kv.ts';

const RULE = '─'.repeat(62);

/** `4,210  (measured: 55,500 counted tokens / 13 tool calls of <whose><note>)`, or n/a without calls. Pure. */
function perToolCallText(p: PerToolCall, whose: string, note = ''): string {
  if (p.perCall === null) return `n/a  (no tool calls in ${whose} yet)`;
  return `${fmtInt(p.perCall)}  (measured: ${fmtInt(p.tokens)} counted tokens / ${fmtInt(p.calls)} tool call${p.calls === 1 ? '' : 's'} of ${whose}${note})`;
}

/**
 * Renders the `cco tools` report: the tokens per tool call (the figure the runway uses), then per tool,
 * per subagent type and per MCP server the calls (measured) and the context they added (estimate), in
 * fixed-width tables. The context attributed to calls is set against the counted tokens, and a
 * difference above them is named. Pure.
 */
export function renderToolsReport(r: ToolsReport): string {
  const out: string[] = [];
  const row = (label: string, value: string) => out.push(kv(label, value, 22));
  out.push(`CLAUDE CODE TOOL USAGE  ·  ${displayText(r.scope, DISPLAY_PATH_MAX)}  ·  ${fmtInt(r.files)} transcript file${r.files === 1 ? '' : 's'}`, RULE);
  row('Tokens per tool call', perToolCallText(r.perToolCall, 'your sessions', '; the runway uses it'));
  if (r.sessionPerToolCall !== null) row('This session', perToolCallText(r.sessionPerToolCall, 'this session'));
  if (r.calls === 0) {
    out.push('', '  No tool calls found in the transcripts.');
    return out.join('\n') + '\n';
  }
  row('Counted tokens', `${fmtInt(r.countedTokens)}  (measured, the quota's weights, ${r.scope})`);
  const share = r.countedTokens > 0 ? ` = ${fmtPct(r.tokens / r.countedTokens)} of the counted tokens` : '';
  row(
    'Context from calls',
    `${fmtInt(r.tokens)}  (estimate: what the calls added to the context${share}; the rest is prompts, the model's text and re-sent context)`,
  );
  if (r.tokens > r.countedTokens) {
    out.push(
      `  Note: the calls' context exceeds the counted tokens by ${fmtInt(r.tokens - r.countedTokens)}: quota.weights count some of it (cache creation or input) at less than 1.`,
    );
  }
  out.push(
    '',
    '  calls, sampled: measured (tool_use blocks; calls whose result was measured)',
    "  ctx tokens, share, ctx/call: estimate (tool_use input chars / 4 + the result's share of the next request's new tokens)",
    '',
  );
  table(out, 'TOOLS', 'Tool', r.tools, totalRow(r));
  if (r.agentTypes.length > 0) table(out, 'SUBAGENT TYPES  (Task/Agent calls by subagent_type; share of all tool tokens)', 'Subagent type', r.agentTypes, null);
  if (r.mcpServers.length > 0) table(out, 'MCP SERVERS  (mcp__<server>__* calls; share of all tool tokens)', 'Server', r.mcpServers, null);
  const skipped = r.unmatchedResults + r.unattributedResults;
  if (skipped > 0) {
    out.push(
      `  Results not attributed: ${fmtInt(r.unmatchedResults)} whose tool_use is in another file, ${fmtInt(r.unattributedResults)} with no measurable next request (compaction, untracked chain)  (measured)`,
    );
  }
  return out.join('\n') + '\n';
}

type Cells = [string, string, string, string, string, string];

function totalRow(r: ToolsReport): Cells {
  return ['Total', fmtInt(r.calls), fmtInt(r.tools.reduce((n, t) => n + t.samples, 0)), fmtInt(r.tokens), r.tokens > 0 ? fmtPct(1) : fmtPct(0), ''];
}

function table(out: string[], title: string, first: string, rows: readonly ToolRow[], total: Cells | null): void {
  const head: Cells = [first, 'Calls', 'Sampled', 'Ctx tokens', 'Share', 'Ctx/call'];
  const body: Cells[] = rows.map((t) => [
    displayText(t.name),
    fmtInt(t.calls),
    fmtInt(t.samples),
    fmtInt(t.tokens),
    fmtPct(t.share),
    t.contextPerCall === null ? 'n/a' : fmtInt(t.contextPerCall),
  ]);
  const all = total === null ? [head, ...body] : [head, ...body, total];
  const width = (i: number) => Math.max(...all.map((c) => c[i]!.length));
  const line = (c: Cells) => ('  ' + c.map((v, i) => (i === 0 ? v.padEnd(width(i)) : v.padStart(width(i)))).join('  ')).trimEnd();
  out.push(title, line(head));
  for (const c of body) out.push(line(c));
  if (total !== null) out.push('  ' + '-'.repeat(line(head).length - 2), line(total));
  out.push('');
}
