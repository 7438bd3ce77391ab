import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_ROTATE_BYTES, logLine } from '../../src/store/log.ts';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';

let h: TempHome;
afterEach(() => h?.cleanup());

describe('cco.log', () => {
  it('appends one JSON line per call, and rotates to cco.log.1 past its size limit', () => {
    h = tempHome();
    const file = path.join(h.configDir, 'cco', 'logs', 'cco.log');
    logLine(file, 'warn', 'tracker', 'first\nsecond line', new Date('2026-11-21T10:00:00Z'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ at: '2026-11-21T10:00:00.000Z', level: 'warn', where: 'tracker', msg: 'first second line' });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'x'.repeat(LOG_ROTATE_BYTES + 1));
    logLine(file, 'error', 'tracker', 'after rotation');
    expect(statSync(`${file}.1`).size).toBe(LOG_ROTATE_BYTES + 1);
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['after rotation']);
    expect(existsSync(`${file}.2`)).toBe(false);
  });
});
