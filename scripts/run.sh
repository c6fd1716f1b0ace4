#!/usr/bin/env bash
# The product on this machine: set up, train if needed, start every part, say where to chat.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/stack.sh"
cd "$ROOT"
setup_venv
ensure_env_file
export RASA_PORT=${RASA_PORT:-5005} ACTION_PORT=${ACTION_PORT:-5055} RECEIVER_PORT=${RECEIVER_PORT:-5056}
export WEB_PORT=${WEB_PORT:-5058}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}
export HANDOFF_WEBHOOK_URL=${HANDOFF_WEBHOOK_URL:-http://127.0.0.1:$RECEIVER_PORT/handoffs}
LOG_DIR="$ROOT/var/log"
train_if_needed
trap 'echo; echo "Stopping..."; stop_stack; exit 0' INT TERM
start_stack || { stop_stack; echo "Start-up failed; see $LOG_DIR" >&2; exit 1; }
cat <<MSG

The assistant is running. Ctrl-C stops everything.
  Web chat (members):     http://127.0.0.1:$WEB_PORT/
  Adviser inbox:          http://127.0.0.1:$WEB_PORT/inbox   (create an account: .venv/bin/python -m bot.cli advisers add EMAIL --role admin)
  Chat in this terminal:  make shell          (in another terminal)
  REST channel:           POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook  {"sender": "me", "message": "hi"}
  Handoffs received:      http://127.0.0.1:$RECEIVER_PORT/handoffs  (local fake adviser endpoint; needs the webhook secret)
  Cases (advisers):       .venv/bin/python -m bot.cli cases list
  Logs:                   $LOG_DIR
  Configuration:          $(rasa_endpoints_file); Rasa x${RASA_REPLICAS:-1}, actions x${ACTION_REPLICAS:-1}, workers x${WORKER_REPLICAS:-1} (replica i on base port + 100*i)
MSG
while true; do
  for pid in "${STACK_PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "A process stopped unexpectedly; see $LOG_DIR" >&2; stop_stack; exit 1; fi
  done
  sleep 2
done
