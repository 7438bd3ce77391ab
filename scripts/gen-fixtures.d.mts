/** The session id of session `k` (1-based) of case `c`. */
export function sessionId(c: number, k: number): string;
/** The fixture files: path relative to the fixtures folder (`<case>/projects/...`) -> content. Pure. */
export function fixtureFiles(): Map<string, string>;
/** Writes the fixture files under `outDir`; returns how many. */
export function writeFixtures(outDir: string): number;
