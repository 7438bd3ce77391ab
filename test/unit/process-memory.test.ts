import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { claudePidFrom } from '../../src/claude/claude-pid.ts';
import { processAlive } from '../../src/claude/process-alive.ts';
import { probeProcess, rssFromProcStatus, rssFromPsOutput } from '../../src/claude/process-memory.ts';

const hasPs = process.platform !== 'win32' && spawnSync('ps', ['-o', 'rss=', '-p', String(process.pid)]).status === 0;

/** A pid that existed and is gone: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  expect(r.status).toBe(0);
  return r.pid!;
}

describe('probeProcess', () => {
  it.runIf(process.platform === 'linux')('this process: alive, with a positive RSS from /proc (Linux)', () => {
    const p = probeProcess(process.pid);
    expect(p.alive).toBe(true);
    expect(p.source).toBe('/proc/<pid>/status VmRSS');
    expect(p.rssBytes).toBeGreaterThan(1024 * 1024);
    // the same order of magnitude as Node's own figure (both are resident bytes)
    const own = process.memoryUsage.rss();
    expect(p.rssBytes!).toBeGreaterThan(own / 4);
    expect(p.rssBytes!).toBeLessThan(own * 4);
  });

  it.runIf(hasPs)('this process through ps (the macOS path) gives a positive RSS too', () => {
    const p = probeProcess(process.pid, 'darwin');
    expect(p.alive).toBe(true);
    expect(p.source).toBe('ps -o rss=');
    expect(p.rssBytes).toBeGreaterThan(1024 * 1024);
  });

  it('a dead pid: not alive, no RSS', () => {
    const pid = deadPid();
    expect(processAlive(pid)).toBe(false);
    for (const platform of ['linux', 'darwin'] as const) {
      expect(probeProcess(pid, platform)).toEqual({ pid, alive: false, rssBytes: null, source: 'process gone' });
    }
  });

  it('never probes pid 0, negative or fractional pids (process groups in kill(2))', () => {
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN]) {
      expect(processAlive(pid)).toBeNull();
      expect(probeProcess(pid)).toMatchObject({ alive: null, rssBytes: null, source: 'invalid pid' });
    }
  });
});

describe('parsers', () => {
  it('VmRSS in kB from /proc/<pid>/status', () => {
    expect(rssFromProcStatus('Name:\tclaude\nState:\tS (sleeping)\nVmPeak:\t 999 kB\nVmRSS:\t  412345 kB\nVmData: 1 kB\n')).toBe(412_345 * 1024);
    expect(rssFromProcStatus('Name:\tkworker\nState:\tI (idle)\n')).toBeNull();
  });

  it('ps -o rss= output in KiB', () => {
    expect(rssFromPsOutput('  98304\n')).toBe(98_304 * 1024);
    expect(rssFromPsOutput('')).toBeNull();
    expect(rssFromPsOutput('RSS\n123\n')).toBeNull();
  });
});

describe('claudePidFrom', () => {
  it('reads CLAUDE_PID as a positive integer', () => {
    expect(claudePidFrom({ CLAUDE_PID: '12345' })).toBe(12_345);
    expect(claudePidFrom({ CLAUDE_PID: ' 77\n' })).toBe(77);
  });

  it('null when absent or not a positive integer', () => {
    for (const v of [undefined, '', '0', '-5', '12abc', '1.5', '0x1f', '99999999999', ' ']) {
      expect(claudePidFrom({ CLAUDE_PID: v })).toBeNull();
    }
    expect(claudePidFrom({})).toBeNull();
  });
});
