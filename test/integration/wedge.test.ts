// Nothing wedges tracking (issue 17): a transcript_path that is no regular file, a lock whose holder
// died, a process told to stop while it waits. Real bundles, temp homes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOOK_BUNDLES, runBundle, syncTracker } from '../helpers/spawn-bundle.ts';
import { ROOT, tempHomePerTest, type TempHome } from '../helpers/sandbox-env.ts';
import { until } from '../helpers/until.ts';
import { assistantLine } from '../helpers/one-response.ts';

const newHome = tempHomePerTest();

const usageLine = (sid: string, id: string, out: number): string =>
  assistantLine({ sessionId: sid, id, cwd: '/work/p', isSidechain: false, content: [{ type: 'text', text: 'x' }], usage: [1, out, 0, 0] }) + '\n';

const tokensOf = (h: TempHome, sid: string): number | undefined => {
  try {
    return (
      JSON.parse(readFileSync(path.join(h.configDir, 'session-tracker.json'), 'utf8')) as { sessions: Record<string, { tokens: { output_tokens: number } }> }
    ).sessions[sid]?.tokens.output_tokens;
  } catch {
    return undefined;
  }
};

/** Pids of processes whose environment names this temp home's config dir and that run one of our bundles. */
function ourProcesses(h: TempHome): number[] {
  const out: number[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n) || Number(n) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8');
      if (!cmd.includes(path.join(ROOT, 'dist'))) continue;
      if (readFileSync(`/proc/${n}/environ`, 'utf8').split('\0').includes(`CLAUDE_CONFIG_DIR=${h.configDir}`)) out.push(Number(n));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

const exited = (p: ChildProcess): Promise<number> => new Promise((res) => p.on('exit', () => res(performance.now())));

describe.skipIf(process.platform !== 'linux')('transcript paths that are no regular file', () => {
  it('FIFO, socket, directory and /proc file are refused before any open; a normal event after them is tracked in seconds, by at most one tracker that then goes', async () => {
    const h = newHome();
    const env = h.env();
    const odd = path.join(h.home, 'odd');
    mkdirSync(odd, { recursive: true });
    const fifo = path.join(odd, 'fifo.jsonl');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const sock = path.join(odd, 'sock.jsonl');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.on('listening', r));
    const dir = path.join(odd, 'dir.jsonl');
    mkdirSync(dir);
    const kinds = [fifo, sock, dir, '/proc/self/status', '/dev/zero'];
    try {
      for (const [i, t] of kinds.entries()) {
        for (const bundle of [HOOK_BUNDLES['session-start'], HOOK_BUNDLES.stop]) {
          const r = await runBundle(
            bundle,
            JSON.stringify({ session_id: `odd-${i}`, transcript_path: t, cwd: '/work/p', hook_event_name: 'Stop', source: 'startup' }),
            env,
            { timeoutMs: 10_000 },
          );
          expect(r, t).toMatchObject({ code: 0, signal: null, stderr: '' });
        }
      }
      const tdir = path.join(h.configDir, 'projects', '-work-p');
      mkdirSync(tdir, { recursive: true });
      const good = path.join(tdir, 'good.jsonl');
      writeFileSync(good, usageLine('good', '1', 33));
      const r = await runBundle(HOOK_BUNDLES.stop, JSON.stringify({ session_id: 'good', transcript_path: good, cwd: '/work/p', hook_event_name: 'Stop' }), env);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      // A tracker that finds the lock taken exits at once; what must not happen is trackers that stay
      // (each blocked on a FIFO, say). Each process seen: when first and last.
      const seen = new Map<number, [number, number]>();
      const tracked = await until(() => {
        for (const pid of ourProcesses(h)) seen.set(pid, [seen.get(pid)?.[0] ?? Date.now(), Date.now()]);
        return tokensOf(h, 'good') === 33;
      }, 10_000);
      expect(tracked).toBe(true);
      expect(
        await until(() => {
          for (const pid of ourProcesses(h)) seen.set(pid, [seen.get(pid)?.[0] ?? Date.now(), Date.now()]);
          return ourProcesses(h).length === 0;
        }, 10_000),
      ).toBe(true);
      const stayed = [...seen.values()].filter(([a, b]) => b - a > 1_000);
      expect(stayed.length).toBeLessThanOrEqual(1);
      // Each path refused once, in one line that says what it is.
      const log = readFileSync(path.join(h.configDir, 'cco', 'logs', 'cco.log'), 'utf8');
      for (const [t, kind] of [
        [fifo, 'a FIFO'],
        [sock, 'a socket'],
        [dir, 'a directory'],
        ['/proc/self/status', 'a file on /proc'],
        ['/dev/zero', 'a device'],
      ] as const) {
        const lines = log.split('\n').filter((l) => l.includes(JSON.stringify(JSON.stringify(t)).slice(1, -1)));
        expect(lines, t).toHaveLength(1);
        expect(lines[0], t).toContain(`is ${kind}; the event is not tracked`);
      }
      for (const i of kinds.keys()) expect(tokensOf(h, `odd-${i}`)).toBeUndefined();
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('stopping while waiting', () => {
  /** A lock held by a live process (a `sleep`), as a busy writer would hold it. */
  function holdLock(file: string): ChildProcess {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    mkdirSync(`${file}.lock`, { recursive: true });
    writeFileSync(`${file}.lock.holder`, `${sleeper.pid} ${os.hostname()}\n`);
    return sleeper;
  }

  it('SIGTERM ends `cco sync` waiting for a busy tracker within a second', async () => {
    const h = newHome();
    const env = h.env();
    mkdirSync(path.join(h.configDir, 'cco', 'spool'), { recursive: true });
    writeFileSync(path.join(h.configDir, 'cco', 'spool', 'poke.s1'), '\n');
    const sleeper = holdLock(path.join(h.configDir, 'cco', 'tracker'));
    try {
      const cli = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.mjs'), 'sync', '--wait-ms', '60000'], { env, stdio: 'ignore' });
      const gone = exited(cli);
      await new Promise((r) => setTimeout(r, 700));
      expect(cli.exitCode).toBeNull(); // still waiting
      const t0 = performance.now();
      cli.kill('SIGTERM');
      expect((await gone) - t0).toBeLessThan(1_000);
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(path.join(h.configDir, 'cco', 'tracker.lock'), { recursive: true, force: true });
    }
  }, 30_000);

  it('SIGTERM ends a tracker waiting for a state lock within a second; the event stays spooled for the next one', async () => {
    const h = newHome();
    const env = h.env();
    const tdir = path.join(h.configDir, 'projects', '-work-p');
    mkdirSync(tdir, { recursive: true });
    const t = path.join(tdir, 's2.jsonl');
    writeFileSync(t, usageLine('s2', '1', 7));
    expect(await runBundle(HOOK_BUNDLES.stop, JSON.stringify({ session_id: 's2', transcript_path: t }), h.env({ CCO_TRACKER: 'manual' }))).toMatchObject({
      code: 0,
    });
    const sleeper = holdLock(path.join(h.configDir, 'session-tracker.json'));
    try {
      const tracker = spawn(process.execPath, [path.join(ROOT, 'dist', 'tracker.mjs')], { env, stdio: 'ignore' });
      const gone = exited(tracker);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(tracker.exitCode).toBeNull(); // waiting for the lock
      const t0 = performance.now();
      tracker.kill('SIGTERM');
      expect((await gone) - t0).toBeLessThan(1_000);
      expect(readdirSync(path.join(h.configDir, 'cco', 'spool')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    } finally {
      sleeper.kill('SIGKILL');
    }
    // The holder gone, the next run tracks it.
    await syncTracker(env);
    expect(tokensOf(h, 's2')).toBe(7);
  }, 30_000);

  it('a tracker SIGKILLed while holding its lock does not stop tracking: the next hook takes the lock over at once, even after a clock step back', async () => {
    const h = newHome();
    const env = h.env();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const lock = path.join(h.configDir, 'cco', 'tracker');
    mkdirSync(`${lock}.lock`, { recursive: true });
    writeFileSync(`${lock}.lock.holder`, `${dead} ${os.hostname()}\n`);
    // The clock stepped back 1 h after the holder died: its lock time lies an hour ahead.
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(`${lock}.lock`, ahead, ahead);
    const tdir = path.join(h.configDir, 'projects', '-work-p');
    mkdirSync(tdir, { recursive: true });
    const t = path.join(tdir, 's3.jsonl');
    writeFileSync(t, usageLine('s3', '1', 9));
    expect(await runBundle(HOOK_BUNDLES.stop, JSON.stringify({ session_id: 's3', transcript_path: t }), env)).toMatchObject({ code: 0 });
    expect(await until(() => tokensOf(h, 's3') === 9, 10_000)).toBe(true);
    // The planted lock (dated an hour ahead, its holder dead) would stay for good had it not been taken
    // over; the tracker that took it lets go once it is done (the state shows its work a moment before).
    expect(await until(() => !existsSync(`${lock}.lock`), 10_000)).toBe(true);
  }, 30_000);
});
