import { appendFileSync } from 'node:fs';

/**
 * The adversarial suite's bookkeeping (issue 18): each class of hostile input (magnitudes, rewrites, paths,
 * output, readings, install, full disk, ...) runs its inputs as cases; a case fails when its check throws.
 * `done()` prints `adversarial <class>: <tried> inputs tried, <failed> failures` (and each failure), appends
 * the same as a JSON line to $CCO_ADVERSARIAL_LOG when set (the figures in docs/RELIABILITY.md are summed from
 * it), and throws when any case failed, so the test fails and names every failing input, not just the first.
 */
export interface Adversary {
  /** Runs one hostile input's check; a throw counts as a failure (recorded, not rethrown). */
  case(input: string, check: () => void | Promise<void>): Promise<void>;
  /** Prints the tally and throws when a case failed. */
  done(): void;
}

/** A tally for the inputs of one class of hostile input (`cls`, e.g. "magnitudes"). */
export function adversary(cls: string): Adversary {
  let tried = 0;
  const failures: string[] = [];
  return {
    async case(input, check) {
      tried++;
      try {
        await check();
      } catch (e) {
        failures.push(`${input}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
    },
    done() {
      console.log(`adversarial ${cls}: ${tried} inputs tried, ${failures.length} failures${failures.map((f) => `\n  - ${f}`).join('')}`);
      const log = process.env.CCO_ADVERSARIAL_LOG;
      if (log) appendFileSync(log, JSON.stringify({ cls, tried, failures: failures.length }) + '\n');
      if (tried === 0) throw new Error(`adversarial ${cls}: no input was tried`);
      if (failures.length > 0) throw new Error(`adversarial ${cls}: ${failures.length} of ${tried} inputs failed:\n${failures.join('\n')}`);
    },
  };
}
