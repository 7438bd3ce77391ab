import type { CommandRun } from './command.ts';
import { usageReport } from './report.ts';
import { renderReport } from '../render/report-text.ts';

/** `cco report [--json] [--no-cache]`. */
export const run: CommandRun = async (rt, args, io) => {
  const report = await usageReport(rt, { noCache: args.includes('--no-cache') });
  io.stdout(args.includes('--json') ? JSON.stringify(report, null, 1) + '\n' : renderReport(report));
  return 0;
};
