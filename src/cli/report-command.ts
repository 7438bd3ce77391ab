import type { CommandRun } from './command.ts';
import { usageReport } from './report.ts';
import { renderReport } from '../render/report-text.ts';
import { parseCommand } from './args.ts';
import { REPORT } from './specs.ts';

/** `cco report [--json] [--no-cache]` (see usageReport; `--json` prints the UsageReport). */
export const run: CommandRun = async (rt, args, io) => {
  const { values } = parseCommand(REPORT, args);
  const report = await usageReport(rt, { noCache: values['no-cache'] === true, warn: io.stderr });
  io.stdout(values.json === true ? JSON.stringify(report, null, 1) + '\n' : renderReport(report));
  return 0;
};
