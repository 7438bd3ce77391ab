import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandRun } from '../../src/cli/command.ts';
import { run as compactPlan } from '../../src/cli/compact-plan.ts';
import { run as context } from '../../src/cli/context.ts';
import { CommandFailure, UsageError } from '../../src/cli/errors.ts';
import { processRuntime } from '../../src/runtime.ts';
import { asst, chars, prompt, result, text, use } from '../helpers/context-records.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';

const home = tempHomePerTest();

const SID = '11111111-2222-3333-4444-555555555555';
const SID2 = '99999999-8888-7777-6666-555555555555';
const CWD = '/work/p';

/**
 * Session SID in /work/p: "fix the parser" (14 chars -> 4 tokens); the first request measures 10,004
 * (so system + tools = 10,000); it reads src/parser.ts (8,000 chars), edits it, and the last response
 * measures 13,000.
 */
function writeSession(configDir: string, sid = SID, lines?: Record<string, unknown>[]): string {
  const dir = path.join(configDir, 'projects', '-work-p');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${sid}.jsonl`);
  const ts = new Date().toISOString();
  const stamp = (r: Record<string, unknown>) => ({ ...r, sessionId: sid, cwd: CWD, timestamp: ts });
  const body = lines ?? [
    prompt('fix the parser'),
    asst([use('r1', 'Read', { file_path: `${CWD}/src/parser.ts` })], 10_004),
    result('r1', chars(8_000)),
    asst([use('e1', 'Edit', { file_path: `${CWD}/src/parser.ts`, old_string: 'a', new_string: 'b' })], 12_500),
    result('e1', 'The file has been updated.'),
    asst([text('fixed')], 13_000),
  ];
  writeFileSync(file, body.map((r) => JSON.stringify(stamp(r))).join('\n') + '\n');
  return file;
}

async function cco(cmd: CommandRun, h: TempHome, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cmd(processRuntime(h.env(env)), args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => '',
    cwd: '/elsewhere',
  });
  return { code, stdout, stderr };
}

interface Json {
  session: { id: string; chosenBy: string } | null;
  status: { used: number | null };
  reason: string | null;
  system: { tokens: number; basis: string } | null;
  breakdown: { total: number; parts: { key: string; tokens: number }[]; counts: Record<string, number> } | null;
  opportunities: { superseded: { target: string }[]; totalTokens: number } | null;
  keepList: string | null;
  compactCommand: string | null;
}

describe('cco context (run called directly; main.ts has no entry yet)', () => {
  it('reports the window, the breakdown with its sources and counts, and the opportunities', async () => {
    const h = home();
    writeSession(h.configDir);
    const r = await cco(context, h, ['--session', SID]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${SID}  (--session)`);
    // claude-opus-4-5: 200,000 tokens, compacted only when a prompt no longer fits: 13,000 / 200,000
    expect(r.stdout).toMatch(/Used +13,000 tokens · 6\.5% of usable {2}\(measured, last response\)/);
    expect(r.stdout).toMatch(/Window +200,000 tokens {2}\(model table of Claude Code 2\.1\.329, claude-opus-4-5\)/);
    expect(r.stdout).toMatch(/System prompt and tools +10,000 +76\.9% +measured: the session's first request \(10,004\) minus its estimated prompt \(~4\)/);
    expect(r.stdout).toMatch(/File reads +[\d,]+ +[\d.]+% +estimated · 1 read of 1 file/);
    expect(r.stdout).toMatch(/Code generated +[\d,]+ +[\d.]+% +estimated · 1 edit of 1 file/);
    expect(r.stdout).toMatch(/Total +13,000 +100\.0% +measured, last response/);
    expect(r.stdout).toMatch(/Superseded reads +1 · ~[\d,]+ tokens/);
    expect(r.stdout).toContain('Level              FRESH');
  });

  it('--json: the parts sum exactly to the measured total', async () => {
    const h = home();
    writeSession(h.configDir);
    const j = JSON.parse((await cco(context, h, ['--session', SID, '--json'])).stdout) as Json;
    expect(j.status.used).toBe(13_000);
    expect(j.system).toMatchObject({ tokens: 10_000, basis: 'session-start' });
    expect(j.breakdown!.parts.reduce((n, p) => n + p.tokens, 0)).toBe(13_000);
    expect(j.breakdown!.parts[0]).toEqual({ key: 'systemAndTools', label: 'System prompt and tools', tokens: 10_000, estTokens: null, items: 0 });
    expect(j.breakdown!.counts).toEqual({ filesRead: 1, fileReads: 1, toolResults: 1, subagentResults: 0, codeEdits: 1, filesEdited: 1, exchanges: 1 });
    expect(j.opportunities!.superseded.map((s) => s.target)).toEqual([`${CWD}/src/parser.ts`]);
    expect(j.keepList).toBe(
      'Keep: the current objectives (latest requests: “fix the parser”); the state of the files in progress (src/parser.ts); the decisions made and their reasons, and unresolved errors.',
    );
    expect(j.compactCommand).toContain('Drop: earlier reads of files read again or edited since (src/parser.ts)');
  });

  it('picks the session of CLAUDE_CODE_SESSION_ID', async () => {
    const h = home();
    writeSession(h.configDir);
    writeSession(h.configDir, SID2, [prompt('other work'), asst([text('ok')], 4_000)]);
    const j = JSON.parse((await cco(context, h, ['--json'], { CLAUDE_CODE_SESSION_ID: SID2 })).stdout) as Json;
    expect(j.session).toMatchObject({ id: SID2, chosenBy: 'this session' });
    expect(j.status.used).toBe(4_000);
  });

  it('a missing transcript: exit 0, n/a and why', async () => {
    const h = home();
    const file = writeSession(h.configDir);
    await cco(context, h, ['--session', SID]);
    rmSync(file);
    const r = await cco(context, h, ['--session', SID]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`n/a: transcript not found: ${file}`);
    expect(r.stdout).not.toContain('System prompt and tools');
  });

  it('a session without usage yet: exit 0, n/a and why', async () => {
    const h = home();
    writeSession(h.configDir, SID, [prompt('hello there')]);
    const r = await cco(context, h, ['--session', SID]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Used               n/a  (no response with usage in this session yet)');
    expect(r.stdout).toContain('  n/a: no response with usage in this session yet');
  });

  it('no session at all: exit 0 and says so', async () => {
    const h = home();
    const r = await cco(context, h, []);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Session            none tracked yet');
    expect(r.stdout).toContain('n/a: no session tracked yet');
  });

  it("a model id with terminal escapes and a huge length (a gateway's, or a tampered transcript): printed cleaned and cut, window unknown", async () => {
    const h = home();
    const evil = `gw-\x1b]0;pwned\x07model\n\x1b[31m${'x'.repeat(5_000)}`;
    writeSession(h.configDir, SID, [
      prompt('hi'),
      (() => {
        const a = asst([text('ok')], 13_000) as { message: { model: string } };
        a.message.model = evil;
        return a;
      })(),
    ]);
    const r = await cco(context, h, ['--session', SID]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/); // nothing a terminal would act on; lines end in \n only
    expect(r.stdout).toMatch(/Model +gw-model x{70}…\n/);
    expect(r.stdout).toMatch(/Window +unknown {2}\(window unknown for gw-model x+…/);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(400);
  });

  it('rejects an unknown session and unknown arguments', async () => {
    const h = home();
    writeSession(h.configDir);
    await expect(cco(context, h, ['--session', 'nope'])).rejects.toThrow(new CommandFailure('no tracked session with id nope'));
    await expect(cco(context, h, ['--bogus'])).rejects.toThrow(new UsageError('unknown option --bogus', 'context'));
    await expect(cco(compactPlan, h, ['--keep-turns', '0'])).rejects.toThrow(/--keep-turns/);
  });
});

describe('cco compact-plan (run called directly)', () => {
  it('lists the opportunities, the keep-list and the exact /compact line', async () => {
    const h = home();
    writeSession(h.configDir);
    const r = await cco(compactPlan, h, ['--session', SID]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SUPERSEDED FILE READS {2}\(1 · ~[\d,]+ tokens\)/);
    expect(r.stdout).toMatch(/~[\d,]+ {2}src\/parser\.ts {2}\(exchange 1, line 3\) → edited \(exchange 1, line 4\)/);
    expect(r.stdout).toContain('DUPLICATE RESULTS  (none)');
    expect(r.stdout).toContain('Files in progress  src/parser.ts');
    expect(r.stdout).toContain('[exchange 1] “fix the parser”');
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith('THE /compact LINE'));
    expect(lines[i + 1]).toMatch(
      /^\/compact Keep: the current objectives \(latest requests: “fix the parser”\);.* Drop: earlier reads of files read again or edited since \(src\/parser\.ts\)\.$/,
    );
  });

  it('without a transcript says there is no plan, exit 0', async () => {
    const h = home();
    const file = writeSession(h.configDir);
    await cco(compactPlan, h, ['--session', SID]);
    rmSync(file);
    const r = await cco(compactPlan, h, ['--session', SID]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`No plan: transcript not found: ${file}.`);
  });
});

/** The built CLI, once main.ts lists the commands (until then these are skipped; nothing is re-bundled here). */
const CLI = path.join(ROOT, 'dist', 'cli.mjs');
const built = existsSync(CLI) && / cco context /.test(execFileSync('node', [CLI, 'help'], { encoding: 'utf8' }));

describe.runIf(built)('the built CLI: node dist/cli.mjs context / compact-plan', () => {
  it('prints the same report', () => {
    const h = home();
    writeSession(h.configDir);
    const out = execFileSync('node', [CLI, 'context', '--session', SID], { env: h.env(), encoding: 'utf8' });
    expect(out).toMatch(/System prompt and tools +10,000/);
    const plan = execFileSync('node', [CLI, 'compact-plan', '--session', SID], { env: h.env(), encoding: 'utf8' });
    expect(plan).toMatch(/^\/compact Keep: /m);
  });
});
