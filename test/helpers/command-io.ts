import type { CommandIo } from '../../src/cli/command.ts';

/** A CommandIo that captures what a command prints (stdin is empty unless given). */
export function captureIo(stdin = ''): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => stdin,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}
