// The status line's options and `--wrap` (running the user's own status line command): shared by the
// status line front (dist/statusline.cjs) and `cco statusline`.
import { appendSegment } from '../render/statusline.ts';

/** The wrapped command's time limit (ms); its process group is killed after it. */
const WRAP_TIMEOUT_MS = 3_000;

export interface StatuslineArgs {
  wrap: string | null;
  wrapMode: 'append' | 'silent';
}

/** What the wrapped command did: exit code (null when it could not start, was killed or timed out) and stdout. */
export interface WrappedResult {
  code: number | null;
  stdout: string;
  timedOut: boolean;
}

/**
 * Runs `command` through `sh -c` in its own process group with `stdin` on its stdin; its stderr passes
 * through. After `timeoutMs` the whole group is killed (SIGKILL) and the result is `timedOut`.
 * Never rejects.
 */
function runWrapped(command: string, stdin: string, timeoutMs: number, cwd?: string): Promise<WrappedResult> {
  return new Promise((resolve) => {
    let done = false;
    const chunks: Buffer[] = [];
    const finish = (r: WrappedResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    // Loaded here, not imported: only `--wrap` runs a command (node:child_process costs a few ms to load).
    const { spawn } = process.getBuiltinModule('node:child_process');
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'inherit'], detached: true, ...(cwd === undefined ? {} : { cwd }) });
    } catch {
      resolve({ code: null, stdout: '', timedOut: false });
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout?.destroy();
      child.unref();
      finish({ code: null, stdout: Buffer.concat(chunks).toString('utf8'), timedOut: true });
    }, timeoutMs);
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => finish({ code: null, stdout: '', timedOut: false }));
    child.on('close', (code) => finish({ code, stdout: Buffer.concat(chunks).toString('utf8'), timedOut: false }));
    child.stdin?.on('error', () => undefined); // their command need not read stdin (EPIPE)
    child.stdin?.end(stdin);
  });
}

/**
 * The output of a wrapping status line: the user's command (`wrap`, run with the same stdin, WRAP_TIMEOUT_MS)
 * first, then our `line` after ` | ` on its last line (`append`), or theirs alone (`silent`: ours is still
 * computed, so its figures are saved). Their output is dropped when their command fails or times out
 * (`onFailure` hears why), as Claude Code would show nothing for it.
 * @returns the text to print ('' for nothing); never rejects unless `ours` does
 */
export async function wrappedOutput(
  args: { wrap: string; wrapMode: 'append' | 'silent' },
  stdin: string,
  cwd: string,
  ours: () => string | Promise<string>,
  onFailure: (why: string) => void,
): Promise<string> {
  const [theirs, line] = await Promise.all([runWrapped(args.wrap, stdin, WRAP_TIMEOUT_MS, cwd), ours()]);
  if (theirs.code !== 0)
    onFailure(`wrapped command ${theirs.timedOut ? `timed out after ${WRAP_TIMEOUT_MS} ms` : `exited ${String(theirs.code)}`}: ${args.wrap}`);
  const their = theirs.code === 0 ? theirs.stdout.replace(/\s+$/, '') : '';
  return args.wrapMode === 'silent' ? their : appendSegment(their, line);
}
