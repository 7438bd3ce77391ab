# UserPromptSubmit front (POSIX sh; Claude Code waits for it before every prompt is sent): when notices
# wait for this session, the node front shows them (hooks/user-prompt-submit.ts: the person's line and
# the model's note, which reaches this turn's first request); otherwise nothing. Tracking needs nothing
# here: the previous turn's Stop handed it over.
cco_node_front=user-prompt-submit.cjs
. "${0%/*}/front.sh"
cco_show_notices
exit 0
