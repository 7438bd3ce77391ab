import path from 'node:path';

/**
 * How a text cco prints should write a `cco` command so that it works when pasted: `node "<abs path of
 * dist/cli.mjs>"` when this process is the bundled CLI run by its path (slash commands and plugin
 * installs run it so, and `cco` need not be on PATH there), else `cco` (the `bin` link of an npm
 * install, whose name does not end in cli.mjs; or the sources under a test runner).
 *
 * @param argv1 the script path (`process.argv[1]`)
 */
export function selfCommand(argv1: string | undefined = process.argv[1]): string {
  if (argv1 !== undefined && /cli\.mjs$/.test(argv1)) return `node "${path.resolve(argv1)}"`;
  return 'cco';
}
