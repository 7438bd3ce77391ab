// Adversarial class "rewrites" (issue 18): transcripts changed other than by appending — rewritten in
// place at the same size (mtime bumped, or put back with utimes so that only the ctime moved), replaced
// by a new file (new inode), truncated (at a line end or inside a line) and deleted — in random seeded
// sequences mixed with appends; and rewritten in the middle, then appended to before the next read (the
// file grew, and its first bytes and those just before the last read's end are unchanged: only the fingerprint's samples tell). After every step the cached `cco report --json` (the built CLI) prints
// what a fresh full scan (`--no-cache`) prints, and the tracker's session totals (trackSession, through
// the transcript cursor cache) equal those of a fresh read of the same bytes.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/mulberry32.mjs';
import { catchUpTranscript } from '../../src/claude/transcript-reader.ts';
import { processRuntime } from '../../src/runtime.ts';
import { trackAll, trackSession } from '../../src/tracker/track-step.ts';
import { clearCursorMemo } from '../../src/store/transcript-cache.ts';
import { aggregateSession } from '../../src/usage/session-aggregate.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { assistantLine } from '../helpers/one-response.ts';
import { adversary } from './tally.ts';

const home = tempHomePerTest();
const SIDS = ['aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb'];
const T0 = Date.parse('2026-12-01T08:00:00.000Z');

/** One response; `out` is always 5 digits so that a rewrite of it keeps the file's size. */
const asst = (id: string, sid: string, out: number, minute: number): string =>
  assistantLine({ sessionId: sid, id, timestamp: new Date(T0 + minute * 60_000).toISOString(), usage: [3, out, 40, 400] }) + '\n';

function report(h: TempHome, extra: string[] = []): string {
  return execFileSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'report', '--json', ...extra], { env: h.env(), encoding: 'utf8', cwd: h.home });
}

/** A 5-digit number other than `not`. */
function fiveDigits(rnd: () => number, not = -1): number {
  for (;;) {
    const n = 10_000 + Math.floor(rnd() * 90_000);
    if (n !== not) return n;
  }
}

/** The byte offset and value of the `output_tokens` figure of line `i` of `text`. */
function outputAt(text: string, i: number): { at: number; value: number } {
  const lines = text.split('\n');
  const before = Buffer.byteLength(
    lines
      .slice(0, i)
      .map((l) => l + '\n')
      .join(''),
  );
  const m = /"output_tokens":(\d{5})/.exec(lines[i]!)!;
  return { at: before + Buffer.byteLength(lines[i]!.slice(0, m.index + '"output_tokens":'.length)), value: Number(m[1]) };
}

/** Writes `digits` over the bytes at `at`, in place (same inode, same size). */
function overwrite(file: string, at: number, digits: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, digits, at);
  } finally {
    closeSync(fd);
  }
}

describe('adversarial: rewrites', () => {
  it('random appends, same-size rewrites, replacements, truncations and deletions: cached report and tracked totals equal a fresh scan after every step', async () => {
    const t = adversary('rewrites');
    for (const seed of [11, 29, 47]) {
      const h = home();
      const proj = path.join(h.configDir, 'projects', '-w');
      mkdirSync(proj, { recursive: true });
      const files = SIDS.map((sid) => path.join(proj, `${sid}.jsonl`));
      let minute = seed;
      let n = 0;
      files.forEach((f, k) => {
        writeFileSync(f, asst(`s${seed}-${n++}`, SIDS[k]!, 12_345, minute++));
      });
      const rt = processRuntime(h.env());
      const rnd = mulberry32(seed);
      let step = 0;

      /** Checks the cached report and each session's tracked totals against fresh reads. */
      const check = (what: string) =>
        t.case(`seed ${seed} step ${step++}: ${what}`, async () => {
          expect(report(h)).toBe(report(h, ['--no-cache']));
          // Every other step in a "new process" (the cursors come from their cache files, not the memo).
          if (step % 2 === 0) clearCursorMemo();
          for (const [k, f] of files.entries()) {
            if (!existsSync(f)) continue;
            const { agg } = await trackSession(rt, { sessionId: SIDS[k]!, transcriptPath: f, cwd: '/w', event: 'PostToolUse' });
            expect(agg).toEqual(aggregateSession([catchUpTranscript(f, null).cursor.digest]));
          }
        });

      await check('first read');
      for (let i = 0; i < 14; i++) {
        const k = Math.floor(rnd() * files.length);
        const f = files[k]!;
        const sid = SIDS[k]!;
        const op = rnd();
        if (!existsSync(f) || op < 0.3) {
          // Appends: new responses, and sometimes a larger streamed copy of the file's last one.
          let add = '';
          for (let j = 1 + Math.floor(rnd() * 3); j > 0; j--) add += asst(`s${seed}-${n++}`, sid, fiveDigits(rnd), minute++);
          if (existsSync(f) && rnd() < 0.3) {
            const m = /"message":\{"id":"msg_([^"]+)"/.exec(readFileSync(f, 'utf8').trimEnd().split('\n').at(-1)!);
            if (m !== null) add += asst(m[1]!, sid, 99_999, minute);
          }
          appendFileSync(f, add);
          await check(`append ${add.split('\n').length - 1} line(s) to ${k}`);
        } else if (op < 0.5) {
          // Same size, a figure in the middle changed; the mtime moves.
          const text = readFileSync(f, 'utf8');
          const line = Math.floor(rnd() * Math.max(1, text.split('\n').length - 2));
          const o = outputAt(text, line);
          overwrite(f, o.at, String(fiveDigits(rnd, o.value)));
          await check(`in-place rewrite of line ${line} of ${k}, same size, mtime bumped`);
        } else if (op < 0.65) {
          // Same size, and the mtime put back as it was: only the ctime tells.
          const T = Math.floor(Date.now() / 1000) - 3600 - i;
          utimesSync(f, T, T);
          await check(`touch of ${k} to an older mtime`);
          const text = readFileSync(f, 'utf8');
          const line = Math.floor(rnd() * Math.max(1, text.split('\n').length - 1));
          const o = outputAt(text, line);
          const before = statSync(f);
          overwrite(f, o.at, String(fiveDigits(rnd, o.value)));
          utimesSync(f, T, T);
          const after = statSync(f);
          expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
          await check(`in-place rewrite of line ${line} of ${k}, same size, mtime restored (ctime moved)`);
        } else if (op < 0.78) {
          // A new file of the same size renamed over it (new inode).
          const text = readFileSync(f, 'utf8');
          const o = outputAt(text, 0);
          const tmp = `${f}.new`;
          writeFileSync(tmp, text.slice(0, o.at) + String(fiveDigits(rnd, o.value)) + text.slice(o.at + 5));
          renameSync(tmp, f);
          await check(`replacement of ${k} (new inode, same size)`);
        } else if (op < 0.92) {
          // Truncated: the last line dropped, or cut inside a line.
          const size = statSync(f).size;
          const text = readFileSync(f, 'utf8');
          const cut = rnd() < 0.5 ? text.trimEnd().lastIndexOf('\n') + 1 : Math.floor(size * (0.3 + rnd() * 0.6));
          truncateSync(f, cut);
          await check(`truncation of ${k} to ${cut} of ${size} bytes`);
        } else {
          rmSync(f);
          await check(`deletion of ${k}`);
        }
      }
    }
    t.done();
  }, 300_000);

  it('cco status catch-up (trackAll over transcripts changed in the last 10 h) sees a rewrite whose mtime was put back hours', async () => {
    const t = adversary('rewrites');
    for (const hoursBack of [11, 30, 24 * 40]) {
      await t.case(`same-size rewrite, mtime put back ${hoursBack} h: tracked totals = fresh read`, async () => {
        const h = home();
        const proj = path.join(h.configDir, 'projects', '-w');
        mkdirSync(proj, { recursive: true });
        const f = path.join(proj, `${SIDS[0]}.jsonl`);
        writeFileSync(f, asst('a', SIDS[0]!, 12_345, 1) + asst('b', SIDS[0]!, 23_456, 2));
        const T = Math.floor(Date.now() / 1000) - hoursBack * 3600;
        utimesSync(f, T, T);
        const rt = processRuntime(h.env());
        const since = Date.now() - 10 * 3600_000;
        await trackAll(rt, null);
        const o = outputAt(readFileSync(f, 'utf8'), 1);
        overwrite(f, o.at, '54321');
        utimesSync(f, T, T);
        clearCursorMemo();
        await trackAll(rt, since);
        const tracked = JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { tokens: unknown }> };
        const fresh = aggregateSession([catchUpTranscript(f, null).cursor.digest]);
        expect(fresh.tokens.output_tokens).toBe(12_345 + 54_321);
        expect(tracked.sessions[SIDS[0]!]?.tokens).toEqual(fresh.tokens);
      });
    }
    t.done();
  }, 120_000);

  it('a rewrite in the middle followed by an append before the next read: cached report and tracked totals equal a fresh scan', async () => {
    const t = adversary('rewrites');
    for (const seed of [5, 17, 31]) {
      const h = home();
      const proj = path.join(h.configDir, 'projects', '-w');
      mkdirSync(proj, { recursive: true });
      const f = path.join(proj, `${SIDS[0]}.jsonl`);
      const sid = SIDS[0]!;
      const rnd = mulberry32(seed);
      let minute = seed;
      let n = 0;
      let text = '';
      for (let i = 0; i < 6 + Math.floor(rnd() * 10); i++) text += asst(`m${seed}-${n++}`, sid, fiveDigits(rnd), minute++);
      writeFileSync(f, text);
      const rt = processRuntime(h.env());
      for (let step = 0; step < 8; step++) {
        // Read (report and tracker), so that the next change is judged against this read.
        await t.case(`seed ${seed} step ${step}: read before the change`, async () => {
          expect(report(h)).toBe(report(h, ['--no-cache']));
          await trackSession(rt, { sessionId: sid, transcriptPath: f, cwd: '/w', event: 'PostToolUse' });
        });
        // A figure of a line in the middle (neither the first nor the last) rewritten in place, same size,
        // then new lines appended: the file grew, and its first and last lines are those of the last read.
        const cur = readFileSync(f, 'utf8');
        const lines = cur.split('\n').length - 1;
        const line = 1 + Math.floor(rnd() * Math.max(1, lines - 2));
        const o = outputAt(cur, line);
        overwrite(f, o.at, String(fiveDigits(rnd, o.value)));
        let add = '';
        for (let j = 1 + Math.floor(rnd() * 2); j > 0; j--) add += asst(`m${seed}-${n++}`, sid, fiveDigits(rnd), minute++);
        appendFileSync(f, add);
        await t.case(`seed ${seed} step ${step}: rewrite of line ${line} of ${lines}, then ${add.split('\n').length - 1} line(s) appended`, async () => {
          expect(report(h)).toBe(report(h, ['--no-cache']));
          if (step % 2 === 0) clearCursorMemo();
          const { agg } = await trackSession(rt, { sessionId: sid, transcriptPath: f, cwd: '/w', event: 'PostToolUse' });
          expect(agg).toEqual(aggregateSession([catchUpTranscript(f, null).cursor.digest]));
        });
      }
    }
    t.done();
  }, 300_000);
});
