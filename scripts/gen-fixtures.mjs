#!/usr/bin/env node
// The repository's own transcript fixtures (test/fixtures/transcripts/): one small Claude config dir per
// case of the token-accounting rule (DESIGN.md), so that the tests need nothing beside the checkout.
// Each case is written record by record here, in the shapes real transcripts hold (interface reference
// §6): one line per content block, streamed copies, tool results with `toolUseResult`, progress records,
// sidechains, subagent files with their `.meta.json`, `<synthetic>` responses, compaction records and the
// cumulative `cost-state` line, a half-written last line.
//
// The figures the tests expect are NOT computed here or by cco: each case's `expected.ts` beside its
// `projects/` is written by hand from the rule, with the arithmetic in a comment. This script only writes
// the transcripts; it is deterministic (no clock, no randomness), its output is committed, and
// test/unit/fixtures-generated.test.ts keeps the committed files equal to what it writes.
//
//   node scripts/gen-fixtures.mjs [--out <dir>]     (default: test/fixtures/transcripts)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const VERSION = '2.1.329';
const SONNET = 'claude-sonnet-4-5-20250929';
const OPUS = 'claude-opus-4-5-20251101';
const HAIKU = 'claude-haiku-4-5-20251001';

/** `2025-03-03T10:15:02` -> `2025-03-03T10:15:02.000Z` (milliseconds may be given). */
const iso = (s) => (s.includes('.') ? `${s}Z` : `${s}.000Z`);

/** The session id of session `k` (1-based) of case `c`: a fixed UUID; sessions of a case sort by `k`. */
export const sessionId = (c, k) => `5e${String(c).padStart(2, '0')}${String(k).padStart(4, '0')}-0000-4000-8000-000000000000`;

/** A usage object as Claude Code writes it: the four counted fields, and detail fields that are not summed. */
function usage([input, output, creation, read]) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: creation, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: 'standard',
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
  };
}

const text = (t) => ({ type: 'text', text: t });
const thinking = (t) => ({ type: 'thinking', thinking: t, signature: 'EqQBCkYIBxgCKkBfixture' });
const toolUse = (id, name, input) => ({ type: 'tool_use', id, name, input });

/** One transcript file being written: records in file order, each line one or more JSON objects. */
class Transcript {
  /**
   * @param {{ caseNo: number, sid: string, cwd: string, branch?: string, sidechain?: { agentId: string } }} o
   */
  constructor(o) {
    this.o = o;
    this.lines = [];
    this.parent = null;
    this.n = 0;
    this.terminated = true;
  }

  /** A fixed UUID per record: case, file (session and agent) and record number. */
  uuid() {
    this.n++;
    const file = (this.o.sidechain?.agentId ?? this.o.sid)
      .replace(/[^0-9a-f]/g, '')
      .slice(0, 8)
      .padEnd(8, '0');
    return `${file}-${String(this.o.caseNo).padStart(4, '0')}-4000-a000-${String(this.n).padStart(12, '0')}`;
  }

  /** The fields every chained record carries, in Claude Code's order. */
  base(type, at, extra = {}) {
    const uuid = this.uuid();
    const side = this.o.sidechain;
    const rec = {
      parentUuid: this.parent,
      isSidechain: side !== undefined,
      userType: 'external',
      cwd: this.o.cwd,
      sessionId: this.o.sid,
      version: VERSION,
      gitBranch: this.o.branch ?? 'main',
      ...(side ? { agentId: side.agentId } : {}),
      type,
      ...extra,
      uuid,
      timestamp: iso(at),
    };
    this.parent = uuid;
    return rec;
  }

  user(at, content, extra = {}) {
    return this.base('user', at, { message: { role: 'user', content }, ...extra });
  }

  toolResult(at, toolUseId, body, toolUseResult) {
    return this.user(at, [{ tool_use_id: toolUseId, type: 'tool_result', content: body, is_error: false }], { toolUseResult });
  }

  /**
   * One line of a response (Claude Code writes one per content block).
   * @param {{ id?: string, req?: string, model?: string, tokens: number[], block: object, stop?: string|null, extra?: object }} r
   */
  assistant(at, r) {
    const message = {
      model: r.model ?? SONNET,
      ...(r.id === undefined ? {} : { id: r.id }),
      type: 'message',
      role: 'assistant',
      content: [r.block],
      stop_reason: r.stop === undefined ? 'end_turn' : r.stop,
      stop_sequence: null,
      usage: usage(r.tokens),
    };
    return this.base('assistant', at, { message, ...(r.req === undefined ? { requestRef: this.uuid() } : { requestId: r.req }), ...r.extra });
  }

  /** A subagent's turn embedded in the parent transcript (`progress`/`agent_progress`). */
  agentProgress(at, toolUseId, agentId, r) {
    const message = {
      model: r.model ?? HAIKU,
      id: r.id,
      type: 'message',
      role: 'assistant',
      content: [r.block],
      stop_reason: r.stop ?? 'tool_use',
      stop_sequence: null,
      usage: usage(r.tokens),
    };
    const inner = { type: 'assistant', message, ...(r.req === undefined ? {} : { requestId: r.req }), timestamp: iso(at), uuid: this.uuid() };
    return this.base('progress', at, {
      data: { type: 'agent_progress', message: inner, normalizedMessages: [], prompt: '', agentId },
      toolUseID: `agent_msg_${r.id}`,
      parentToolUseID: toolUseId,
    });
  }

  hookProgress(at, hookEvent) {
    return this.base('progress', at, {
      data: { type: 'hook_progress', hookEvent, hookName: `${hookEvent}:startup`, command: 'node hooks/session-start.mjs' },
      parentToolUseID: this.uuid(),
      toolUseID: this.uuid(),
    });
  }

  /** Appends one line holding these objects back to back (`sep` between them). */
  line(objs, sep = '') {
    this.lines.push(objs.map((o) => JSON.stringify(o)).join(sep));
    return this;
  }

  /** Appends one line per object. */
  add(...objs) {
    for (const o of objs) this.line([o]);
    return this;
  }

  /** Ends the file with the first `chars` characters of a record and no newline: a line still being written. */
  cut(obj, chars) {
    this.lines.push(JSON.stringify(obj).slice(0, chars));
    this.terminated = false;
    return this;
  }

  body() {
    return this.lines.join('\n') + (this.terminated ? '\n' : '');
  }
}

/** Files of one case: relative path -> content. */
class Case {
  constructor(caseNo, name) {
    this.caseNo = caseNo;
    this.name = name;
    this.cwd = `/home/dev/${name}`;
    this.project = `projects/${this.cwd.replace(/[^A-Za-z0-9]/g, '-')}`;
    this.files = new Map();
  }

  session(k, o = {}) {
    return new Transcript({ caseNo: this.caseNo, sid: sessionId(this.caseNo, k), cwd: this.cwd, ...o });
  }

  /** A subagent transcript of session `k` (its records carry the parent's session id). */
  agent(k, agentId) {
    return new Transcript({ caseNo: this.caseNo, sid: sessionId(this.caseNo, k), cwd: this.cwd, sidechain: { agentId } });
  }

  write(rel, t) {
    this.files.set(`${this.name}/${this.project}/${rel}`, typeof t === 'string' ? t : t.body());
  }
}

// Every case below lists, per response, its copies' (input, output, cache_creation, cache_read); the
// matching expected.ts does the rule's arithmetic on those numbers.

function streamedDuplicates() {
  const c = new Case(1, 'streamed-duplicates');
  const s = c.session(1);
  s.add(s.hookProgress('2025-03-03T10:14:58', 'SessionStart'));
  s.add(s.user('2025-03-03T10:15:00', 'Why does the build fail on CI but not locally?'));
  // A: one response, three lines (thinking, text, tool_use); the output count grows to its final 240.
  s.add(
    s.assistant('2025-03-03T10:15:02', {
      id: 'msg_c01_A',
      req: 'req_c01_A',
      tokens: [3, 12, 2000, 10000],
      block: thinking('Check the CI log first.'),
      stop: null,
    }),
    s.assistant('2025-03-03T10:15:03', {
      id: 'msg_c01_A',
      req: 'req_c01_A',
      tokens: [3, 12, 2000, 10000],
      block: text('Let me look at the CI configuration.'),
      stop: null,
    }),
    s.assistant('2025-03-03T10:15:04', {
      id: 'msg_c01_A',
      req: 'req_c01_A',
      tokens: [3, 240, 2000, 10000],
      block: toolUse('toolu_c01_1', 'Bash', { command: 'cat .github/workflows/ci.yml', description: 'Show the CI workflow' }),
      stop: 'tool_use',
    }),
  );
  s.add(
    s.toolResult('2025-03-03T10:15:06', 'toolu_c01_1', 'jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npm test', {
      stdout: 'jobs:\n  test: ...',
      stderr: '',
      interrupted: false,
      isImage: false,
    }),
  );
  // B: two lines with the same final usage.
  s.add(
    s.assistant('2025-03-03T10:15:08', {
      id: 'msg_c01_B',
      req: 'req_c01_B',
      tokens: [1, 80, 500, 12000],
      block: text('CI runs `npm ci`, which installs from the lock file.'),
    }),
    s.assistant('2025-03-03T10:15:09', {
      id: 'msg_c01_B',
      req: 'req_c01_B',
      tokens: [1, 80, 500, 12000],
      block: text('Your local node_modules is older than the lock file.'),
    }),
  );
  s.add(s.user('2025-03-03T10:16:00', 'And the failing snapshot?'));
  // C: the larger copy comes first; the second has more output but a smaller total.
  s.add(
    s.assistant('2025-03-03T10:16:03', {
      id: 'msg_c01_C',
      req: 'req_c01_C',
      tokens: [4, 30, 100, 9000],
      block: text('The snapshot holds a date.'),
      stop: null,
    }),
    s.assistant('2025-03-03T10:16:04', { id: 'msg_c01_C', req: 'req_c01_C', tokens: [4, 35, 100, 0], block: text('Freeze the clock in that test.') }),
  );
  s.add(s.user('2025-03-03T10:17:00', 'Thanks. Retry the last answer.'));
  // D: the same message id under two request ids: two keys.
  s.add(
    s.assistant('2025-03-03T10:17:02', { id: 'msg_c01_D', req: 'req_c01_D1', tokens: [5, 10, 0, 100], block: text('Done.') }),
    s.assistant('2025-03-03T10:17:30', { id: 'msg_c01_D', req: 'req_c01_D2', tokens: [5, 20, 0, 100], block: text('Done: the clock is frozen.') }),
  );
  c.write(`${sessionId(1, 1)}.jsonl`, s);
  return c;
}

function severalPerLine() {
  const c = new Case(2, 'several-per-line');
  const s = c.session(1);
  s.add(s.user('2025-03-10T14:20:00', 'Rename the config loader and update its callers.'));
  // E and F on one line, back to back.
  s.line([
    s.assistant('2025-03-10T14:20:03', {
      id: 'msg_c02_E',
      req: 'req_c02_E',
      tokens: [10, 50, 1000, 0],
      block: toolUse('toolu_c02_1', 'Grep', { pattern: 'loadConfig' }),
      stop: 'tool_use',
    }),
    s.assistant('2025-03-10T14:20:04', { id: 'msg_c02_F', req: 'req_c02_F', tokens: [2, 60, 300, 1000], block: text('Found the callers.') }),
  ]);
  // G and a tool result on one line.
  s.line([
    s.assistant('2025-03-10T14:20:06', {
      id: 'msg_c02_G',
      req: 'req_c02_G',
      tokens: [1, 5, 0, 1300],
      block: toolUse('toolu_c02_2', 'Read', { file_path: '/home/dev/several-per-line/src/config.ts' }),
      stop: 'tool_use',
    }),
    s.toolResult('2025-03-10T14:20:07', 'toolu_c02_2', 'export function loadConfig() {}', {
      type: 'text',
      file: { filePath: '/home/dev/several-per-line/src/config.ts', content: 'export function loadConfig() {}', numLines: 1, startLine: 1, totalLines: 1 },
    }),
  ]);
  // A progress record and a summary on one line: no usage on it.
  s.line([s.hookProgress('2025-03-10T14:20:08', 'PostToolUse'), { type: 'summary', summary: 'Renaming the config loader', leafUuid: s.parent }]);
  // Another copy of E, alone on its line: the same key, the same usage.
  s.add(
    s.assistant('2025-03-10T14:20:03', {
      id: 'msg_c02_E',
      req: 'req_c02_E',
      tokens: [10, 50, 1000, 0],
      block: toolUse('toolu_c02_1', 'Grep', { pattern: 'loadConfig' }),
      stop: 'tool_use',
    }),
  );
  // H and I on one line with a space between them.
  s.line(
    [
      s.assistant('2025-03-10T14:24:00', { id: 'msg_c02_H', req: 'req_c02_H', tokens: [1, 1, 1, 1], block: text('Renamed.') }),
      s.assistant('2025-03-10T14:25:00', { id: 'msg_c02_I', req: 'req_c02_I', tokens: [2, 2, 2, 2], block: text('Callers updated.') }),
    ],
    ' ',
  );
  // A response still being written: its line is cut and has no newline.
  s.cut(s.assistant('2025-03-10T14:25:30', { id: 'msg_c02_J', req: 'req_c02_J', tokens: [900, 900, 900, 900], block: text('One more thing') }), 180);
  c.write(`${sessionId(2, 1)}.jsonl`, s);
  return c;
}

function noRequestId() {
  const c = new Case(3, 'no-request-id');
  const s = c.session(1);
  s.add(s.user('2025-03-17T08:05:00', 'List the open TODOs.'));
  // J: no requestId (a `requestRef` instead), two lines; keyed by message.id alone.
  s.add(
    s.assistant('2025-03-17T08:05:02', { id: 'msg_c03_J', tokens: [6, 4, 0, 500], block: text('Searching.'), stop: null }),
    s.assistant('2025-03-17T08:05:03', { id: 'msg_c03_J', tokens: [6, 44, 0, 500], block: text('There are three TODOs.') }),
  );
  s.add(s.user('2025-03-17T08:06:00', 'Which is oldest?'));
  // K without requestId, and K with one: the keys `msg_c03_K` and `msg_c03_K:req_c03_K` differ.
  s.add(
    s.assistant('2025-03-17T08:06:02', { id: 'msg_c03_K', tokens: [7, 9, 100, 600], block: text('The one in parser.ts.') }),
    s.assistant('2025-03-17T08:06:04', { id: 'msg_c03_K', req: 'req_c03_K', tokens: [7, 9, 100, 600], block: text('The one in parser.ts.') }),
  );
  // Two identical responses without message.id: both count.
  s.add(
    s.assistant('2025-03-17T08:10:00', { tokens: [3, 3, 0, 0], block: text('ok') }),
    s.assistant('2025-03-17T08:10:00', { tokens: [3, 3, 0, 0], block: text('ok') }),
  );
  c.write(`${sessionId(3, 1)}.jsonl`, s);
  return c;
}

function progressSubagent() {
  const c = new Case(4, 'progress-subagent');
  const s = c.session(1);
  s.add(s.user('2025-03-24T09:00:00', 'Find where the retry delay is set.'));
  s.add(
    s.assistant('2025-03-24T09:00:05', {
      id: 'msg_c04_L',
      req: 'req_c04_L',
      model: OPUS,
      tokens: [5, 100, 3000, 0],
      stop: 'tool_use',
      block: toolUse('toolu_c04_1', 'Task', {
        description: 'Find the retry delay',
        prompt: 'Find where the retry delay is configured.',
        subagent_type: 'Explore',
      }),
    }),
  );
  s.add(s.hookProgress('2025-03-24T09:00:06', 'PreToolUse'));
  // The subagent's turns, embedded in progress records: sub1 streamed twice (output 30, then 75), sub2 without requestId.
  s.add(
    s.agentProgress('2025-03-24T09:00:10', 'toolu_c04_1', 'a4c4e01', {
      id: 'msg_c04_sub1',
      req: 'req_c04_sub1',
      tokens: [2, 30, 800, 0],
      block: toolUse('toolu_c04_2', 'Grep', { pattern: 'retryDelay' }),
    }),
    s.agentProgress('2025-03-24T09:00:11', 'toolu_c04_1', 'a4c4e01', {
      id: 'msg_c04_sub1',
      req: 'req_c04_sub1',
      tokens: [2, 75, 800, 0],
      block: toolUse('toolu_c04_2', 'Grep', { pattern: 'retryDelay' }),
    }),
    s.agentProgress('2025-03-24T09:00:15', 'toolu_c04_1', 'a4c4e01', {
      id: 'msg_c04_sub2',
      tokens: [1, 20, 0, 800],
      block: text('It is set in src/net/retry.ts.'),
      stop: 'end_turn',
    }),
  );
  // The Task result carries the subagent's own totals: a user record, not a usage record.
  s.add(
    s.toolResult('2025-03-24T09:00:20', 'toolu_c04_1', [text('It is set in src/net/retry.ts, line 12.')], {
      status: 'completed',
      prompt: 'Find where the retry delay is configured.',
      agentId: 'a4c4e01',
      content: [text('It is set in src/net/retry.ts, line 12.')],
      totalDurationMs: 14000,
      totalTokens: 1700,
      totalToolUseCount: 1,
      usage: usage([1, 20, 0, 800]),
    }),
  );
  s.add(
    s.assistant('2025-03-24T09:00:25', {
      id: 'msg_c04_M',
      req: 'req_c04_M',
      model: OPUS,
      tokens: [1, 40, 200, 3800],
      block: text('The delay is set in src/net/retry.ts.'),
    }),
  );
  c.write(`${sessionId(4, 1)}.jsonl`, s);
  return c;
}

function subagentFiles() {
  const c = new Case(5, 'subagent-files');
  const sid = sessionId(5, 1);
  const agentId = 'a5b6c7d';
  const s = c.session(1);
  s.add(s.user('2025-03-31T11:00:00', 'Review the error handling in the uploader.'));
  s.add(
    s.assistant('2025-03-31T11:00:03', {
      id: 'msg_c05_N',
      req: 'req_c05_N',
      tokens: [4, 50, 2500, 0],
      stop: 'tool_use',
      block: toolUse('toolu_c05_1', 'Task', {
        description: 'Review error handling',
        prompt: 'Review the error handling in src/upload.ts.',
        subagent_type: 'code-reviewer',
      }),
    }),
  );
  // sub3 is also in the subagent's own file (below), with the same usage.
  s.add(
    s.agentProgress('2025-03-31T11:00:08', 'toolu_c05_1', agentId, {
      id: 'msg_c05_sub3',
      req: 'req_c05_sub3',
      tokens: [3, 60, 700, 0],
      block: toolUse('toolu_c05_2', 'Read', { file_path: '/home/dev/subagent-files/src/upload.ts' }),
    }),
  );
  s.add(
    s.toolResult('2025-03-31T11:01:00', 'toolu_c05_1', [text('Two unhandled rejections.')], {
      status: 'completed',
      agentId,
      totalTokens: 1850,
      totalToolUseCount: 1,
    }),
  );
  s.add(
    s.assistant('2025-03-31T11:01:05', {
      id: 'msg_c05_O',
      req: 'req_c05_O',
      tokens: [1, 25, 300, 2500],
      block: text('The reviewer found two unhandled rejections.'),
    }),
  );
  c.write(`${sid}.jsonl`, s);

  const a = c.agent(1, agentId);
  a.add(a.user('2025-03-31T11:00:04', 'Review the error handling in src/upload.ts.'));
  a.add(
    a.assistant('2025-03-31T11:00:08', {
      id: 'msg_c05_sub3',
      req: 'req_c05_sub3',
      model: HAIKU,
      tokens: [3, 60, 700, 0],
      stop: 'tool_use',
      block: toolUse('toolu_c05_2', 'Read', { file_path: '/home/dev/subagent-files/src/upload.ts' }),
    }),
  );
  a.add(
    a.toolResult('2025-03-31T11:00:09', 'toolu_c05_2', 'export async function upload() { await put(); }', {
      type: 'text',
      file: {
        filePath: '/home/dev/subagent-files/src/upload.ts',
        content: 'export async function upload() { await put(); }',
        numLines: 1,
        startLine: 1,
        totalLines: 1,
      },
    }),
  );
  a.add(
    a.assistant('2025-03-31T11:00:30', {
      id: 'msg_c05_sub4',
      req: 'req_c05_sub4',
      model: HAIKU,
      tokens: [2, 90, 100, 700],
      block: text('Two unhandled rejections.'),
    }),
  );
  c.write(`${sid}/subagents/agent-${agentId}.jsonl`, a);
  c.write(
    `${sid}/subagents/agent-${agentId}.meta.json`,
    JSON.stringify({
      agentType: 'code-reviewer',
      description: 'Review error handling',
      toolUseId: 'toolu_c05_1',
      spawnDepth: 1,
      model: HAIKU,
      finished: true,
    }) + '\n',
  );
  return c;
}

function sidechain() {
  const c = new Case(6, 'sidechain');
  const agentId = '0a1b2c3d';
  const s = c.session(1);
  s.add(s.user('2025-04-07T16:00:00', 'Summarise the test failures.'));
  s.add(
    s.assistant('2025-04-07T16:00:02', {
      id: 'msg_c06_P',
      req: 'req_c06_P',
      tokens: [3, 20, 1500, 0],
      stop: 'tool_use',
      block: toolUse('toolu_c06_1', 'Task', {
        description: 'Summarise failures',
        prompt: 'Run the tests and summarise the failures.',
        subagent_type: 'general-purpose',
      }),
    }),
  );
  // Older builds wrote the subagent's records inline, marked as sidechain.
  const side = { isSidechain: true };
  s.add({ ...s.user('2025-04-07T16:00:03', 'Run the tests and summarise the failures.'), ...side });
  s.add({
    ...s.assistant('2025-04-07T16:00:06', {
      id: 'msg_c06_Q',
      req: 'req_c06_Q',
      tokens: [2, 35, 400, 0],
      block: toolUse('toolu_c06_2', 'Bash', { command: 'npm test', description: 'Run the tests' }),
      stop: 'tool_use',
    }),
    ...side,
  });
  s.add(
    s.toolResult('2025-04-07T16:00:20', 'toolu_c06_1', [text('One failure: parser.test.ts.')], {
      status: 'completed',
      totalTokens: 2400,
      totalToolUseCount: 1,
    }),
  );
  s.add(s.assistant('2025-04-07T16:00:22', { id: 'msg_c06_R', req: 'req_c06_R', tokens: [1, 15, 100, 1500], block: text('One test fails: parser.test.ts.') }));
  c.write(`${sessionId(6, 1)}.jsonl`, s);

  // ... and an `agent-<id>.jsonl` beside the session files, with the parent's session id.
  const a = c.agent(1, agentId);
  a.add(a.user('2025-04-07T16:00:03', 'Run the tests and summarise the failures.'));
  a.add(
    a.assistant('2025-04-07T16:00:06', {
      id: 'msg_c06_Q',
      req: 'req_c06_Q',
      tokens: [2, 35, 400, 0],
      block: toolUse('toolu_c06_2', 'Bash', { command: 'npm test', description: 'Run the tests' }),
      stop: 'tool_use',
    }),
  );
  a.add(
    a.toolResult('2025-04-07T16:00:10', 'toolu_c06_2', 'FAIL test/parser.test.ts\nTests: 1 failed, 41 passed', {
      stdout: 'FAIL test/parser.test.ts',
      stderr: '',
      interrupted: false,
      isImage: false,
    }),
  );
  a.add(a.assistant('2025-04-07T16:00:12', { id: 'msg_c06_S', req: 'req_c06_S', tokens: [2, 45, 50, 400], block: text('One failure: parser.test.ts.') }));
  c.write(`agent-${agentId}.jsonl`, a);
  return c;
}

function syntheticModel() {
  const c = new Case(7, 'synthetic-model');
  const s = c.session(1);
  s.add(s.user('2025-04-14T13:00:00', 'Add a --verbose flag.'));
  s.add(s.assistant('2025-04-14T13:00:03', { id: 'msg_c07_T', req: 'req_c07_T', tokens: [10, 30, 900, 0], block: text('Added --verbose.') }));
  s.add(s.user('2025-04-14T13:01:00', 'Also document it.'));
  // Claude Code's own responses: an API error (with a requestId) and an interrupted turn (without one).
  s.add(
    s.assistant('2025-04-14T13:01:01', {
      id: '7e5a0c1d-4b1e-4d7a-9f00-000000000001',
      req: 'req_c07_syn',
      model: '<synthetic>',
      tokens: [0, 0, 0, 0],
      stop: 'stop_sequence',
      block: text("API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again later."),
      extra: { apiErrorIsTransient: false, error: 'rate_limit', isApiErrorMessage: true, apiErrorStatus: 429 },
    }),
  );
  s.add(s.user('2025-04-14T13:01:55', [text('[Request interrupted by user]')]));
  s.add(
    s.assistant('2025-04-14T13:02:00', {
      id: '7e5a0c1d-4b1e-4d7a-9f00-000000000002',
      model: '<synthetic>',
      tokens: [0, 0, 0, 0],
      stop: 'stop_sequence',
      block: text('No response requested.'),
    }),
  );
  s.add(s.user('2025-04-14T13:04:58', 'Document the flag in the README.'));
  s.add(
    s.assistant('2025-04-14T13:05:00', { id: 'msg_c07_U', req: 'req_c07_U', tokens: [2, 18, 40, 900], block: text('Documented --verbose in the README.') }),
  );
  c.write(`${sessionId(7, 1)}.jsonl`, s);
  return c;
}

function compaction() {
  const c = new Case(8, 'compaction');
  const cwd = c.cwd;
  const s = c.session(1, { branch: 'feat/export' });
  s.add(s.hookProgress('2025-04-21T19:59:58', 'SessionStart'));
  s.add(s.user('2025-04-21T20:00:00', 'Add CSV export to the report command.'));
  s.add(
    s.assistant('2025-04-21T20:00:04', {
      id: 'msg_c08_V',
      req: 'req_c08_V',
      model: OPUS,
      tokens: [8, 120, 40000, 0],
      stop: 'tool_use',
      block: toolUse('toolu_c08_1', 'Read', { file_path: `${cwd}/src/report.ts` }),
    }),
  );
  s.add(
    s.toolResult('2025-04-21T20:00:05', 'toolu_c08_1', 'export function report(rows) {\n  return rows.map(String).join("\\n");\n}', {
      type: 'text',
      file: { filePath: `${cwd}/src/report.ts`, content: 'export function report(rows) {}', numLines: 3, startLine: 1, totalLines: 3 },
    }),
  );
  s.add(
    s.assistant('2025-04-21T20:00:09', {
      id: 'msg_c08_W',
      req: 'req_c08_W',
      model: OPUS,
      tokens: [1, 60, 2000, 40000],
      stop: 'tool_use',
      block: toolUse('toolu_c08_2', 'TodoWrite', {
        todos: [
          { content: 'Add --csv flag', status: 'in_progress', activeForm: 'Adding --csv flag' },
          { content: 'Write the CSV test', status: 'pending', activeForm: 'Writing the CSV test' },
        ],
      }),
    }),
  );
  s.add(s.toolResult('2025-04-21T20:00:10', 'toolu_c08_2', 'Todos have been modified successfully.', { oldTodos: [], newTodos: [] }));
  s.add(s.user('2025-04-21T20:09:58', '<command-name>/compact</command-name>\n<command-message>compact</command-message>\n<command-args></command-args>'));
  // The compaction: a boundary, the summary, the command echo; the summarizer's call has no assistant record.
  const boundary = s.base('system', '2025-04-21T20:10:00', {
    subtype: 'compact_boundary',
    content: 'Conversation compacted',
    isMeta: false,
    level: 'info',
    compactMetadata: { trigger: 'manual', preTokens: 42181, postTokens: 9120, durationMs: 21000, cumulativeDroppedTokens: 33061 },
  });
  s.add({ ...boundary, parentUuid: null, logicalParentUuid: boundary.parentUuid });
  s.add(
    s.user(
      '2025-04-21T20:10:00',
      'This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\n\nSummary:\n1. Primary Request and Intent:\n   The user asked for CSV export in the report command.\n2. Pending Tasks:\n   - Add --csv flag\n   - Write the CSV test',
      { isCompactSummary: true, isVisibleInTranscriptOnly: true },
    ),
  );
  s.add(s.user('2025-04-21T20:10:01', '<local-command-stdout>Compacted (ctrl+o to see full summary)</local-command-stdout>', { repeatsCompactSummary: true }));
  // Cumulative for the session, summarizer included: not a usage record.
  s.add({
    type: 'cost-state',
    totalCostUSD: 0.412,
    totalAPIDuration: 31000,
    totalDuration: 610000,
    startTime: Date.parse('2025-04-21T19:59:58Z'),
    sessionId: s.o.sid,
    modelUsage: {
      [OPUS]: {
        inputTokens: 9012,
        outputTokens: 1980,
        thinkingTokens: 0,
        cacheReadInputTokens: 40000,
        cacheCreationInputTokens: 42000,
        webSearchRequests: 0,
        costUSD: 0.412,
      },
    },
  });
  s.add(s.user('2025-04-21T20:11:00', 'Go on with the flag.'));
  s.add(
    s.assistant('2025-04-21T20:11:05', {
      id: 'msg_c08_X',
      req: 'req_c08_X',
      model: OPUS,
      tokens: [3, 70, 6000, 0],
      stop: 'tool_use',
      block: toolUse('toolu_c08_3', 'Edit', {
        file_path: `${cwd}/src/report.ts`,
        old_string: 'export function report(rows) {',
        new_string: 'export function report(rows, csv = false) {',
      }),
    }),
  );
  s.add(
    s.toolResult('2025-04-21T20:11:06', 'toolu_c08_3', `The file ${cwd}/src/report.ts has been updated.`, {
      filePath: `${cwd}/src/report.ts`,
      oldString: 'export function report(rows) {',
      newString: 'export function report(rows, csv = false) {',
      structuredPatch: [],
    }),
  );
  c.write(`${sessionId(8, 1)}.jsonl`, s);
  return c;
}

function blocks() {
  const c = new Case(9, 'blocks');
  // Response k has usage (k, 2k, 10k, 100k).
  const r = (s, k, at) => s.assistant(at, { id: `msg_c09_e${k}`, req: `req_c09_e${k}`, tokens: [k, 2 * k, 10 * k, 100 * k], block: text(`Step ${k} done.`) });
  const s = c.session(1);
  s.add(s.user('2025-05-05T08:46:50', 'Migrate the tables one by one.'));
  s.add(
    r(s, 1, '2025-05-05T08:47:00'),
    r(s, 2, '2025-05-05T13:00:00'),
    r(s, 3, '2025-05-05T13:00:00.001'),
    r(s, 4, '2025-05-05T17:59:59'),
    r(s, 5, '2025-05-06T00:00:00'),
  );
  const e6 = r(s, 6, '2025-05-06T00:10:00');
  delete e6.timestamp;
  s.add(e6);
  c.write(`${sessionId(9, 1)}.jsonl`, s);
  const s2 = c.session(2);
  s2.add(s2.user('2025-05-06T02:29:50', 'Check the migrated tables.'));
  s2.add(r(s2, 7, '2025-05-06T02:30:00'));
  c.write(`${sessionId(9, 2)}.jsonl`, s2);
  return c;
}

function fork() {
  const c = new Case(10, 'fork');
  const a = c.session(1);
  const first = [
    a.user('2025-05-12T07:00:00', 'Sketch the cache layout.'),
    a.assistant('2025-05-12T07:00:05', { id: 'msg_c10_Y', req: 'req_c10_Y', tokens: [2, 20, 200, 0], block: text('One index file and one journal.') }),
  ];
  a.add(...first);
  a.add(a.user('2025-05-12T07:00:50', 'And invalidation?'));
  a.add(a.assistant('2025-05-12T07:01:00', { id: 'msg_c10_Z', req: 'req_c10_Z', tokens: [1, 10, 20, 200], block: text('By file size and head bytes.') }));
  c.write(`${sessionId(10, 1)}.jsonl`, a);
  // `--fork-session`: the new session's file starts with copies of the earlier lines (same ids), under its own session id.
  const b = c.session(2);
  b.add(...first.map((rec) => ({ ...rec, sessionId: b.o.sid })));
  b.add(b.user('2025-05-12T07:30:00', 'Try a single file instead.'));
  b.add(
    b.assistant('2025-05-12T07:31:00', { id: 'msg_c10_AA', req: 'req_c10_AA', tokens: [3, 30, 300, 220], block: text('A single append-only file works too.') }),
  );
  c.write(`${sessionId(10, 2)}.jsonl`, b);
  return c;
}

/** Every case, in the order of their directories. */
const CASES = [blocks, compaction, fork, noRequestId, progressSubagent, severalPerLine, sidechain, streamedDuplicates, subagentFiles, syntheticModel];

/**
 * The fixture files: path relative to the fixtures folder (`<case>/projects/<project>/...`) -> content.
 * Pure and deterministic. Throws if two cases write the same path.
 * @returns {Map<string, string>}
 */
export function fixtureFiles() {
  const out = new Map();
  for (const make of CASES) {
    for (const [rel, body] of make().files) {
      if (out.has(rel)) throw new Error(`two cases write ${rel}`);
      out.set(rel, body);
    }
  }
  return out;
}

/** Writes the fixture files under `outDir`; returns how many. */
export function writeFixtures(outDir) {
  const files = fixtureFiles();
  for (const [rel, body] of files) {
    const file = path.join(outDir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
  return files.size;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = values.out ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'transcripts');
  console.log(`wrote ${writeFixtures(out)} files under ${out}`);
}
