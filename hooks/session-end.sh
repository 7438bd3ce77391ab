# SessionEnd front (POSIX sh; Claude Code gives it about 1.5 s, with every other session's hooks maybe
# running): spools the payload as it came (`cco/spool/hook.SessionEnd.<session>.<pid>.json`, its time
# is the end's) with shell builtins only, and starts the background tracker unless one runs; the
# tracker marks the session ended. A reader may see the file before the write ends: the tracker leaves
# a raw hook file that does not parse yet alone for a few seconds (src/tracker/spool-read.ts).
cco_event=SessionEnd
cco_node_front=session-end.cjs
. "${0%/*}/front.sh"
cco_file=$cco_dir/spool/hook.SessionEnd.$cco_sid.$$.json
if ! {
  while IFS= read -r cco_line; do printf '%s\n' "$cco_line"; done
  [ -z "$cco_line" ] || printf '%s' "$cco_line"
} >"$cco_file" 2>/dev/null; then
  echo "cco: SessionEnd hook: could not spool the session's end into $cco_dir/spool" >&2
  exit 0
fi
cco_kick "$cco_file" 0
exit 0
