import { processRuntime } from '../runtime.ts';
import { UsageError } from './errors.ts';

const HELP = `cco: Claude Code quota and context tracker

Usage:
  cco status [--session <id>]   the /session-status report (5-hour window, quota, context)
  cco report --json [--no-cache] usage of every transcript: totals, sessions, 5-hour blocks, models, days
  cco help                      this text
`;

/** Entry of the `cco` command. Exit 0 on success, 1 with one clear line on stderr otherwise. */
async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  const rt = processRuntime();
  switch (cmd) {
    case 'report': {
      const { usageReport } = await import('./report.ts');
      const report = await usageReport(rt, { noCache: args.includes('--no-cache') });
      if (args.includes('--json')) process.stdout.write(JSON.stringify(report, null, 1) + '\n');
      else {
        const { renderReport } = await import('../render/report-text.ts');
        process.stdout.write(renderReport(report));
      }
      return 0;
    }
    case 'status': {
      const { statusCommand } = await import('./status.ts');
      process.stdout.write(await statusCommand(rt, args));
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      throw new UsageError(`unknown command "${cmd}" (try: cco help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`cco: ${msg.split('\n')[0]}\n`);
    if (!(e instanceof UsageError)) processRuntime().log('error', 'cli', `${process.argv.slice(2).join(' ')}: ${e instanceof Error ? e.stack ?? msg : msg}`);
    process.exitCode = 1;
  },
);
