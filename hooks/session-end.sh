# SessionEnd front (POSIX sh; Claude Code gives it about 1.5 s, with every other session's hooks maybe
# running): spools the payload as it came (its time is the end's) and starts the background tracker
# unless one runs; the tracker marks the session ended (cco_spool_payload in front.sh).
cco_node_front=session-end.cjs
. "${0%/*}/front.sh"
cco_spool_payload SessionEnd
exit 0
