# Stop front (POSIX sh; Claude Code waits for it at the end of every turn): spools the payload as it
# came (`cco/spool/hook.Stop.<session>.<pid>.json`, with shell builtins) and starts the background
# tracker unless one runs, so the turn's final response is tracked. When notices wait for the person,
# the node front shows them instead (hooks/stop.ts; a systemMessage only: additionalContext on Stop
# would make the model go on, so the model's part waits for the next prompt).
cco_node_front=stop.cjs
. "${0%/*}/front.sh"
cco_show_notices person
cco_spool_payload Stop
exit 0
