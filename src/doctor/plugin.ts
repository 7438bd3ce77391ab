import { fix, ok, type CheckResult } from './check.ts';
import type { JsonRead } from '../store/read-json.ts';
import { isObj } from '../util/is-obj.ts';

/** The plugin's name (`.claude-plugin/plugin.json`) and the local marketplace install.sh registers. */
const PLUGIN = 'cco';
const LOCAL_MARKETPLACE = 'cco-local';

/** What the plugin check reads: `<config dir>/settings.json` and `<config dir>/plugins/installed_plugins.json`. */
export interface PluginFacts {
  settingsFile: string;
  settings: JsonRead;
  installedFile: string;
  installed: JsonRead;
}

/**
 * Plugin registered and enabled (reference §2.2, §2.3, §8): `enabledPlugins["cco@<marketplace>"]` is
 * true in settings.json, and the marketplace is known (`extraKnownMarketplaces`, the settings-file
 * registration) or the plugin is installed (`plugins/installed_plugins.json`, the CLI registration).
 * Also `disableAllHooks`, which turns off every hook and the status line. Pure.
 */
export function checkPlugin(f: PluginFacts): CheckResult[] {
  const install = `claude plugin marketplace add <git url or checkout of claude-code-optimizer> && claude plugin install ${PLUGIN}@${LOCAL_MARKETPLACE} (or ./install.sh in a clone)`;
  if (f.settings.kind === 'invalid')
    return [
      fix('plugin', `${f.settingsFile} is not valid JSON (${f.settings.reason})`, `repair ${f.settingsFile}; Claude Code cannot read its plugins from it`),
    ];
  const settings = f.settings.kind === 'ok' && isObj(f.settings.value) ? f.settings.value : {};
  const enabled = isObj(settings.enabledPlugins) ? settings.enabledPlugins : {};
  const ids = Object.keys(enabled).filter((k) => k.startsWith(`${PLUGIN}@`));
  const out: CheckResult[] = [];
  const on = ids.filter((k) => enabled[k] === true);
  if (on.length === 0) {
    if (ids.length > 0)
      out.push(fix('plugin', `${ids[0]} is disabled in ${f.settingsFile}`, `claude plugin enable ${ids[0]} (or set enabledPlugins["${ids[0]}"] to true)`));
    else out.push(fix('plugin', `${PLUGIN} is not enabled in ${f.settingsFile}`, install));
  } else {
    const id = on[0]!;
    const marketplace = id.slice(PLUGIN.length + 1);
    const known = isObj(settings.extraKnownMarketplaces) && settings.extraKnownMarketplaces[marketplace] !== undefined;
    const installedMap = f.installed.kind === 'ok' && isObj(f.installed.value) && isObj(f.installed.value.plugins) ? f.installed.value.plugins : {};
    const installed = installedMap[id] !== undefined;
    if (known || installed) {
      out.push(ok('plugin', `${id} enabled in ${f.settingsFile}; ${installed ? `installed (${f.installedFile})` : `marketplace ${marketplace} registered`}`));
    } else {
      out.push(fix('plugin', `${id} is enabled but neither installed (${f.installedFile}) nor its marketplace ${marketplace} registered`, install));
    }
  }
  if (settings.disableAllHooks === true) {
    out.push(fix('plugin', `disableAllHooks is true in ${f.settingsFile}: no hook and no status line runs`, `remove "disableAllHooks" from ${f.settingsFile}`));
  }
  return out;
}

/**
 * The status line: ours (`.../dist/statusline.cjs"`, or an earlier install's `.../dist/cli.mjs" statusline`,
 * maybe wrapping the user's), or not. Without it there are no official 5-hour and 7-day readings, only
 * estimates. An earlier install's command works, but costs a few times more per message: reinstall. Pure.
 */
export function checkStatusLine(f: PluginFacts): CheckResult {
  const settings = f.settings.kind === 'ok' && isObj(f.settings.value) ? f.settings.value : {};
  const sl = settings.statusLine;
  const cmd = isObj(sl) && typeof sl.command === 'string' ? sl.command : null;
  if (cmd !== null && /cli\.mjs"?\s+statusline(\s|$)/.test(cmd)) {
    return fix(
      'statusline',
      'cco status line set by an earlier install (dist/cli.mjs statusline): it works, but the status line front dist/statusline.cjs costs a fraction of it per message',
      '/cco:setup in Claude Code (or ./install.sh --register-only in a clone installed with it): updates the command, keeps what it wraps',
    );
  }
  if (cmd !== null && /statusline\.cjs"?(\s|$)/.test(cmd)) {
    return ok(
      'statusline',
      /\s--wrap[\s=]/.test(cmd) ? 'cco wraps your status line (official readings are saved)' : 'cco status line set (official readings are saved)',
    );
  }
  return cmd === null
    ? fix(
        'statusline',
        `no status line in ${f.settingsFile}: only estimates, no official readings`,
        '/cco:setup in Claude Code (or ./install.sh --register-only in a clone installed with it)',
      )
    : fix(
        'statusline',
        `the status line is not cco's (${cmd.slice(0, 80)}): no official readings are saved`,
        "/cco:setup wrap in Claude Code (keeps yours and adds cco's segment; or ./install.sh --register-only --statusline wrap in a clone installed with it)",
      );
}
