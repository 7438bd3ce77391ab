# Shared part of the shell hook fronts (sourced by post-tool-use.sh, stop.sh, user-prompt-submit.sh and
# session-end.sh; POSIX sh). Claude Code runs PostToolUse after every tool call (async: it does not wait),
# waits for Stop after every turn and UserPromptSubmit before every prompt, and gives SessionEnd about
# 1.5 s: these fronts do their common case with shell builtins, never starting node in Claude's way
# (issue 17). What only node can do (an unusual CLAUDE_CONFIG_DIR, a first event, notices
# to show) is handed to the node front with `exec`, which reads the same stdin.
#
# In: $cco_node_front (the node front to exec), $0 (this hook's path).
# Out: $cco_dist (the plugin's dist/), $cco_dir (<state dir>/cco), $cco_sid (the session id).

umask 077
case $0 in */*) cco_dist=${0%/*}/../dist ;; *) cco_dist=../dist ;; esac

cco_slow() {
  command -v node >/dev/null 2>&1 || {
    echo 'cco: no node on PATH for Claude Code: cco needs Node.js 20.17+ there (install it, or set env.PATH in settings.json)' >&2
    exit 1
  }
  exec node "$cco_dist/hooks/$cco_node_front"
}

# cco's state dir as src/claude/config-dirs.ts resolves it, for the plain cases; the rest goes to node.
cco_cfg=${CLAUDE_CONFIG_DIR-}
case $cco_cfg in
  '')
    case ${HOME-} in /*) ;; *) cco_slow ;; esac
    if [ -d "$HOME/.config/claude" ]; then cco_cfg=$HOME/.config/claude; else cco_cfg=$HOME/.claude; fi
    case $cco_cfg in *//* | */./* | */../*) cco_slow ;; esac
    ;;
  # A list, a relative or ~ path, spaces at an end, or a path node would normalise: node resolves it.
  *,* | [!/]* | *' ' | *'	' | */ | *//* | */. | */./* | */.. | */../*) cco_slow ;;
esac
cco_dir=$cco_cfg/cco

cco_sid=${CLAUDE_CODE_SESSION_ID-}
case $cco_sid in '' | *[!A-Za-z0-9_-]*) cco_slow ;; esac
# Before the first node front made them, there is no spool to write into.
[ -d "$cco_dir/spool" ] || cco_slow

# Hands over to the node front when notices wait for this session in the outbox (src/front/outbox.ts;
# the node front shows them). $1: who this event shows notices to (`person`, `model`; none: both): a
# file that one saw already (`<session>.<n>.seen-<who>.json`) waits for the other.
cco_show_notices() {
  for cco_f in "$cco_dir/outbox/$cco_sid".*.json; do
    case $cco_f in *".seen-${1-}.json") [ -n "${1-}" ] && continue ;; esac
    [ -e "$cco_f" ] && cco_slow
    break
  done
}

# Starts the background tracker (dist/tracker.mjs) when the kick files say one is due
# (src/tracker/kick-files.ts). $1: a file just written (its mtime is "now"); $2: 1 to honour the
# throttle (a tool call), 0 not to (a session's end).
cco_kick() {
  [ "${CCO_TRACKER-}" = manual ] && return 0
  if [ -e "$cco_dir/kick" ]; then
    if [ "$2" = 1 ]; then [ "$1" -nt "$cco_dir/kick" ] || return 0; fi
    mv -f "$cco_dir/kick" "$cco_dir/kick.$$" 2>/dev/null || return 0
  elif [ -e "$cco_dir/kick-deadline" ] && ! [ "$1" -nt "$cco_dir/kick-deadline" ]; then
    return 0 # a tracker runs (it sets the deadline when it starts)
  fi
  command -v node >/dev/null 2>&1 || return 0
  # At normal priority: niced, it starved beside a CPU-heavy job (a build) and tracking stopped.
  nohup node "$cco_dist/tracker.mjs" </dev/null >/dev/null 2>&1 &
}

# Spools this hook's stdin as it came, as `cco/spool/hook.<event>.<session>.<pid>.json` (its mtime is the
# event's time), with shell builtins only (no cat, no mv: many sessions may end at once), then starts the
# background tracker unless one runs. The tracker leaves such a file alone while it does not parse yet
# and is young (it may still be being written; src/tracker/spool-read.ts). $1: the event name.
cco_spool_payload() {
  cco_file=$cco_dir/spool/hook.$1.$cco_sid.$$.json
  cco_first=
  if ! {
    while IFS= read -r cco_line; do
      [ -n "$cco_first" ] || case $cco_line in *[![:space:]]*) cco_first=$cco_line ;; esac
      printf '%s\n' "$cco_line"
    done
    [ -n "$cco_first" ] || cco_first=$cco_line
    [ -z "$cco_line" ] || printf '%s' "$cco_line"
  } >"$cco_file" 2>/dev/null; then
    echo "cco: $1 hook: could not spool the event into $cco_dir/spool" >&2
    return 0
  fi
  # What Claude Code sends is one JSON object; anything else is said here in one line (the tracker
  # logs and drops it; its session is caught up by its next event all the same).
  case ${cco_first#"${cco_first%%[![:space:]]*}"} in '{'*) ;; *) echo "cco: $1 hook: stdin is not a JSON object; the event is dropped" >&2 ;; esac
  cco_kick "$cco_file" 0
}
