# PostToolUse front (POSIX sh; declared `async` in hooks.json, so Claude Code does not wait for it after
# a tool call, issue 17): marks that the session moved on (`cco/spool/poke.<session>`, one file per
# session, a byte per tool call) and starts a background tracker at most once per KICK_THROTTLE_MS
# (src/tracker/kick-files.ts). When a note for the model waits (a quota or context alert), the node front
# prints it instead (hooks/post-tool-use.ts; an async hook's output reaches the model in a later request,
# and is not shown to the person: their line waits for Stop). The transcript is the ledger: a poke never
# tracked costs nothing, the session's next event catches up the same.
cco_node_front=post-tool-use.cjs
. "${0%/*}/front.sh"
cco_show_notices model
cco_poke=$cco_dir/spool/poke.$cco_sid
# Anything but a regular file there (a FIFO would block the write below): node spools instead, and the
# tracker clears it away.
if [ -e "$cco_poke" ] && ! [ -f "$cco_poke" ]; then cco_slow; fi
# One byte per tool call: the tracker counts the tool calls a poke stands for by its size.
{ echo >>"$cco_poke"; } 2>/dev/null || cco_slow
cco_kick "$cco_poke" 1
exit 0
