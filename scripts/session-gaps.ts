// The arithmetic of the in-session bench (scripts/bench-session.ts), apart from the runs: the gaps a
// session's tool calls leave between model requests, and what a plugin adds to them, paired by round.
import type { RecordedRequest } from '../test/e2e/mock-anthropic.ts';

/** What one scripted session measured. All times in milliseconds. */
export interface RunMeasure {
  /**
   * Per tool call k: arrival of main request k+1 at the mock minus the moment the mock finished sending
   * answer k. That is what Claude Code spent between two model turns: running the tool and its hooks.
   */
  gaps: number[];
  /** Median of `gaps`. */
  medianGap: number;
  /** Process wall time, spawn to exit. */
  wallMs: number;
  /** Spawn to the first model request's arrival (start-up, SessionStart hooks included). */
  startMs: number;
  /** Last answer sent to process exit (Stop and SessionEnd hooks included). */
  endMs: number;
}

/** Median of `xs` (NaN when empty). */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** The `q` quantile (0..1) of `xs`, interpolated between the closest ranks; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * The tool-call gaps (ms) of one session from the mock's own timestamps: for consecutive main requests,
 * the next one's `receivedAt` minus this one's `answeredAt`. Throws when an answer was never sent.
 */
export function toolGaps(requests: readonly RecordedRequest[]): number[] {
  const main = requests.filter((r) => r.kind === 'main');
  return main.slice(0, -1).map((r, i) => {
    if (r.answeredAt === null) throw new Error(`mock request ${r.n}: its answer was never sent`);
    return main[i + 1]!.receivedAt - r.answeredAt;
  });
}

/**
 * A run's measure from the mock's requests and the process's spawn and exit times (epoch ms, the clock the
 * mock stamps with: `performance.timeOrigin + performance.now()`).
 */
export function measureRun(requests: readonly RecordedRequest[], spawnedAt: number, exitedAt: number): RunMeasure {
  const main = requests.filter((r) => r.kind === 'main');
  const gaps = toolGaps(requests);
  return {
    gaps,
    medianGap: median(gaps),
    wallMs: exitedAt - spawnedAt,
    startMs: (main[0]?.receivedAt ?? NaN) - spawnedAt,
    endMs: exitedAt - (main.at(-1)?.answeredAt ?? NaN),
  };
}

/** What a plugin adds, from rounds that each ran the session with it and without it. All in ms. */
export interface PairedExtra {
  /** Rounds compared. */
  rounds: number;
  /** Median over rounds of (the with run's median gap minus the without run's of the same round). */
  extraMedian: number;
  /**
   * 90th percentile over every tool call of the with runs of (its gap minus the median gap of the without
   * run of its round): how slow the slower tool calls get.
   */
  extraP90: number;
  /** Median over rounds of the per-run median gap without the plugin, and with it. */
  gapWithout: number;
  gapWith: number;
  /** Median over rounds of the runs' wall times without, and of (with minus without) per round. */
  wallWithout: number;
  wallExtra: number;
  /** The same paired medians for start-up (spawn to first request) and the end (last answer to exit). */
  startExtra: number;
  endExtra: number;
}

/** Pairs `withRuns[i]` with `withoutRuns[i]` (round i) and summarizes; see {@link PairedExtra}. */
export function pairedExtra(withRuns: readonly RunMeasure[], withoutRuns: readonly RunMeasure[]): PairedExtra {
  if (withRuns.length !== withoutRuns.length || withRuns.length === 0) throw new Error('pairedExtra: one with run and one without per round');
  const per = (f: (w: RunMeasure, o: RunMeasure) => number) => median(withRuns.map((w, i) => f(w, withoutRuns[i]!)));
  return {
    rounds: withRuns.length,
    extraMedian: per((w, o) => w.medianGap - o.medianGap),
    extraP90: quantile(
      withRuns.flatMap((w, i) => w.gaps.map((g) => g - withoutRuns[i]!.medianGap)),
      0.9,
    ),
    gapWithout: median(withoutRuns.map((o) => o.medianGap)),
    gapWith: median(withRuns.map((w) => w.medianGap)),
    wallWithout: median(withoutRuns.map((o) => o.wallMs)),
    wallExtra: per((w, o) => w.wallMs - o.wallMs),
    startExtra: per((w, o) => w.startMs - o.startMs),
    endExtra: per((w, o) => w.endMs - o.endMs),
  };
}
