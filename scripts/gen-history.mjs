#!/usr/bin/env node
// Deterministic synthetic Claude Code history for the bench (issue 7): a config dir with
// `projects/<project>/<session>.jsonl` transcripts, subagent transcripts
// (`<session>/subagents/agent-<id>.jsonl` + `.meta.json`) and a few older-style `agent-<id>.jsonl` beside
// the sessions.
//
// The record mix follows what real transcripts hold (interface reference §6; shared fixtures): user
// prompts, assistant responses written as one line per content block (thinking, text, tool_use) that
// share `message.id` + `requestId` (streaming duplicates: earlier copies with `stop_reason: null` and a
// partial `output_tokens`, or all copies with the final usage), tool results (most of the bytes, with
// `toolUseResult` copies), progress records (bash/hook, and `agent_progress` embedding a subagent's
// assistant turns that also appear in its subagent file), attachments, system records (stop hook summary,
// turn duration, compaction boundaries with their summary), bookkeeping records, `<synthetic>` responses,
// responses without `requestId`, forked sessions that copy earlier lines (cross-file duplicates), and a
// few malformed lines, blank lines, two objects on one line and unterminated last lines.
//
// Same flags, same bytes: every choice comes from a seeded PRNG and a fixed clock.
//
//   node scripts/gen-history.mjs --out <config dir> [--size 1GB] [--seed 1] [--sessions N] [--end <ISO time>] [--days 60]
//
// --size   total bytes to write (K/M/G suffixes, powers of 1024); default 1 GB
// --sessions  exact number of main sessions instead of filling --size (sizes still drawn; --size caps each)
// --end    the newest record's time (default 2026-10-31T12:00:00Z); sessions spread over --days before it
// --append <file> --bytes 4K: append responses (with their tool results) to one session transcript
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs as parseCliArgs } from 'node:util';
import { mulberry32 } from './mulberry32.mjs';

export function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(String(s).trim());
  if (!m) throw new Error(`bad size "${s}" (examples: 1GB, 200MB, 64K)`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * mult);
}

/** mulberry32 with the helpers the generator draws with. */
function prng(seed) {
  const next = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  /** Log-normal-ish size around `median`, clamped. */
  const sized = (median, lo, hi) => Math.max(lo, Math.min(hi, Math.round(median * Math.exp((next() + next() + next() - 1.5) * 1.6))));
  const hex = (n) => {
    let s = '';
    while (s.length < n)
      s += Math.floor(next() * 4294967296)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  };
  const uuid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const b58 = (n) => {
    const al = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    let s = '';
    for (let i = 0; i < n; i++) s += al[Math.floor(next() * al.length)];
    return s;
  };
  return { next, int, pick, chance, sized, hex, uuid, b58 };
}

// Text the records carry: code, prose, paths, with quotes, backslashes, newlines and non-ASCII, so that
// JSON escaping and UTF-8 decoding cost what they cost in real transcripts.
const WORDS = (
  'the of and to in is that for it as with was on be by this are at from or an but not have what all were when we there can ' +
  'function const return import export async await interface type string number boolean null undefined class extends new throw catch ' +
  'transcript session usage tokens window context hook cache offset digest ledger block report status compaction subagent request'
).split(' ');
const CODE_LINES = [
  'export function merge(a: Record<string, number>, b: Record<string, number>): Record<string, number> {',
  '  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;',
  '  if (err) throw new Error(`cannot read "${file}": ${err.message}`);',
  '    const re = /^(\\d+)-(\\w+)\\.jsonl$/;',
  '  return { ok: true, value: JSON.parse(text) as unknown };',
  '}',
  'def parse_line(line: str) -> dict:\n    return json.loads(line)',
  '    println!("{}", serde_json::to_string(&report)?);',
  '<div class="row">Résumé — naïve café → 日本語 ✓ 🚀</div>',
  'C:\\Users\\dev\\project\\src\\main.ts',
  '\t\tif (x > 0 && y < 10) { total += x * y; }',
];

function makeTextPool(r) {
  const parts = [];
  let n = 0;
  while (n < 256 * 1024) {
    let s;
    if (r.chance(0.35)) s = r.pick(CODE_LINES) + '\n';
    else {
      const k = r.int(6, 30);
      const w = [];
      for (let i = 0; i < k; i++) w.push(r.pick(WORDS));
      s = w.join(' ') + (r.chance(0.3) ? '.\n\n' : '. ');
    }
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001'];
const TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob', 'TodoWrite', 'WebFetch', 'mcp__github__get_issue', 'mcp__playwright__browser_snapshot'];
const AGENT_TYPES = ['Explore', 'general-purpose', 'code-reviewer', 'Plan'];
const BRANCHES = ['main', 'feat/usage-window', 'fix/compaction', 'dev'];
const VERSIONS = ['2.0.14', '2.0.76', '2.1.12', '2.1.17', '2.1.329'];

/**
 * Writes a history under `out`. Returns { files, bytes, sessions }.
 * @param {{ out: string, size: number, seed?: number, sessions?: number|null, endMs?: number, days?: number, log?: (s: string) => void }} o
 */
export function generateHistory(o) {
  const r = prng(o.seed ?? 1);
  const pool = makeTextPool(r);
  const endMs = o.endMs ?? Date.parse('2026-10-31T12:00:00Z');
  const days = o.days ?? 60;
  const projectsDir = path.join(o.out, 'projects');
  const projects = [];
  for (let i = 0; i < 24; i++) {
    const name = `/home/dev/work/${r.pick(['api', 'web', 'cli', 'infra', 'docs', 'ml'])}-${r.hex(4)}`;
    projects.push({ cwd: name, dir: path.join(projectsDir, name.replace(/[^A-Za-z0-9]/g, '-')) });
  }
  for (const p of projects) mkdirSync(p.dir, { recursive: true });

  const text = (len) => {
    const at = r.int(0, pool.length - len - 1);
    return pool.slice(at, at + len);
  };
  let bytes = 0;
  let files = 0;
  // Each file's mtime is its newest record's time, as if Claude Code had just written it then.
  const write = (file, lines, mtimeMs, endWithNewline = true) => {
    const body = lines.join('\n') + (endWithNewline ? '\n' : '');
    writeFileSync(file, body);
    utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
    bytes += Buffer.byteLength(body);
    files++;
  };
  const done = () => (o.sessions == null ? bytes >= o.size : false);

  // Lines of earlier sessions that a fork may copy (same ids: cross-file duplicates).
  let forkSource = null;
  const sessionCount = o.sessions ?? Infinity;
  let s = 0;
  for (; s < sessionCount && !done(); s++) {
    const project = projects[Math.floor(r.next() ** 1.5 * projects.length)];
    const sid = r.uuid();
    const target = Math.min(o.sessions == null ? o.size - bytes : o.size, r.sized(1_200_000, 20_000, 48_000_000));
    // Sessions in time order; the last ends near endMs.
    const startMs = o.sessions == null ? endMs - days * 86_400_000 + Math.floor((bytes / o.size) * days * 86_400_000) : endMs - r.int(20, 600) * 60_000;
    const sess = new SessionWriter(r, text, {
      sid,
      cwd: project.cwd,
      startMs,
      endMs: o.sessions == null ? null : endMs,
      version: r.pick(VERSIONS),
      branch: r.pick(BRANCHES),
      model: r.pick(MODELS),
    });
    if (forkSource !== null && r.chance(0.04)) sess.copyFrom(forkSource);
    while (sess.bytes < target) sess.turn();
    sess.finish();
    const mainFile = path.join(project.dir, `${sid}.jsonl`);
    write(mainFile, sess.lines, sess.t, !sess.unterminated);
    for (const a of sess.agents) {
      const dir = a.beside ? project.dir : path.join(project.dir, sid, 'subagents');
      if (!a.beside) mkdirSync(dir, { recursive: true });
      write(path.join(dir, `agent-${a.id}.jsonl`), a.lines, a.t ?? sess.t);
      if (!a.beside)
        writeFileSync(
          path.join(dir, `agent-${a.id}.meta.json`),
          JSON.stringify({ agentType: a.type, description: 'explore the code', toolUseId: a.toolUseId, spawnDepth: 1, model: a.model, finished: true }),
        );
    }
    forkSource = sess.lines.slice(0, Math.min(sess.lines.length, 40));
    if (o.log && s % 50 === 0) o.log(`  ${(bytes / 1048576).toFixed(0)} MB, ${files} files`);
  }
  return { files, bytes, sessions: s, projects: projects.map((p) => p.cwd) };
}

class SessionWriter {
  constructor(r, text, o) {
    this.r = r;
    this.text = text;
    this.o = o;
    this.lines = [];
    this.bytes = 0;
    this.t = o.startMs;
    this.parent = null;
    this.agents = [];
    this.unterminated = false;
    this.ctx = r.int(12_000, 30_000);
    this.turns = 0;
  }

  now(stepMs) {
    this.t += stepMs;
    // A session given an end (live sessions) never goes past it: squeeze the rest into its last seconds.
    if (this.o.endMs !== null && this.t > this.o.endMs) this.t = this.o.endMs - 1000 + (this.t % 1000);
    return new Date(this.t).toISOString();
  }

  push(rec, raw) {
    const line = raw ?? JSON.stringify(rec);
    this.lines.push(line);
    this.bytes += line.length + 1;
  }

  base(extra = {}) {
    const uuid = this.r.uuid();
    const rec = {
      parentUuid: this.parent,
      isSidechain: false,
      userType: 'external',
      cwd: this.o.cwd,
      sessionId: this.o.sid,
      version: this.o.version,
      gitBranch: this.o.branch,
      ...extra,
      uuid,
    };
    this.parent = uuid;
    return rec;
  }

  copyFrom(lines) {
    for (const l of lines) this.push(null, l);
  }

  turn() {
    const r = this.r;
    this.turns++;
    if (this.turns === 1) {
      this.push({ type: 'queue-operation', operation: 'dequeue', timestamp: this.now(200), sessionId: this.o.sid });
      this.push({
        ...this.base({
          type: 'progress',
          data: {
            type: 'hook_progress',
            hookEvent: 'SessionStart',
            hookName: 'SessionStart:startup',
            command: 'node "${CLAUDE_PLUGIN_ROOT}/dist/hooks/session-start.mjs"',
          },
          parentToolUseID: r.uuid(),
          toolUseID: r.uuid(),
        }),
        timestamp: this.now(50),
      });
    }
    if (r.chance(0.3))
      this.push({
        ...this.base({
          type: 'attachment',
          attachment: { type: r.pick(['skill_listing', 'deferred_tools_delta', 'environment']), content: this.text(r.sized(2_000, 200, 20_000)) },
        }),
        timestamp: this.now(30),
      });
    if (r.chance(0.2))
      this.push({
        type: 'file-history-snapshot',
        messageId: r.uuid(),
        snapshot: { messageId: r.uuid(), trackedFileBackups: {}, timestamp: this.now(10) },
        isSnapshotUpdate: false,
      });
    this.push({
      ...this.base({ type: 'user', message: { role: 'user', content: this.text(r.sized(400, 20, 8_000)) } }),
      timestamp: this.now(r.int(5_000, 600_000)),
      permissionMode: 'default',
    });
    const responses = r.int(1, 9);
    for (let i = 0; i < responses; i++) this.response(i === responses - 1);
    this.push({
      ...this.base({
        type: 'system',
        subtype: 'stop_hook_summary',
        hookCount: 1,
        hookInfos: [{ command: 'node stop.mjs' }],
        hookErrors: [],
        preventedContinuation: false,
        stopReason: '',
        hasOutput: false,
        level: 'suggestion',
      }),
      timestamp: this.now(40),
    });
    if (r.chance(0.5)) this.push({ ...this.base({ type: 'system', subtype: 'turn_duration', durationMs: r.int(2_000, 400_000) }), timestamp: this.now(5) });
    if (r.chance(0.3)) this.push({ type: 'last-prompt', lastPrompt: this.text(60), sessionId: this.o.sid });
    if (r.chance(0.02)) this.push(null, '');
    if (r.chance(0.004)) this.push(null, JSON.stringify({ type: 'summary', summary: 'Fixing the usage window', leafUuid: r.uuid() }).slice(0, 40));
    if (r.chance(0.004))
      this.push(
        null,
        JSON.stringify({ type: 'progress', data: { type: 'bash_progress', output: 'ok' }, sessionId: this.o.sid }) +
          JSON.stringify({ type: 'summary', summary: 'two objects on one line', leafUuid: r.uuid() }),
      );
    if (r.chance(0.015) && this.ctx > 120_000) this.compact();
  }

  usage(final, outTokens) {
    const r = this.r;
    const input = r.int(1, 12);
    const create = r.chance(0.5) ? r.int(100, 9_000) : 0;
    this.ctx += create;
    return {
      input_tokens: input,
      cache_creation_input_tokens: create,
      cache_read_input_tokens: this.ctx,
      cache_creation: { ephemeral_5m_input_tokens: create, ephemeral_1h_input_tokens: 0 },
      output_tokens: outTokens,
      service_tier: 'standard',
      ...(final ? { server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 } } : {}),
    };
  }

  response(last, chain = null) {
    const r = this.r;
    const blocks = [];
    if (r.chance(0.35)) blocks.push({ type: 'thinking', thinking: this.text(r.sized(800, 40, 12_000)), signature: r.b58(r.int(200, 900)) });
    if (r.chance(last ? 0.95 : 0.5)) blocks.push({ type: 'text', text: this.text(r.sized(500, 10, 10_000)) });
    const tools = last ? 0 : r.int(1, r.chance(0.2) ? 4 : 1);
    const calls = [];
    for (let i = 0; i < tools; i++) {
      const name = chain === null && r.chance(0.02) ? 'Task' : r.pick(TOOLS);
      const input =
        name === 'Task'
          ? { description: 'Explore the code', prompt: this.text(r.sized(300, 50, 3_000)), subagent_type: r.pick(AGENT_TYPES) }
          : name === 'Bash'
            ? { command: this.text(r.int(10, 200)), description: 'run it' }
            : name === 'Edit'
              ? { file_path: '/home/dev/x.ts', old_string: this.text(r.sized(300, 10, 6_000)), new_string: this.text(r.sized(300, 10, 6_000)) }
              : name === 'Write'
                ? { file_path: '/home/dev/y.ts', content: this.text(r.sized(2_000, 100, 40_000)) }
                : { file_path: '/home/dev/z.ts', pattern: this.text(20) };
      const call = { type: 'tool_use', id: `toolu_${r.b58(24)}`, name, input };
      blocks.push(call);
      calls.push(call);
    }
    if (blocks.length === 0) blocks.push({ type: 'text', text: this.text(40) });
    const synthetic = chain === null && r.chance(0.005);
    const model = synthetic ? '<synthetic>' : (chain?.model ?? this.o.model);
    const msgId = synthetic ? r.uuid() : `msg_${r.b58(24)}`;
    const requestId = synthetic || r.chance(0.03) ? null : `req_${r.b58(24)}`;
    const finalOut = r.sized(300, 1, 8_000);
    const partialStream = r.chance(0.5); // older builds: earlier copies carry a partial output count
    const u0 = synthetic ? { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } : this.usage(true, finalOut);
    const stop = last ? 'end_turn' : 'tool_use';
    blocks.forEach((b, i) => {
      const isLast = i === blocks.length - 1;
      const usage = partialStream && !isLast ? { ...u0, output_tokens: Math.max(1, Math.floor((finalOut * (i + 1)) / (blocks.length + 1))) } : u0;
      const message = {
        model,
        id: msgId,
        type: 'message',
        role: 'assistant',
        content: [b],
        stop_reason: isLast || !partialStream ? stop : null,
        stop_sequence: null,
        usage,
      };
      const rec = {
        ...this.base(chain === null ? {} : { isSidechain: true, agentId: chain.id }),
        message,
        ...(requestId === null ? { requestRef: this.r.uuid() } : { requestId }),
        type: 'assistant',
        timestamp: this.now(r.int(200, 4_000)),
      };
      (chain ?? this).push(rec);
      if (chain?.embed)
        this.push({
          ...this.base({
            type: 'progress',
            data: {
              type: 'agent_progress',
              message: { type: 'assistant', message, requestId: requestId ?? undefined, timestamp: rec.timestamp, uuid: rec.uuid },
              normalizedMessages: [],
              prompt: '',
              agentId: chain.id,
            },
            toolUseID: chain.toolUseId,
            parentToolUseID: chain.toolUseId,
          }),
          timestamp: this.now(5),
        });
    });
    for (const call of calls) {
      if (call.name === 'Task') this.subagent(call);
      if (r.chance(0.3))
        this.push({
          ...this.base({
            type: 'progress',
            data: { type: 'bash_progress', output: this.text(r.int(20, 400)), elapsedTimeSeconds: r.int(1, 30) },
            toolUseID: call.id,
            parentToolUseID: call.id,
          }),
          timestamp: this.now(r.int(100, 3_000)),
        });
      const size = call.name === 'Read' ? r.sized(6_000, 100, 120_000) : r.sized(1_500, 20, 60_000);
      const body = this.text(Math.min(size, 250_000));
      const content = r.chance(0.7) ? body : [{ type: 'text', text: body }];
      const toolUseResult =
        call.name === 'Read'
          ? { type: 'text', file: { filePath: '/home/dev/z.ts', content: body, numLines: 100, startLine: 1, totalLines: 100 } }
          : { stdout: body.slice(0, 2_000), stderr: '', interrupted: false, isImage: false };
      const rec = {
        ...this.base(chain === null ? {} : { isSidechain: true, agentId: chain.id }),
        type: 'user',
        message: { role: 'user', content: [{ tool_use_id: call.id, type: 'tool_result', content, is_error: r.chance(0.05) }] },
        timestamp: this.now(r.int(100, 20_000)),
        toolUseResult,
      };
      (chain ?? this).push(rec);
      this.ctx += Math.ceil(body.length / 4);
    }
  }

  subagent(call) {
    const r = this.r;
    const id = r.hex(r.chance(0.5) ? 7 : 17);
    const chain = {
      t: 0,
      id,
      type: call.input.subagent_type,
      toolUseId: call.id,
      model: r.pick(MODELS),
      embed: r.chance(0.4),
      beside: r.chance(0.1),
      lines: [],
      bytes: 0,
      push(rec) {
        const l = JSON.stringify(rec);
        this.lines.push(l);
        this.bytes += l.length + 1;
      },
    };
    chain.push({
      ...this.base({ isSidechain: true, agentId: id, type: 'user', message: { role: 'user', content: call.input.prompt } }),
      timestamp: this.now(100),
    });
    const n = r.int(2, 12);
    const savedCtx = this.ctx;
    this.ctx = r.int(8_000, 20_000);
    for (let i = 0; i < n; i++) this.response(i === n - 1, chain);
    chain.t = this.t;
    this.ctx = savedCtx;
    this.agents.push(chain);
    this.bytes += chain.bytes;
  }

  compact() {
    const r = this.r;
    const pre = this.ctx;
    this.ctx = r.int(8_000, 30_000);
    const boundary = this.base({
      type: 'system',
      subtype: 'compact_boundary',
      content: 'Conversation compacted',
      level: 'info',
      compactMetadata: { trigger: r.pick(['auto', 'manual']), preTokens: pre, postTokens: this.ctx },
    });
    boundary.parentUuid = null;
    this.push({ ...boundary, timestamp: this.now(2_000) });
    this.push({
      ...this.base({
        type: 'user',
        message: { role: 'user', content: 'This session is being continued from a previous conversation. ' + this.text(r.sized(3_000, 500, 12_000)) },
        isCompactSummary: true,
        isVisibleInTranscriptOnly: true,
      }),
      timestamp: this.now(10),
    });
  }

  finish() {
    // A few sessions are still being written: their last line has no newline yet.
    if (this.r.chance(0.03)) this.unterminated = true;
  }
}

/**
 * Appends at least `bytes` of new records (whole responses with their tool results) to the session
 * transcript `file` (session id from its name; times from a minute before `nowMs`, or after the file's last
 * record when that is later, as a live session's only go forward): what a live session adds between two
 * hook runs (a few KB), or a larger burst (the bench's incremental scan appends 1 MB).
 * @returns the bytes appended
 */
export function appendToSession(file, bytes, { seed = 1, nowMs = Date.now(), cwd = '/home/dev/work/live' } = {}) {
  const r = prng(seed);
  const pool = makeTextPool(r);
  const text = (len) => {
    const at = r.int(0, pool.length - len - 1);
    return pool.slice(at, at + len);
  };
  const sid = path.basename(file, '.jsonl');
  // A live session never goes back in time: the records follow the file's last one (or start a minute before nowMs).
  let lead = '';
  let lastMs = -Infinity;
  try {
    const fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 256 << 10));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    closeSync(fd);
    // A last line still without its newline is ended first, as Claude Code's next write would.
    if (size > 0 && tail[tail.length - 1] !== 0x0a) lead = '\n';
    for (const m of tail.toString('utf8').matchAll(/"timestamp":"([^"]+)"/g)) lastMs = Math.max(lastMs, Date.parse(m[1]) || -Infinity);
  } catch {
    // a new file
  }
  const sess = new SessionWriter(r, text, {
    sid,
    cwd,
    startMs: Math.max(nowMs - 60_000, lastMs + 1_000),
    endMs: null,
    version: '2.1.329',
    branch: 'main',
    model: MODELS[0],
  });
  sess.turns = 1;
  while (sess.bytes < bytes) sess.response(r.chance(0.15));
  const body = lead + sess.lines.join('\n') + '\n';
  appendFileSync(file, body);
  return Buffer.byteLength(body);
}

function parseArgs(argv) {
  const { values: v } = parseCliArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      size: { type: 'string', default: '1GB' },
      seed: { type: 'string', default: '1' },
      sessions: { type: 'string' },
      end: { type: 'string' },
      days: { type: 'string', default: '60' },
      append: { type: 'string' },
      bytes: { type: 'string', default: '4096' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (v.help) {
    process.stdout.write(
      'usage: node scripts/gen-history.mjs --out <config dir> [--size 1GB] [--seed 1] [--sessions N] [--end <ISO time>] [--days 60]\n' +
        '       node scripts/gen-history.mjs --append <session .jsonl> [--bytes 4K] [--seed 1]\n',
    );
    process.exit(0);
  }
  const o = {
    out: v.out ?? null,
    size: parseSize(v.size),
    seed: Number(v.seed),
    sessions: v.sessions === undefined ? null : Number(v.sessions),
    end: v.end ?? null,
    days: Number(v.days),
    append: v.append ?? null,
    bytes: parseSize(v.bytes),
  };
  if (o.out === null && o.append === null) throw new Error('--out <config dir> (or --append <file>) is required');
  return o;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const a = parseArgs(process.argv.slice(2));
    if (a.append !== null) {
      appendToSession(a.append, a.bytes, { seed: a.seed, ...(a.end ? { nowMs: Date.parse(a.end) } : {}) });
      process.exit(0);
    }
    const t0 = Date.now();
    const res = generateHistory({
      out: a.out,
      size: a.size,
      seed: a.seed,
      sessions: a.sessions,
      days: a.days,
      ...(a.end ? { endMs: Date.parse(a.end) } : {}),
      log: (s) => process.stderr.write(s + '\n'),
    });
    process.stdout.write(
      `${res.files} files, ${(res.bytes / 1048576).toFixed(1)} MB, ${res.sessions} sessions in ${a.out}/projects (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
  } catch (e) {
    process.stderr.write(`gen-history: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
