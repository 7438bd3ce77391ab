import { contextWindowOrNull, isFiniteIn, percentOrNull } from '../claude/figure-bounds.ts';
import { modelWindow, MODEL_TABLE_SOURCE, compactBuffer } from '../claude/model-windows.ts';
import type { ContextReading } from '../claude/transcript-digest.ts';
import { nextThreshold } from '../quota/levels.ts';
import { pluginSlash, type Slash } from '../render/command-names.ts';
import type { StatuslineContext } from '../store/schema-official.ts';
import type { AutoCompactEnv } from '../claude/auto-compact-env.ts';
import { hoursLeft } from '../usage/context-growth.ts';

/** Context levels as fractions of the usable limit (the auto-compaction point), so every window scales alike. */
export interface ContextLevel {
  name: 'FRESH' | 'HEALTHY' | 'MODERATE' | 'WARNING' | 'DANGER' | 'CRITICAL';
  /** Upper bound (exclusive) as a fraction of the usable limit. */
  below: number;
  recommendation: string;
}

/** The levels; `recommendations` name the slash commands in the form that works for the person. Pure. */
export function contextLevels(slash: Slash = pluginSlash): readonly ContextLevel[] {
  return [
    { name: 'FRESH', below: 50 / 180, recommendation: 'Plenty of room: read what you need.' },
    { name: 'HEALTHY', below: 90 / 180, recommendation: 'Healthy: keep file reads targeted.' },
    { name: 'MODERATE', below: 120 / 180, recommendation: 'Consider a focused /compact at the next natural break.' },
    { name: 'WARNING', below: 144 / 180, recommendation: `Compact soon (${slash('compact-context')} shows what to drop).` },
    { name: 'DANGER', below: 1, recommendation: `Compact now, or save a handoff (${slash('save-and-restart')}) and start fresh.` },
    { name: 'CRITICAL', below: Infinity, recommendation: `Auto-compaction is imminent: compact now or ${slash('save-and-restart')}.` },
  ];
}

/** The level names in order (FRESH ... CRITICAL). */
export const CONTEXT_LEVEL_NAMES = contextLevels().map((l) => l.name);

/** What the CONTEXT WINDOW section shows. Token figures in tokens. */
export interface ContextStatus {
  model: string | null;
  /** The model's context window (tokens), or null while unknown (an unknown model, no status line reading); and why. */
  windowSize: number | null;
  windowSource: string;
  /**
   * The usable limit (tokens): where Claude Code compacts on its own (see src/claude/model-windows.ts), or
   * window x `context.usableFraction` when configured; null while the window is unknown. And its source.
   */
  usableLimit: number | null;
  usableSource: string;
  /** Current fill (tokens), or null before the first response; and its source. */
  used: number | null;
  usedSource: string;
  /** Null until both the fill and the usable limit are known: no level, no alert. */
  level: ContextLevel | null;
  /** Next alert threshold (% of usable limit) and the tokens until it. */
  nextAlertPct: number | null;
  tokensToNextAlert: number | null;
  /** Context growth (tokens/hour, estimate from the transcript) and the hours until the usable limit at that pace. */
  growthPerHour: number | null;
  hoursLeft: number | null;
}

/** The context settings `contextStatus` reads (config `context`): all optional overrides but the thresholds. */
export interface ContextConfig {
  /** Usable share of the window; absent: Claude Code's own auto-compaction point. */
  usableFraction?: number | undefined;
  /** Window (tokens) for a model neither the status line nor the model table knows; absent: unknown. */
  windowSize?: number | undefined;
  thresholds: readonly number[];
}

/** A window size and where it comes from; size null when unknown. */
export interface WindowFigure {
  size: number | null;
  source: string;
}

/**
 * The context window of a session: the status line's `context_window_size` (Claude Code's own figure for
 * the model in use) when seen and believable (an integer of 100,000..100,000,000 tokens:
 * `contextWindowOrNull`; a stored figure may predate that check), else the model table
 * (src/claude/model-windows.ts), else the configured `context.windowSize`, else unknown ("window unknown
 * for <model>"). Pure.
 */
export function contextWindowOf(model: string | null, statuslineSize: number | null, configured: number | undefined): WindowFigure {
  if (contextWindowOrNull(statuslineSize) !== null) return { size: statuslineSize, source: 'status line, context_window_size' };
  if (model !== null) {
    const w = modelWindow(model);
    if (w.known) return { size: w.window, source: `${MODEL_TABLE_SOURCE}, ${w.model}` };
  }
  if (configured !== undefined) return { size: configured, source: 'config, context.windowSize' };
  return { size: null, source: model === null ? 'window unknown: no model seen yet' : `window unknown for ${model}` };
}

/**
 * The usable limit of a window (tokens) and its source, as Claude Code compacts: with
 * `context.usableFraction` configured, window x fraction; with auto-compaction disabled, the window; with
 * `CLAUDE_CODE_AUTO_COMPACT_WINDOW`, min(it, window) minus the buffer; for a model that compacts at a
 * threshold (or one the table does not know: Claude Code's default, labelled `assumed`), window minus the
 * buffer (33,000); for one that compacts only when the API refuses the prompt, the window. Pure.
 */
export function usableLimitOf(
  windowSize: number,
  model: string | null,
  cfg: Pick<ContextConfig, 'usableFraction'>,
  env: AutoCompactEnv = {},
): { limit: number; source: string } {
  if (cfg.usableFraction !== undefined) {
    return { limit: Math.round(windowSize * cfg.usableFraction), source: `config, context.usableFraction ${cfg.usableFraction}` };
  }
  if (env.disabled === true) return { limit: windowSize, source: 'the whole window: auto-compaction is off, DISABLE_AUTO_COMPACT' };
  const w = model === null ? null : modelWindow(model);
  const buffer = w?.known ? w.buffer : compactBuffer();
  if (env.window != null && env.window > 0) {
    const b = compactBuffer();
    const at = Math.max(0, Math.min(env.window, windowSize) - b);
    return {
      limit: at,
      source: `Claude Code compacts ${b.toLocaleString('en-US')} below CLAUDE_CODE_AUTO_COMPACT_WINDOW ${env.window.toLocaleString('en-US')}`,
    };
  }
  if (w?.known === true && w.mode === 'at-window') {
    return { limit: windowSize, source: `the whole window: Claude Code compacts ${w.model} only when a prompt no longer fits, ${MODEL_TABLE_SOURCE}` };
  }
  const below = `Claude Code auto-compacts ${buffer.toLocaleString('en-US')} below the window`;
  return {
    limit: Math.max(0, windowSize - buffer),
    // A model the table does not list: the buffer is Claude Code's default, assumed, not the table's word for it.
    source:
      w?.known === true
        ? `${below}, ${MODEL_TABLE_SOURCE}`
        : `assumed: ${below} (its default; ${model === null ? 'no model seen yet' : `no model-table entry for ${model}`})`,
  };
}

/** A statusline reading this recent (ms) is "fresh": it wins over an older transcript reading. */
export const STATUSLINE_FRESH_MS = 2 * 60_000;

/** Optional inputs of `contextStatus`. */
export interface ContextExtras {
  /** What the statusline last saw of this session's context window. */
  statusline?: StatuslineContext | null;
  /** The session's context growth (tokens/hour), for the hours-left estimate. */
  growthPerHour?: number | null;
  /** The auto-compaction settings of the session's Claude Code process. */
  autoCompact?: AutoCompactEnv;
  /** How the person types cco's commands (recommendations name them). */
  slash?: Slash;
  nowMs?: number;
}

/**
 * Computes the CONTEXT WINDOW section. Used tokens: the statusline's reading when fresh (2 min) and not
 * older than the transcript's, else the transcript's last main-chain response (or the post-compaction
 * size). Window: `contextWindowOf`; usable limit: `usableLimitOf`. While the window is unknown the fill is
 * still shown, but there is no level, no next alert and no alert. Pure.
 */
export function contextStatus(reading: ContextReading | null, model: string | null, cfg: ContextConfig, extras: ContextExtras = {}): ContextStatus {
  const sl = extras.statusline ?? null;
  const m = model ?? sl?.model ?? null;
  const w = contextWindowOf(m, sl?.windowSize ?? null, cfg.windowSize);
  const usable = w.size === null ? null : usableLimitOf(w.size, m, cfg, extras.autoCompact);
  let used = reading?.tokens ?? null;
  let usedSource = reading === null ? 'no response yet' : reading.source === 'usage' ? 'measured, last response' : 'measured, after compaction';
  if (sl !== null && extras.nowMs !== undefined) {
    const captured = Date.parse(sl.capturedAt);
    // Stored figures may predate the bounds the status line readers now apply (src/claude/figure-bounds.ts).
    const slPct = percentOrNull(sl.usedPercentage);
    const slTokens = isFiniteIn(sl.usedTokens, 0, Number.MAX_SAFE_INTEGER)
      ? sl.usedTokens
      : slPct === null || w.size === null
        ? null
        : Math.round((slPct / 100) * w.size);
    const fresh = extras.nowMs - captured <= STATUSLINE_FRESH_MS;
    if (slTokens !== null && fresh && (reading === null || reading.timeMs === null || captured >= reading.timeMs)) {
      used = slTokens;
      usedSource = 'status line, context_window';
    }
  }
  const limit = usable?.limit ?? null;
  const frac = used === null || limit === null || limit <= 0 ? null : used / limit;
  const levels = contextLevels(extras.slash);
  const level = frac === null ? null : (levels.find((l) => frac < l.below) ?? levels.at(-1)!);
  const next = frac === null ? null : nextThreshold(frac * 100, cfg.thresholds);
  const growth = extras.growthPerHour ?? null;
  return {
    model: m,
    windowSize: w.size,
    windowSource: w.source,
    usableLimit: limit,
    usableSource: usable?.source ?? w.source,
    used,
    usedSource,
    level,
    nextAlertPct: next,
    // Integer arithmetic where it can be (80 * 180,000 / 100 is exact; 0.8 * 180,000 is not): no "1 token" off by float noise.
    tokensToNextAlert: next === null || used === null || limit === null ? null : Math.max(0, Math.ceil((next * limit) / 100 - 1e-9) - used),
    growthPerHour: growth,
    hoursLeft: used === null || limit === null ? null : hoursLeft(used, limit, growth),
  };
}
