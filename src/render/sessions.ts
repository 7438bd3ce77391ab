import { DISPLAY_PATH_MAX, displayLabel, displayText } from './display-text.ts';
import type { LiveSessionView, RecentSessionView, SessionsView } from '../quota/sessions-view.ts';
import { fmtDuration, fmtInt, fmtPct, fmtTime } from './format.ts';
import { kv } from './kv.ts';

const RULE = '─'.repeat(62);
/** How many not-live sessions are listed before "… and N more". */
const MAX_RECENT_SHOWN = 10;

/** A byte count as `512 KiB`, `412 MiB`, `1.25 GiB` (binary units). Pure. */
export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/**
 * The SESSIONS ON THIS MACHINE section as lines (no trailing blank line): the live count and the
 * window, a warning above `sessions.maxConcurrent`, one block per live session (start, share of the
 * window's tokens, burn rate, context, memory, each with its source), then the sessions that are no
 * longer live with `claude --resume <id>`. Fixed-width rows like the /session-status report. Pure.
 */
export function renderSessionsSection(v: SessionsView, opts: { maxRecent?: number } = {}): string[] {
  const out: string[] = ['SESSIONS ON THIS MACHINE'];
  const row = (label: string, value: string) => out.push(kv(label, value));
  const sub = (label: string, value: string) => out.push(kv(label, value, 14, 6));

  const rule = `active within ${v.liveWithinMin} min, not ended, process not gone`;
  row('Live', v.live.length === 0 ? `none  (${rule})` : `${v.live.length}  (${rule}) · warning above ${v.maxConcurrent}`);
  if (v.window === null) row('Window', 'no 5-hour window open');
  else row('Window', `${fmtTime(v.window.startMs)} to ${fmtTime(v.window.endMs)}  (${v.window.source}) · ${fmtInt(v.windowTokens)} tokens counted  (measured)`);
  if (v.live.length > 0) {
    const sh = v.liveSharePct === null ? '' : `${fmtPct(v.liveSharePct / 100)} of the window's tokens · `;
    row('Live together', `${sh}${fmtInt(v.liveBurnPerMin)} tokens/min over the last 30 min  (measured)`);
  }
  if (v.warning !== null) row('WARNING', v.warning);
  if (v.configDirs !== null) {
    row('Config dirs', `${v.configDirs.length} of this account share the window; their tokens in it  (measured)`);
    for (const d of v.configDirs) {
      const tokens =
        d.windowTokens === null
          ? 'n/a (transcripts unreadable)'
          : `${fmtInt(d.windowTokens)} tokens${d.sharePct === null ? '' : ` · ${fmtPct(d.sharePct / 100)}`}`;
      sub(displayText(d.display, DISPLAY_PATH_MAX), `${tokens} · ${d.live} live${d.here ? '  (this one)' : ''}`);
    }
  }

  for (const s of v.live) {
    out.push(
      '',
      `  ● ${displayText(s.project, DISPLAY_PATH_MAX)}  ·  ${displayText(s.sessionId)}${s.model === null ? '' : `  ·  ${displayText(s.model)}`}${s.configDir === null ? '' : `  ·  config ${displayText(s.configDir, DISPLAY_PATH_MAX)}`}`,
    );
    sub('Started', s.startedMs === null ? 'unknown' : `${fmtTime(s.startedMs)}  (${fmtDuration(v.nowMs - s.startedMs)} ago)`);
    sub('Window share', windowShare(s, v));
    sub('Burn rate', s.burnPerMin === null ? 'n/a  (transcripts unreadable)' : `${fmtInt(s.burnPerMin)} tokens/min over the last 30 min  (measured)`);
    sub('Context', context(s));
    sub('Memory', memory(s));
  }

  if (v.recent.length > 0) {
    const max = opts.maxRecent ?? MAX_RECENT_SHOWN;
    out.push('', '  Not live (last 24 h), newest first: resume with the command below each');
    for (const r of v.recent.slice(0, max)) {
      out.push(`  ○ ${displayText(r.project, DISPLAY_PATH_MAX)}  ·  ${recentWhat(r, v.nowMs)}`, `      ${displayText(r.resume, DISPLAY_PATH_MAX)}`);
    }
    if (v.recent.length > max) out.push(`  … and ${v.recent.length - max} more  (cco sessions --json lists them all)`);
  }
  return out;
}

/** The `cco sessions` report: a header with the time, the section, a trailing newline. Pure. */
export function renderSessions(v: SessionsView): string {
  return [`CLAUDE CODE SESSIONS  ·  ${fmtTime(v.nowMs)}`, RULE, ...renderSessionsSection(v)].join('\n') + '\n';
}

function windowShare(s: LiveSessionView, v: SessionsView): string {
  if (s.windowTokens === null) return 'n/a  (transcripts unreadable)';
  if (v.window === null) return 'n/a  (no 5-hour window open)';
  if (s.sharePct === null) return `n/a  (no tokens counted in the window yet)`;
  return `${fmtPct(s.sharePct / 100)}  (${fmtInt(s.windowTokens)} of ${fmtInt(v.windowTokens)} tokens; measured)`;
}

function context(s: LiveSessionView): string {
  const c = s.context;
  if (c.pct === null) return `n/a  (${displayLabel(c.source, [s.model])})`;
  const of =
    c.basis === 'window' ? (c.ofTokens === null ? 'of the window' : `of the ${fmtInt(c.ofTokens)}-token window`) : `of ${fmtInt(c.ofTokens ?? 0)} usable`;
  return `${fmtPct(c.pct / 100)} ${of}  (${displayLabel(c.source, [s.model])})`;
}

function memory(s: LiveSessionView): string {
  const m = s.memory;
  if (m.rssBytes === null) return `n/a  (${m.pid === null ? m.source : `pid ${m.pid}: ${m.source}`})`;
  return `${fmtBytes(m.rssBytes)} RSS, pid ${m.pid}  (measured: ${m.source})`;
}

function recentWhat(r: RecentSessionView, nowMs: number): string {
  const when = `${fmtTime(r.atMs)} (${fmtDuration(nowMs - r.atMs)} ago`;
  switch (r.status) {
    case 'ended':
      return `ended ${when}${r.endReason === null ? '' : `; ${r.endReason}`})`;
    case 'process gone':
      return `process gone, last active ${when}; no SessionEnd: killed or crashed)`;
    case 'idle':
      return `idle since ${when}${r.processRunning === true ? '; process still running' : ''})`;
  }
}
