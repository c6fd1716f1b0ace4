#!/usr/bin/env bash
# The product on this machine: check the ports, set up, train if needed, start every part,
# say where to chat. Whatever ends it (Ctrl-C, a closed terminal, a pipe whose reader has
# gone, a part that stops by itself, an error), every process it started is stopped: the
# parts share a process group that `finish` stops (scripts/stack.sh).
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/stack.sh"
cd "$ROOT"

finish() {
  # finish CODE [WHY]: stop whatever this run started, once, then exit with CODE. Signals
  # and write errors are ignored from here on: saying "Stopping" to a console that is
  # gone must not cut the stopping short.
  local code=$1 why=${2:-}
  trap '' INT TERM HUP PIPE
  trap - EXIT
  set +e
  if [ -n "$STACK_PGID" ]; then
    [ -z "$why" ] || { say ""; say "Stopping every part ($why)..."; }
    stop_stack
    if [ -n "$why" ]; then say "Stopped."; else say_err "Stopped every part this run had started."; fi
  fi
  exit "$code"
}
trap 'finish 130 "Ctrl-C"' INT
trap 'finish 143 "SIGTERM"' TERM
trap 'finish 129 "the terminal closed"' HUP
trap 'finish 141 "the output pipe closed"' PIPE
trap 'finish $?' EXIT

# Before anything is installed, trained or started: are the ports free?
if [ -f "$ROOT/.env" ]; then load_env_file "$ROOT/.env"; fi
stack_defaults
check_ports
setup_venv
ensure_env_file
stack_defaults
check_action_endpoint
train_if_needed
check_ports  # again: something may have taken one while the model trained
start_stack
say "Starting every part (the Rasa server takes about a minute to load the model); logs in ${LOG_DIR#"$ROOT"/}/"
wait_for_stack
printf '%s\n' "" \
  "The assistant is running. Ctrl-C stops everything." \
  "  Web chat (members):     http://127.0.0.1:$WEB_PORT/" \
  "  Adviser inbox:          http://127.0.0.1:$WEB_PORT/inbox   (create an account: .venv/bin/python -m bot.entrypoints.cli advisers add EMAIL --role admin)" \
  "  Chat in this terminal:  make shell          (in another terminal)" \
  "  REST channel:           POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook  {\"sender\": \"me\", \"message\": \"hi\"}" \
  "  Handoffs received:      http://127.0.0.1:$RECEIVER_PORT/handoffs  (local fake adviser endpoint; needs the webhook secret)" \
  "  Email notices kept:     var/received_mail.jsonl  (the local mail relay on port $MAIL_PORT; no personal data)" \
  "  Cases (advisers):       .venv/bin/python -m bot.entrypoints.cli cases list" \
  "  Logs:                   $LOG_DIR" \
  "  Configuration:          $(rasa_endpoints_file); Rasa x$RASA_REPLICAS, actions x$ACTION_REPLICAS, workers x$WORKER_REPLICAS (replica i on base port + 100*i)"
watch_stack || case $? in
  2) finish 129 "the terminal closed" ;;
  *) say_err "Stopping the other parts; the logs are in ${LOG_DIR#"$ROOT"/}/"; exit 1 ;;
esac
