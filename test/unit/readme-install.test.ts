import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/sandbox-env.ts';
import { CLAUDE_CODE_VERSION } from '../e2e/claude-version.ts';

// The README's install section quotes names and versions that live elsewhere; this keeps them equal.

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const install = readme.slice(readme.indexOf('## Install\n'), readme.indexOf('\n## ', readme.indexOf('## Install\n') + 1));
const json = (rel: string) => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, any>;

describe('the README install section', () => {
  it('adds the marketplace from the repository and installs the plugin under the names the manifests declare', () => {
    const market = json('.claude-plugin/marketplace.json');
    const plugin = json('.claude-plugin/plugin.json');
    const repoGit = (json('package.json').repository.url as string).replace(/^git\+/, '');
    const add = install.indexOf(`claude plugin marketplace add ${repoGit}\n`);
    const inst = install.indexOf(`claude plugin install ${plugin.name}@${market.name}\n`);
    const setup = install.indexOf(`/${plugin.name}:setup\n`);
    const clone = install.indexOf('./install.sh');
    expect([add, inst, setup, clone].every((i) => i >= 0)).toBe(true);
    expect([add, inst, setup, clone]).toEqual([add, inst, setup, clone].sort((a, b) => a - b));
  });

  it('names the Claude Code version the tests pin and the node the package needs', () => {
    expect(install).toContain(`Claude Code ${CLAUDE_CODE_VERSION} or later`);
    const [lowest, on22] = (json('package.json').engines.node as string).match(/\d+\.\d+/g)!;
    expect(install).toContain(`\`node\` ${lowest} or later (on 22, ${on22} or later) on your PATH`);
  });
});
