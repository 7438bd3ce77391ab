import { terminalText } from '../render/display-text.ts';
import { HookInputSchema, type HookInput } from '../claude/hook-input.ts';
import { hookRuntime, type Runtime } from '../runtime.ts';
import { LockBusyError } from '../store/update.ts';
import { MAX_HOOK_STDIN_BYTES, readHookStdin } from '../front/hook-stdin.ts';

export { MAX_HOOK_STDIN_BYTES };

/** Hook JSON output (reference §1.5); null prints nothing. */
export type HookOutput = Record<string, unknown> | null;

export type HookHandler = (input: HookInput, rt: Runtime) => Promise<HookOutput>;

/**
 * Runs a hook entrypoint so that it can never break the user's session: reads and validates stdin,
 * calls `handler`, prints its JSON output, and on ANY error exits 0 with one line on stderr and one in
 * `cco/logs/cco.log` (a CLAUDE_CONFIG_DIR with no usable state dir: the line, nothing written; hookRuntime). A busy lock is not an error: the next trigger catches up (logged as info).
 */
export async function runHook(event: string, handler: HookHandler, given?: Runtime): Promise<void> {
  process.exitCode = 0;
  const rt = given ?? hookRuntime(event, (line) => process.stderr.write(terminalText(line)));
  if (rt === null) return;
  try {
    const raw = (await readHookStdin(MAX_HOOK_STDIN_BYTES)).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new Error(`stdin is not JSON (${raw.length} bytes)`);
    }
    const parsed = HookInputSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`stdin lacks a valid ${i?.path.join('.') || 'payload'}: ${i?.message ?? 'invalid'}`);
    }
    const out = await handler(parsed.data, rt);
    if (out !== null) process.stdout.write(JSON.stringify(out) + '\n');
  } catch (e) {
    if (e instanceof LockBusyError) {
      rt.log('info', event, `${e.message}; deferred to the next trigger`);
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      rt.log('error', event, msg + (e instanceof Error && e.stack ? ` | ${e.stack.split('\n').slice(1, 3).join(' ').trim()}` : ''));
      process.stderr.write(terminalText(`cco: ${event} hook: ${msg.split('\n')[0]}\n`));
    }
  }
  process.exitCode = 0;
}
