// The printed lines of the in-session bench (scripts/bench-session.ts), shared by it and by scripts/bench.mjs,
// which shows them beside its other rows. Plain ESM so that bench.mjs can import it without tsx.

/** What a Claude Code tool call may cost with cco (DESIGN.md: "a tool call costs the person nothing"), in ms. */
export const GOAL_EXTRA_MS = 10;

const ms = (x) => `${Math.round(x)} ms`;
const sec = (x) => `${x < 0 ? '-' : '+'}${(Math.abs(x) / 1000).toFixed(1)} s`;

/**
 * Lines for a bench-session result (the JSON bench-session.ts prints): one row per plugin arm, then a line
 * on how it was measured; or one line saying why it was skipped or failed.
 * @param {any} r
 * @returns {string[]}
 */
export function sessionLines(r) {
  if (r.skipped) return [`in-session  skipped: ${r.skipped}`];
  if (r.error) return [`in-session  FAILED: ${r.error}`];
  const { calls, latencyMs, rounds } = r.shape;
  const out = [];
  for (const a of r.arms) {
    const x = a.extra;
    // The goal is cco's; the other arms are references: the floor of any hook, a known cost.
    const goal =
      a.expectMs !== undefined
        ? `(expected ~${a.expectMs} ms)`
        : a.name === 'cco'
          ? `(goal <= ${GOAL_EXTRA_MS} ms, ${x.extraMedian <= GOAL_EXTRA_MS ? 'met' : 'NOT met'})`
          : '(reference)';
    out.push(
      `in-session  ${a.label}  median ${ms(x.extraMedian)}  p90 ${ms(x.extraP90)} ${goal}  gap without ${ms(x.gapWithout)}, with ${ms(x.gapWith)}  wall ${sec(x.wallExtra)}/${calls} calls (start ${sec(x.startExtra)}, end ${sec(x.endExtra)})`,
    );
  }
  out.push(
    `in-session: Claude Code ${r.cli} -p, ${calls} Bash tool calls (\`true\`) per session, the mock API answering in ${latencyMs} ms; ` +
      `${rounds} rounds (${r.shape.order.join(', ')}) interleaved, each run in a fresh sandbox; ` +
      `gap = next request's arrival - previous answer sent; extra = with - without of the same round (median over rounds; p90 over every call); ` +
      `wall without ${(r.arms[0].extra.wallWithout / 1000).toFixed(1)} s`,
  );
  return out;
}
