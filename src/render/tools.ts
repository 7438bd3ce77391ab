import type { ToolRow, ToolsReport } from '../usage/tool-report.ts';
import { fmtInt, fmtPct } from './format.ts';

const RULE = '─'.repeat(62);

/**
 * Renders the `cco tools` report: per tool, per subagent type and per MCP server, in fixed-width tables.
 * Calls and sampled calls are `measured`; tokens, share, average per call and the estimate in use are
 * `estimate` (attributed from transcript usage), each table says so. Pure.
 */
export function renderToolsReport(r: ToolsReport): string {
  const out: string[] = [];
  out.push(`CLAUDE CODE TOOL USAGE  ·  ${r.scope}  ·  ${fmtInt(r.files)} transcript file${r.files === 1 ? '' : 's'}`, RULE);
  if (r.calls === 0) {
    out.push('  No tool calls found in the transcripts.');
    return out.join('\n') + '\n';
  }
  out.push(
    '  calls, sampled: measured (tool_use blocks; calls whose result was measured)',
    '  tokens, share, avg/call: estimate (tool_use input chars / 4 + the result\'s share of the next request\'s context growth)',
    `  in use (tokens/call, estimate): learned once a tool has ${r.minSamples}+ sampled calls, else the prior table`,
    '',
  );
  table(out, 'TOOLS', 'Tool', r.tools, totalRow(r));
  if (r.agentTypes.length > 0) table(out, 'SUBAGENT TYPES  (Task/Agent calls by subagent_type; share of all tool tokens)', 'Subagent type', r.agentTypes, null);
  if (r.mcpServers.length > 0) table(out, 'MCP SERVERS  (mcp__<server>__* calls; share of all tool tokens)', 'Server', r.mcpServers, null);
  out.push(`  Average over all calls: ${r.avgTokensPerCall === null ? 'n/a' : `${fmtInt(r.avgTokensPerCall)} tokens/call`}  (estimate: each tool's estimate in use, weighted by its calls)`);
  const skipped = r.unmatchedResults + r.unattributedResults;
  if (skipped > 0) {
    out.push(`  Results not attributed: ${fmtInt(r.unmatchedResults)} whose tool_use is in another file, ${fmtInt(r.unattributedResults)} with no measurable next request (compaction, untracked chain)  (measured)`);
  }
  return out.join('\n') + '\n';
}

type Cells = [string, string, string, string, string, string, string, string];

function totalRow(r: ToolsReport): Cells {
  return ['Total', fmtInt(r.calls), fmtInt(r.tools.reduce((n, t) => n + t.samples, 0)), fmtInt(r.tokens), r.tokens > 0 ? fmtPct(1) : fmtPct(0), '', '', ''];
}

function table(out: string[], title: string, first: string, rows: readonly ToolRow[], total: Cells | null): void {
  const head: Cells = [first, 'Calls', 'Sampled', 'Tokens', 'Share', 'Avg/call', 'In use', 'Source'];
  const body: Cells[] = rows.map((t) => [
    t.name, fmtInt(t.calls), fmtInt(t.samples), fmtInt(t.tokens), fmtPct(t.share),
    t.avgPerCall === null ? 'n/a' : fmtInt(t.avgPerCall),
    fmtInt(t.estimate.tokensPerCall), t.estimate.source,
  ]);
  const all = total === null ? [head, ...body] : [head, ...body, total];
  const width = (i: number) => Math.max(...all.map((c) => c[i]!.length));
  const line = (c: Cells) =>
    ('  ' + c.map((v, i) => (i === 0 || i === 7 ? v.padEnd(width(i)) : v.padStart(width(i)))).join('  ')).trimEnd();
  out.push(title, line(head));
  for (const c of body) out.push(line(c));
  if (total !== null) out.push('  ' + '-'.repeat(line(head).length - 2), line(total));
  out.push('');
}
