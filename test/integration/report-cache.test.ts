// `cco report --json` through its caches (the built CLI): cold, warm, and after every kind of change a
// transcript folder sees (appends, larger streamed copies, new, deleted and rewritten files, responses
// other files hold too, late entries), each byte for byte what a fresh full scan (--no-cache) of the same
// bytes prints, and through the path it should take: nothing read, the changed files read on from where
// their last read stopped, read again from their first byte (or gone), or a full scan (cco.log says which).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTranscripts } from '../../src/claude/transcript-files.ts';
import { MAX_PART_FILES } from '../../src/store/report-cache.ts';
import { HAS_SHARED_FIXTURES, LOCAL_SOURCES, NEEDS_SHARED, SHARED_SOURCES } from '../helpers/fixture-sets.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { assistantLine } from '../helpers/one-response.ts';

const home = tempHomePerTest();

/** A temp config dir holding writable copies of these config dirs' transcripts. */
function setupFrom(sources: readonly string[]): TempHome {
  const h = home();
  for (const src of sources) cpSync(path.join(src, 'projects'), path.join(h.configDir, 'projects'), { recursive: true });
  for (const f of jsonl(h.configDir)) {
    chmodSync(f, 0o644);
    // Claude Code ends every line; a fixture's last line may not be (appending onto it would make it longer).
    if (!readFileSync(f, 'utf8').endsWith('\n')) appendFileSync(f, '\n');
  }
  return h;
}

/** The config dir's transcripts, in the order the report reads them. */
const jsonl = (dir: string): string[] => listTranscripts([dir]);

function report(h: TempHome, extra: string[] = [], env: Record<string, string> = {}): string {
  return execFileSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'report', '--json', ...extra], { env: h.env(env), encoding: 'utf8', cwd: h.home });
}

/** The report through the cache, checked against a fresh full scan; returns the way it took (from cco.log). */
function checked(h: TempHome, env: Record<string, string> = {}): string {
  const log = path.join(h.configDir, 'cco', 'logs', 'cco.log');
  const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
  const viaCache = report(h, [], env);
  expect(viaCache).toBe(report(h, ['--no-cache']));
  const said = existsSync(log) ? readFileSync(log, 'utf8').slice(before) : '';
  if (said.includes('"where":"report","msg":"full scan')) return 'full scan';
  const m =
    /"where":"report","msg":"changed files: (\d+) read on from where their last read stopped, \d+ new, (\d+) read again from the first byte, (\d+) gone; ([a-z ]+)/.exec(
      said,
    );
  if (m === null) return 'nothing read';
  if (m[4] === 'added to the last report') return ADDED;
  return m[2] === '0' && m[3] === '0' ? READ_ON : REREAD;
}

/** A later response than any in the fixtures (after their last 5-hour block) unless `at` says otherwise. */
const asst = (id: string, sid: string, out: number, at = '2027-01-01T03:00:00.000Z') =>
  assistantLine({
    sessionId: sid,
    id,
    timestamp: at,
    model: 'claude-x',
    stopReason: 'end_turn',
    content: [{ type: 'text', text: 'more' }],
    usage: [5, out, 50, 500],
  });

/** Only the appended bytes of the changed files and their parts were read, and added to the last report (report-patch.ts). */
const ADDED = 'added to';
/** Only the appended bytes of the changed files were read (their cursors resumed), then every file's part merged again. */
const READ_ON = 'read on, merged';
/** Some file was read again from its first byte (rewritten, replaced), or went away. */
const REREAD = 'read again or gone';
const APPENDED = ADDED;
// Larger streamed copies need no other read: each file's cursor holds its own entries, and no other file holds their keys.
const PARTS = ADDED;

const mains = (h: TempHome) => jsonl(h.configDir).filter((f) => !f.includes('subagents') && !path.basename(f).startsWith('agent-'));

/** The cache suite on copies of these transcripts. */
function cacheSuite(sources: readonly string[]): void {
  const setup = () => setupFrom(sources);

  it('cold, then warm: the same report, nothing rewritten, and no state file written', () => {
    const h = setup();
    expect(checked(h)).toBe('full scan');
    const index = path.join(h.configDir, 'cco', 'cache', 'report-cache.json');
    const indexed = statSync(index).mtimeMs;
    expect(checked(h)).toBe('nothing read');
    expect(statSync(index).mtimeMs).toBe(indexed);
    expect(existsSync(path.join(h.configDir, 'session-tracker.json'))).toBe(false);
    expect(existsSync(path.join(h.accountDir, 'quota-tracker.json'))).toBe(false);
  });

  it('what a live session appends is added in place: new responses, larger copies, a new session file', () => {
    const h = setup();
    checked(h);
    const main = mains(h)[0]!;
    const sid = path.basename(main, '.jsonl');
    appendFileSync(main, asst('inc1', sid, 7) + '\n');
    const r1 = report(h, ['--no-cache']);
    expect(checked(h)).toBe(APPENDED);
    // A larger streamed copy of the last response (and one more): the file's cached part is needed for it.
    appendFileSync(main, asst('inc1', sid, 70, '2027-01-01T03:00:01.000Z') + '\n' + asst('inc2', sid, 1, '2027-01-01T09:30:00.000Z') + '\n');
    expect(checked(h)).toBe(PARTS);
    expect(report(h)).not.toBe(r1);
    appendFileSync(main, JSON.stringify({ ...JSON.parse(asst('inc3', sid, 2)), timestamp: undefined }) + '\n');
    expect(checked(h)).toBe(APPENDED);
    // A new session's file, then a half-written line finished later.
    const sid2 = 'aaaaaaaa-0000-4000-8000-000000000001';
    const added = path.join(path.dirname(main), `${sid2}.jsonl`);
    const at = '2027-01-01T10:00:00.000Z';
    writeFileSync(added, asst('new1', sid2, 3, at) + '\n' + asst('new2', sid2, 4, at).slice(0, 40));
    expect(checked(h)).toBe(APPENDED);
    appendFileSync(added, asst('new2', sid2, 4, at).slice(40) + '\n');
    expect(checked(h)).toBe(APPENDED);
    // Two files at once, one of them read since the base and one not; then a larger copy in the new file.
    const other = mains(h)[1]!;
    appendFileSync(main, asst('two1', sid, 1, at) + '\n');
    appendFileSync(other, asst('two2', path.basename(other, '.jsonl'), 1, at) + '\n');
    expect(checked(h)).toBe(APPENDED);
    appendFileSync(added, asst('new2', sid2, 40, at) + '\n');
    expect(checked(h)).toBe(PARTS);
    // A rewritten file is read again from its first byte; the others keep their cached parts.
    writeFileSync(other, asst('rw', path.basename(other, '.jsonl'), 2, at) + '\n' + readFileSync(other, 'utf8'));
    expect(checked(h)).toBe(REREAD);
    appendFileSync(main, asst('after', sid, 1, at) + '\n');
    expect(checked(h)).toBe(APPENDED);
  });

  it("merges again from the cached parts when the change is not a live session's: shared responses, late entries, deleted or rewritten files", () => {
    const h = setup();
    checked(h);
    const [a, b] = mains(h) as [string, string];
    // b gets a larger copy of a response a holds (a forked session copies lines).
    const line = readFileSync(a, 'utf8')
      .split('\n')
      .find((l) => l.includes('"usage"') && l.includes('"requestId"'))!;
    const rec = JSON.parse(line) as { message: { usage: { output_tokens: number } } };
    rec.message.usage.output_tokens += 1_000;
    appendFileSync(b, JSON.stringify(rec) + '\n');
    expect(checked(h)).toBe(READ_ON);
    // A response dated before the last 5-hour block.
    appendFileSync(a, asst('late', path.basename(a, '.jsonl'), 5, '2020-01-01T00:00:00.000Z') + '\n');
    expect(checked(h)).toBe(READ_ON);
    rmSync(jsonl(h.configDir).at(-1)!);
    expect(checked(h)).toBe(REREAD);
    // Rewritten, not appended to: its head changed.
    writeFileSync(b, asst('rewritten', path.basename(b, '.jsonl'), 9) + '\n' + readFileSync(b, 'utf8'));
    expect(checked(h)).toBe(REREAD);
  });

  it('a damaged cache is not trusted: a damaged head or damaged parts mean a full scan, and the next report reads on again', () => {
    const h = setup();
    checked(h);
    const main = mains(h)[0]!;
    const sid = path.basename(main, '.jsonl');
    const file = path.join(h.configDir, 'cco', 'cache', 'report-cache.json');
    /** Flips one bit of `f` at the offset `at` gives. */
    const flip = (f: string, at: (b: Buffer) => number) => {
      const b = readFileSync(f);
      b[at(b)] = b[at(b)]! ^ 0x01;
      writeFileSync(f, b);
    };
    /** Where `main`'s part lies: its parts file and the offset of its last byte (from the head's row). */
    const mainPart = (): [string, number] => {
      const head = JSON.parse(readFileSync(file, 'utf8').split('\n')[1]!) as { partFiles: string[]; rows: [string, ...number[]][] };
      const row = head.rows.find((r) => r[0] === main)!;
      return [path.join(path.dirname(file), head.partFiles[row[5]!]!), row[6]! + row[7]! - 1];
    };
    // The head holds the report: a changed figure does not match its sum.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"input_tokens":\d+/, '"input_tokens":1'));
    expect(checked(h)).toBe('full scan');
    appendFileSync(main, asst('d1', sid, 9) + '\n');
    expect(checked(h)).toBe(APPENDED);
    // A damaged part is only read when its file changed: then a full scan.
    const [parts, last] = mainPart();
    flip(parts, () => last);
    expect(checked(h)).toBe('nothing read');
    appendFileSync(main, asst('d2', sid, 9) + '\n');
    expect(checked(h)).toBe('full scan');
    appendFileSync(main, asst('d3', sid, 9) + '\n');
    expect(checked(h)).toBe(APPENDED);
    // A damaged side (the last byte of report-cache.json): the report is merged again from the parts.
    flip(file, (b) => b.length - 2);
    expect(checked(h)).toBe('nothing read');
    appendFileSync(main, asst('d3b', sid, 9) + '\n');
    expect(checked(h)).toBe(READ_ON);
    // A parts file gone: a full scan.
    appendFileSync(main, asst('d3c', sid, 9) + '\n');
    rmSync(mainPart()[0]);
    expect(checked(h)).toBe('full scan');
    // A torn write (the file cut short), an empty file, another version: a full scan each.
    writeFileSync(file, readFileSync(file).subarray(0, 100));
    expect(checked(h)).toBe('full scan');
    writeFileSync(file, '');
    expect(checked(h)).toBe('full scan');
    const text = readFileSync(file, 'utf8');
    const head = text.split('\n')[1]!.replace(/^\{"version":\d+,/, '{"version":99,');
    expect(head).toMatch(/^\{"version":99,/);
    const sum = createHash('sha1').update(head).digest('hex');
    writeFileSync(file, [`${sum} ${Buffer.byteLength(head)}`, head, ...text.split('\n').slice(2)].join('\n'));
    expect(checked(h)).toBe('full scan');
    appendFileSync(main, asst('d4', sid, 9) + '\n');
    expect(checked(h)).toBe(APPENDED);
  });

  it('a report that adds to the last one writes only the changed parts; past MAX_PART_FILES parts files every part goes into one, and retired files are removed', () => {
    const h = setup();
    checked(h);
    const dir = path.join(h.configDir, 'cco', 'cache');
    const partsFiles = () => readdirSync(dir).filter((n) => n.startsWith('report-parts-'));
    const bytesIn = () => partsFiles().reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    const headFiles = () => (JSON.parse(readFileSync(path.join(dir, 'report-cache.json'), 'utf8').split('\n')[1]!) as { partFiles: string[] }).partFiles;
    expect(partsFiles()).toHaveLength(1);
    const full = bytesIn();
    // Each round another transcript grows: its part moves to a new parts file, the others stay where they are.
    const files = jsonl(h.configDir);
    const counts: number[] = [];
    for (let i = 0; i < MAX_PART_FILES + 3; i++) {
      const f = files[i % files.length]!;
      const before = bytesIn();
      appendFileSync(f, asst(`c${i}`, path.basename(f, '.jsonl'), i + 1) + '\n');
      expect(checked(h)).toBe(ADDED);
      counts.push(partsFiles().length);
      // Every parts file on disk is one the head points to, never more than MAX_PART_FILES.
      expect(partsFiles().sort()).toEqual([...headFiles()].sort());
      expect(partsFiles().length).toBeLessThanOrEqual(MAX_PART_FILES);
      // A round that did not compact wrote the grown file's part, not the history's.
      if (counts.at(-1)! > 1) expect(bytesIn() - before).toBeLessThan(full / 2);
    }
    // Parts files piled up one per round, then were compacted into one (at MAX_PART_FILES, or sooner when
    // the moved parts left more dead bytes than live ones).
    expect(counts[1]).toBe(3);
    expect(counts).toContain(1);
  });

  it('a FIFO or a directory in place of a cache file never blocks the report, nor changes it', () => {
    const h = setup();
    checked(h);
    const dir = path.join(h.configDir, 'cco', 'cache');
    const main = mains(h)[0]!;
    const sid = path.basename(main, '.jsonl');
    // Bounded: a FIFO opened for reading the plain way would block the report forever.
    const bounded = () =>
      execFileSync('node', [path.join(ROOT, 'dist', 'cli.mjs'), 'report', '--json'], { env: h.env(), encoding: 'utf8', cwd: h.home, timeout: 60_000 });
    const parts = readdirSync(dir).find((n) => n.startsWith('report-parts-'))!;
    rmSync(path.join(dir, parts));
    execFileSync('mkfifo', [path.join(dir, parts)]);
    appendFileSync(main, asst('fifo1', sid, 3) + '\n');
    expect(bounded()).toBe(report(h, ['--no-cache']));
    rmSync(path.join(dir, 'report-cache.json'));
    execFileSync('mkfifo', [path.join(dir, 'report-cache.json')]);
    expect(bounded()).toBe(report(h, ['--no-cache']));
    rmSync(path.join(dir, 'report-cache.json'), { force: true });
    mkdirSync(path.join(dir, 'report-cache.json'), { recursive: true });
    appendFileSync(main, asst('fifo2', sid, 4) + '\n');
    expect(bounded()).toBe(report(h, ['--no-cache']));
  });

  it('gives the same report when the cold scan runs on worker threads (dist/scan-worker.mjs)', () => {
    const h = setup();
    expect(existsSync(path.join(ROOT, 'dist', 'scan-worker.mjs'))).toBe(true);
    expect(report(h, [], { CCO_SCAN_WORKERS: '2' })).toBe(report(h, ['--no-cache']));
    expect(readFileSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'), 'utf8')).toContain('on worker threads');
    const main = mains(h)[0]!;
    appendFileSync(main, asst('pool-inc', path.basename(main, '.jsonl'), 4) + '\n');
    expect(checked(h, { CCO_SCAN_WORKERS: '2' })).toBe(APPENDED);
  });
}

describe("cco report --json through its caches, on the repository's transcript cases", () => cacheSuite(LOCAL_SOURCES));

describe.skipIf(!HAS_SHARED_FIXTURES)(`cco report --json through its caches, on shared real transcripts: ${NEEDS_SHARED}`, () =>
  cacheSuite([SHARED_SOURCES[2]!, SHARED_SOURCES[3]!]),
);
