import { pluginSlash, type Slash } from '../render/command-names.ts';
import { fmtPctDown } from '../render/format.ts';

/** The context alert a session shows now, if any. */
export interface ContextAlert {
  /** The threshold (% of the usable limit) crossed; 100 for CRITICAL. */
  threshold: number;
  /** For the person (systemMessage). */
  message: string;
  /** For the model (additionalContext), at DANGER and CRITICAL; null below. */
  modelNote: string | null;
}

/** What a session has been told in its current context segment (a compaction starts a new one). */
export interface ContextAlertState {
  segment: number;
  delivered: number[];
}

/** Inputs of `decideContextAlert`: figures in tokens; pct of the usable limit. */
export interface ContextAlertInputs {
  usedTokens: number;
  usableLimit: number;
  /** Compactions seen: the segment the session is in. */
  segment: number;
  /** Thresholds in % of the usable limit (config `context.thresholds`, default 50/80/90). */
  thresholds: readonly number[];
  /** From this % the model is told to compact too (DANGER starts at 80 % of the usable limit). */
  compactFromPct: number;
  /** The exact `/compact ...` line to suggest; called only when an alert at DANGER or above fires (it may read the transcript). */
  compactLine: () => string;
  hoursLeft: number | null;
}

/**
 * Decides the context alert a session shows, once per threshold per segment: the highest threshold
 * reached that was not shown in this segment (and 100 % as CRITICAL). A new segment (after a
 * compaction) starts over. `slash` names cco's commands in the form that works for the person. Pure:
 * returns the new state (the same object when nothing changed).
 */
export function decideContextAlert(
  prev: ContextAlertState | null,
  i: ContextAlertInputs,
  slash: Slash = pluginSlash,
): { state: ContextAlertState; alert: ContextAlert | null } {
  const base: ContextAlertState = prev !== null && prev.segment === i.segment ? prev : { segment: i.segment, delivered: [] };
  const pct = i.usableLimit > 0 ? (i.usedTokens / i.usableLimit) * 100 : 0;
  const reached = [...i.thresholds, 100].filter((t) => pct >= t && !base.delivered.includes(t)).sort((a, b) => a - b);
  const top = reached.at(-1);
  if (top === undefined) return { state: base === prev ? prev : base, alert: null };
  const state = { segment: i.segment, delivered: [...base.delivered, ...reached] };
  // Rounded down: 89.8 % after crossing 80 % reads "89%", never "90%" (a threshold not reached yet).
  const shown = fmtPctDown(pct);
  const left =
    i.hoursLeft === null
      ? ''
      : `; at this session's pace the usable limit is reached in about ${i.hoursLeft < 1 ? `${Math.max(1, Math.round(i.hoursLeft * 60))} min` : `${i.hoursLeft.toFixed(1)} h`}`;
  const head =
    top >= 100
      ? `cco: context CRITICAL: ${shown}% of the usable limit (${i.usedTokens.toLocaleString('en-US')} of ${i.usableLimit.toLocaleString('en-US')} tokens); auto-compaction is imminent.`
      : `cco: context at ${shown}% of the usable limit (${i.usedTokens.toLocaleString('en-US')} of ${i.usableLimit.toLocaleString('en-US')} tokens)${left}.`;
  const urgent = top >= i.compactFromPct;
  const line = urgent ? i.compactLine() : '';
  return {
    state,
    alert: {
      threshold: top,
      message: urgent ? `${head} Compact now: ${line}  (or ${slash('save-and-restart')})` : `${head} ${slash('compact-context')} shows what to drop.`,
      modelNote: urgent
        ? `The context window of this session is ${shown}% full (${i.usedTokens.toLocaleString('en-US')} of ${i.usableLimit.toLocaleString('en-US')} usable tokens). Before starting anything large, ask the user to run this compaction (only the user can): ${line}`
        : null,
    },
  };
}
