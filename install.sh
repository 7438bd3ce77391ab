#!/usr/bin/env bash
# Installs the cco plugin (claude-code-optimizer) from this checkout for the current user.
#
#   ./install.sh [--yes] [--build] [--no-claude-cli] [--statusline wrap|wrap-silent|replace|skip] [--no-seed-commands] [--force]
#   ./install.sh --uninstall [--yes] [--no-claude-cli] [--force]
#
# Steps: check Node >= 20.17; register the plugin (dist/ is committed: no build; --build runs npm ci and
# npm run build first, for a clone whose src/ you changed), either with the claude
# CLI (`claude plugin marketplace add <this dir>` + `claude plugin install cco@cco-local -s user`) or,
# without it, by adding `extraKnownMarketplaces["cco-local"]` and `enabledPlugins["cco@cco-local"]` to
# <config dir>/settings.json (atomic write under a lock, after a backup). <config dir> is the first
# entry of CLAUDE_CONFIG_DIR (a comma-separated list is allowed; every entry must be absolute or start
# with ~/, else nothing is done), else $HOME/.claude. What was added is
# recorded in <config dir>/cco/install-manifest.json; --uninstall removes exactly that.
# settings.json is changed by minimal text edits of those keys only: its comments, key order, spacing,
# line ends and numbers stay as they are. A read-only settings.json is refused (nothing changed) unless
# --force is given.
#
# Status line (a plugin cannot set it): after registering, `statusLine` in <config dir>/settings.json is
# set to `node "<this dir>/dist/statusline.cjs"` (this checkout: stable across plugin versions) only
# when none is set. If you have your own, a terminal run asks whether to wrap it (`cco statusline --wrap
# '<yours>'`: yours first, then cco's segment), replace it, or leave it; --yes leaves it and says how to
# opt in; --statusline chooses explicitly. The previous value is kept in the manifest and put back by
# --uninstall.
# Seed commands: /session-status, /context-status, /compact-context, /save-and-restart,
# /start-next-session and /create-calendar-events as user-level commands in <config dir>/commands/ (a
# plugin's own commands are only /cco:<name>); a command of that name you already have is kept, and
# --uninstall removes only ours. --no-seed-commands leaves them out.
# ~/.claude.json is never read or written by this script.
#
# Only bash builtins and node (npm with --build, and claude) are used, so it runs with a minimal PATH.
set -euo pipefail

usage() {
  printf '%s\n' \
    'usage: ./install.sh [options]' \
    '  -y, --yes            do not ask for confirmation (implied when stdin is not a terminal)' \
    '      --build          run `npm ci` and `npm run build` first (only needed after changing src/; dist/ is committed)' \
    '      --register-only  the default (register only); kept for scripts written when install.sh built first' \
    '      --no-claude-cli  do not use the `claude` CLI even if it is on PATH; edit settings.json instead' \
    '      --statusline M   what to do with settings.json statusLine when you already have one:' \
    '                       wrap (yours, then cco'"'"'s segment), wrap-silent (yours only; cco saves quietly),' \
    '                       replace (cco'"'"'s instead; uninstall puts yours back), skip (never touch statusLine).' \
    '                       Without it: set cco'"'"'s when none is set; ask about yours on a terminal.' \
    '      --no-seed-commands  do not add /session-status etc. as user-level commands (the plugin'"'"'s /cco:<name> stay)' \
    '      --uninstall      remove what a previous install added (reverse CLI commands / settings entries)' \
    '      --force          write settings.json even when it is read-only (without it, a read-only file is refused)' \
    '  -h, --help           show this help' \
    'Config dir: first entry of CLAUDE_CONFIG_DIR (comma-separated list allowed; entries must be absolute), else $HOME/.claude.'
}

die() {
  printf 'install.sh: error: %s\n' "$*" >&2
  exit 1
}

yes=0
build=0
use_claude=1
uninstall=0
statusline=""
seed_args=()
force_args=()
while (($# > 0)); do
  arg="$1"
  shift
  case "$arg" in
    -y | --yes) yes=1 ;;
    --register-only) build=0 ;;
    --build) build=1 ;;
    --no-claude-cli) use_claude=0 ;;
    --uninstall) uninstall=1 ;;
    --no-seed-commands) seed_args=(--no-seed-commands) ;;
    --force) force_args=(--force) ;;
    --statusline=*) statusline="${arg#--statusline=}" ;;
    --statusline)
      if (($# == 0)); then printf 'install.sh: --statusline needs a value\n' >&2; usage >&2; exit 2; fi
      statusline="$1"
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'install.sh: unknown option: %s\n' "$arg" >&2; usage >&2; exit 2 ;;
  esac
done
case "$statusline" in
  "" | auto | wrap | wrap-silent | replace | skip) ;;
  *) printf 'install.sh: --statusline must be wrap, wrap-silent, replace or skip, not: %s\n' "$statusline" >&2; usage >&2; exit 2 ;;
esac

# Repository root: the directory of this script, symlinks resolved (builtins only).
src="${BASH_SOURCE[0]}"
case "$src" in */*) ;; *) src="./$src" ;; esac
ROOT="$(cd -P -- "${src%/*}" && pwd -P)" || die "cannot locate the repository root"

trim() {
  local s="$1"
  s="${s#"${s%%[![:space:]]*}"}"
  s="${s%"${s##*[![:space:]]}"}"
  printf '%s' "$s"
}

# Same rule as src/install/config-dir.ts: a relative entry is refused (exit 2), never resolved against
# the working directory (src/claude/config-dirs.ts refuses it too, so cco would not find what we wrote).
resolve_config_dir() {
  local entry expanded first="" home
  home="$(trim "${HOME:-}")"
  local -a parts=()
  IFS=',' read -r -a parts <<<"${CLAUDE_CONFIG_DIR:-}" || true
  for entry in "${parts[@]+"${parts[@]}"}"; do
    entry="$(trim "$entry")"
    [[ -n "$entry" ]] || continue
    expanded="$entry"
    if [[ -n "$home" && ("$entry" == "~" || "$entry" == "~/"*) ]]; then expanded="${home}${entry:1}"; fi
    if [[ "$expanded" != /* ]]; then
      printf 'CLAUDE_CONFIG_DIR entry "%s" is not an absolute path: refused (cco writes nothing relative to the working directory)' "$entry"
      return 2
    fi
    [[ -n "$first" ]] || first="$expanded"
  done
  if [[ -n "$first" ]]; then
    printf '%s' "$first"
  elif [[ -n "$home" ]]; then
    [[ "$home" == /* ]] || home="$PWD/$home"
    printf '%s' "${home%/}/.claude"
  else
    return 1
  fi
}

resolved=0
CONFIG_DIR="$(resolve_config_dir)" || resolved=$?
((resolved != 2)) || die "$CONFIG_DIR"
((resolved == 0)) || die "neither CLAUDE_CONFIG_DIR nor HOME is set; cannot tell which config dir to use"

# Node >= 20.17 (and npm when we are going to run it).
command -v node >/dev/null 2>&1 || die "Node.js >= 20.17 is required, but 'node' is not on PATH"
node_version="$(node --version 2>/dev/null)" || die "Node.js >= 20.17 is required, but 'node --version' failed"
node_version="${node_version#v}"
IFS=. read -r node_major node_minor _ <<<"$node_version" || true
if ! [[ "${node_major:-}" =~ ^[0-9]+$ && "${node_minor:-}" =~ ^[0-9]+$ ]] ||
  ((node_major < 20 || (node_major == 20 && node_minor < 17))); then
  die "Node.js >= 20.17 is required, found ${node_version:-unknown}"
fi
if ((build == 1 && uninstall == 0)); then
  command -v npm >/dev/null 2>&1 || die "npm is required (it comes with Node.js), but 'npm' is not on PATH"
fi

CLAUDE=""
if ((use_claude == 1)); then
  CLAUDE="$(command -v claude 2>/dev/null || true)"
fi

if ((uninstall == 1)); then
  action="uninstall cco (plugin cco@cco-local) from $CONFIG_DIR"
elif [[ -n "$CLAUDE" ]]; then
  action="install cco from $ROOT and register it with $CLAUDE (config dir $CONFIG_DIR)"
else
  action="install cco from $ROOT and register it in $CONFIG_DIR/settings.json"
fi

# One confirmation, only when someone is there to answer.
if ((yes == 0)) && [[ -t 0 && -t 1 ]]; then
  read -r -p "This will $action. Continue? [Y/n] " answer || answer="n"
  case "$answer" in
    "" | y | Y | yes | YES | Yes) ;;
    *) printf 'install.sh: aborted, nothing changed\n' >&2; exit 1 ;;
  esac
fi

INSTALLER="$ROOT/dist/install.mjs"
claude_args=()
[[ -n "$CLAUDE" ]] && claude_args=(--claude "$CLAUDE")

if ((uninstall == 1)); then
  [[ -f "$INSTALLER" ]] || die "$INSTALLER is missing; restore dist/ (git checkout -- dist) or run ./install.sh --build"
  node "$INSTALLER" unregister --config-dir "$CONFIG_DIR" "${claude_args[@]+"${claude_args[@]}"}" "${force_args[@]+"${force_args[@]}"}"
  exit $?
fi

if ((build == 1)); then
  printf '==> npm ci\n'
  (cd "$ROOT" && npm ci) || die "npm ci failed"
  printf '==> npm run build\n'
  (cd "$ROOT" && npm run build) || die "npm run build failed"
fi
[[ -f "$INSTALLER" ]] || die "$INSTALLER is missing; restore dist/ (git checkout -- dist) or run ./install.sh --build"

# Your own status line: ask what to do with it, only when someone is there to answer.
if [[ -z "$statusline" ]] && ((yes == 0)) && [[ -t 0 && -t 1 ]]; then
  probe="$(node "$INSTALLER" statusline-probe --config-dir "$CONFIG_DIR" --repo "$ROOT" 2>/dev/null || true)"
  if [[ "$probe" == "theirs "* ]]; then
    printf 'You already have a status line: %s\n' "${probe#theirs }"
    printf 'cco can wrap it (yours first, then cco'"'"'s segment on the same line), replace it (uninstall puts yours back), or leave it.\n'
    read -r -p "Wrap, replace or leave it? [w/r/L] " answer || answer=""
    case "$answer" in
      w | W | wrap) statusline="wrap" ;;
      r | R | replace) statusline="replace" ;;
      *) statusline="skip" ;;
    esac
  fi
fi
statusline_args=(--statusline "${statusline:-auto}")

if [[ -n "$CLAUDE" ]]; then
  printf '==> registering with the claude CLI (%s)\n' "$CLAUDE"
  node "$INSTALLER" register --config-dir "$CONFIG_DIR" --repo "$ROOT" --mode cli "${claude_args[@]}" "${statusline_args[@]}" "${seed_args[@]+"${seed_args[@]}"}" "${force_args[@]+"${force_args[@]}"}"
else
  printf '==> registering in %s/settings.json\n' "$CONFIG_DIR"
  node "$INSTALLER" register --config-dir "$CONFIG_DIR" --repo "$ROOT" --mode settings "${statusline_args[@]}" "${seed_args[@]+"${seed_args[@]}"}" "${force_args[@]+"${force_args[@]}"}"
fi
printf 'done: start a new Claude Code session to load cco\n'
