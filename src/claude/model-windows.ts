/**
 * Context windows and auto-compaction points of the models Claude Code ships, as Claude Code itself
 * sizes them. One table, one source:
 *
 * Source: Claude Code 2.1.329 (the CLI the e2e tests pin), measured 2026-12-07 against the offline mock:
 * `modelUsage[<model>].contextWindow` and `maxOutputTokens` of `claude -p --output-format json`, and the
 * "Autocompact buffer" row of `/context` (in `-p` and in the TUI). Auto-compaction points were checked by
 * bisecting the context size at which the CLI sends its compaction request (claude-opus-5-5 and
 * claude-sonnet-5-5 at 967,000; claude-sonnet-4-6 at 167,000; claude-sonnet-4-5 and claude-haiku-4-5 not
 * up to 1,200,000). The same probe gave the environment override: with
 * `CLAUDE_CODE_AUTO_COMPACT_WINDOW=100000` the CLI compacts at 67,000 (window 100,000 minus the same buffer),
 * whatever the model.
 *
 * What the CLI does:
 * - **threshold**: it compacts once the context reaches the window minus a buffer of
 *   min(maxOutputTokens, 20,000) output reserve + 13,000 summary buffer (33,000 for every model here);
 * - **at the window**: no threshold (`/context` shows no buffer): it compacts when the API refuses a prompt
 *   longer than the window (its "reactive" mode). Every `[1m]` variant of a 200k model works this way.
 * A model the CLI does not know gets a 1,000,000 window and the threshold buffer, with a warning; cco
 * does not guess: an unknown model's window is unknown until the status line reports it.
 */

/** The output reserve Claude Code keeps below the window: min(maxOutputTokens, this) tokens. */
const OUTPUT_RESERVE_CAP = 20_000;
/** The summary buffer Claude Code keeps below the output reserve (tokens). */
const SUMMARY_BUFFER = 13_000;
/** Where these facts come from, for every figure derived from them. */
export const MODEL_TABLE_SOURCE = 'model table of Claude Code 2.1.329';

/** How a model's auto-compaction is triggered (see the module comment). */
export type CompactMode = 'threshold' | 'at-window';

interface ModelFacts {
  /** Context window (tokens). */
  window: number;
  /** maxOutputTokens the CLI uses for the model (tokens). */
  maxOutput: number;
  mode: CompactMode;
}

const M = 1_000_000;
const K200 = 200_000;

/** Canonical model id (no date, no `[1m]`) -> what Claude Code 2.1.329 does with it. */
const MODELS: Readonly<Record<string, ModelFacts>> = {
  'claude-opus-5-5': { window: M, maxOutput: 128_000, mode: 'threshold' },
  'claude-sonnet-5-5': { window: M, maxOutput: 128_000, mode: 'threshold' },
  'claude-haiku-5-5': { window: M, maxOutput: 128_000, mode: 'threshold' },
  'claude-opus-5': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-sonnet-5': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-fable-5-2': { window: M, maxOutput: 128_000, mode: 'threshold' },
  'claude-fable-5-1': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-fable-5': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-mythos-5-2': { window: M, maxOutput: 128_000, mode: 'threshold' },
  'claude-mythos-5-1': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-mythos-5': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-opus-4-8': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-opus-4-7': { window: M, maxOutput: 64_000, mode: 'threshold' },
  'claude-opus-4-6': { window: K200, maxOutput: 64_000, mode: 'threshold' },
  'claude-sonnet-4-6': { window: K200, maxOutput: 32_000, mode: 'threshold' },
  'claude-opus-4-5': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-sonnet-4-5': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-haiku-4-5': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-sonnet-4-0': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-sonnet-4': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-opus-4': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-3-7-sonnet': { window: K200, maxOutput: 32_000, mode: 'at-window' },
  'claude-3-5-sonnet': { window: K200, maxOutput: 8_192, mode: 'at-window' },
  'claude-3-5-haiku': { window: K200, maxOutput: 8_192, mode: 'at-window' },
  'claude-3-opus': { window: K200, maxOutput: 4_096, mode: 'at-window' },
};

/** What cco knows of a model's context window. Tokens. */
export type ModelWindow =
  | {
      known: true;
      /** The model id as looked up (canonical: no date, no provider prefix, `[1m]` kept). */
      model: string;
      window: number;
      mode: CompactMode;
      /** Tokens Claude Code keeps free below the window before it compacts (0 for `at-window`). */
      buffer: number;
    }
  | { known: false; model: string };

/**
 * Canonical form of a model id as transcripts, hooks and the status line give it: lower case, from its
 * `claude-` part on (Bedrock `us.anthropic.` prefixes dropped), without a Vertex `@<date>`, a Bedrock
 * `-v1:0`, or a `-YYYYMMDD` date; a `[1m]` suffix is kept. Pure.
 */
export function canonicalModel(id: string): string {
  let m = id.trim().toLowerCase();
  const at = m.indexOf('claude-');
  if (at > 0) m = m.slice(at);
  const oneM = m.endsWith('[1m]');
  if (oneM) m = m.slice(0, -4);
  m = m
    .replace(/@.*$/, '')
    .replace(/-v\d+(:\d+)?$/, '')
    .replace(/-\d{8}$/, '');
  return oneM ? `${m}[1m]` : m;
}

/**
 * The context window Claude Code gives a model id, from the table above (see MODEL_TABLE_SOURCE). A
 * `[1m]` variant of a 200k model has 1,000,000 tokens and compacts at the window; of a 1M model, the
 * model's own facts. Unknown ids give `{known: false}`. Pure.
 */
export function modelWindow(id: string): ModelWindow {
  const canonical = canonicalModel(id);
  const oneM = canonical.endsWith('[1m]');
  const base = oneM ? canonical.slice(0, -4) : canonical;
  const facts = Object.hasOwn(MODELS, base) ? MODELS[base] : undefined;
  if (facts === undefined) return { known: false, model: canonical };
  if (oneM && facts.window < M) return { known: true, model: canonical, window: M, mode: 'at-window', buffer: 0 };
  return { known: true, model: canonical, window: facts.window, mode: facts.mode, buffer: facts.mode === 'threshold' ? compactBuffer(facts.maxOutput) : 0 };
}

/**
 * The model id Claude Code sized a response's context window for, from an assistant record's
 * `requestedModel` (what was asked for: keeps a `[1m]` that the API's id drops, but may be an alias such
 * as `opus`, `sonnet[1m]` or `default`) and `message.model` (the API's id, e.g. `claude-sonnet-4-6`):
 * - `requested` when the model table knows it (`claude-sonnet-4-6[1m]`);
 * - else, when the table knows `apiModel`: `apiModel`, with `requested`'s `[1m]` suffix carried over
 *   (`sonnet[1m]` + `claude-sonnet-4-6` -> `claude-sonnet-4-6[1m]`, the 1M variant);
 * - else `requested`, else `apiModel` (neither known: the window stays unknown, named by what was asked).
 * Empty strings and `<synthetic>` count as absent. Pure.
 * @returns null when neither is given
 */
export function windowModelOf(requested: string | null, apiModel: string | null): string | null {
  const req = requested !== null && requested.length > 0 ? requested : null;
  const api = apiModel !== null && apiModel.length > 0 && apiModel !== '<synthetic>' ? apiModel : null;
  if (req === null || modelWindow(req).known) return req ?? api;
  if (api === null) return req;
  const withOneM = canonicalModel(req).endsWith('[1m]') && !canonicalModel(api).endsWith('[1m]') ? `${api}[1m]` : api;
  return modelWindow(withOneM).known ? withOneM : req;
}

/** The tokens Claude Code keeps free below the window for a model with this output limit. Pure. */
export function compactBuffer(maxOutputTokens: number = OUTPUT_RESERVE_CAP): number {
  return Math.min(maxOutputTokens, OUTPUT_RESERVE_CAP) + SUMMARY_BUFFER;
}
