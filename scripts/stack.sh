# start_stack / stop_stack: every process of the product, in the background,
# logging to $LOG_DIR. Used by scripts/run.sh and scripts/test.sh. Sourced.

STACK_PIDS=()

start_proc() {
  # start_proc NAME COMMAND...
  local name=$1; shift
  "$@" >"$LOG_DIR/$name.log" 2>&1 &
  STACK_PIDS+=($!)
}

start_stack() {
  mkdir -p "$LOG_DIR" "$ROOT/var"
  "$PY" -m bot.cli migrate >"$LOG_DIR/migrate.log" 2>&1 || { cat "$LOG_DIR/migrate.log" >&2; return 1; }
  if [ "${LOCAL_RECEIVER:-1}" = "1" ]; then
    start_proc receiver "$PY" -m bot.delivery.fake_receiver --host 127.0.0.1 --port "$RECEIVER_PORT" \
      --store "$ROOT/var/received_handoffs${STACK_SUFFIX:-}.jsonl"
  fi
  start_replicas || return 1
  # The member web chat and adviser inbox (bot/web); its chat proxy reaches Rasa on RASA_PORT.
  start_proc web "$PY" -m bot.web --host "${WEB_INTERFACE:-127.0.0.1}" --port "${WEB_PORT:-5058}"
  wait_for_replicas || return 1
  wait_for_url "http://127.0.0.1:${WEB_PORT:-5058}/health" 30 "The web chat and inbox" || return 1
  if [ "${LOCAL_RECEIVER:-1}" = "1" ]; then
    wait_for_url "http://127.0.0.1:$RECEIVER_PORT/health" 30 "The local handoff receiver" || return 1
  fi
}

start_replicas() {
  # Action servers, delivery workers and Rasa servers, RASA_REPLICAS / ACTION_REPLICAS /
  # WORKER_REPLICAS of each (default 1). Replica i listens on base port + 100*i, and Rasa
  # replica i talks to action server i mod ACTION_REPLICAS. Several Rasa replicas need
  # the shared stores of endpoints.production.yml (ASSISTANT_ENV=production).
  local endpoints i action_url
  endpoints=$(rasa_endpoints_file) || return 1
  if [ "$endpoints" != "endpoints.yml" ]; then production_defaults || return 1; fi
  if [ "${RASA_REPLICAS:-1}" -gt 1 ] && ! uses_shared_stores "$endpoints"; then
    echo "RASA_REPLICAS=${RASA_REPLICAS} needs a shared tracker and lock store: set ASSISTANT_ENV=production" >&2
    return 1
  fi
  for ((i = 0; i < ${ACTION_REPLICAS:-1}; i++)); do
    start_proc "$(replica_name actions "$i")" "$PY" -m rasa_addons.action_server --actions actions \
      -p "$(replica_port "$ACTION_PORT" "$i")"
  done
  for ((i = 0; i < ${WORKER_REPLICAS:-1}; i++)); do
    start_proc "$(replica_name worker "$i")" "$PY" -m bot.delivery.worker
  done
  local api=()
  [ -n "${RASA_AUTH_TOKEN:-}" ] && api=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
  for ((i = 0; i < ${RASA_REPLICAS:-1}; i++)); do
    action_url=$ACTION_ENDPOINT_URL
    if [ "${ACTION_REPLICAS:-1}" -gt 1 ]; then
      action_url="http://127.0.0.1:$(replica_port "$ACTION_PORT" $((i % ACTION_REPLICAS)))/webhook"
    fi
    start_proc "$(replica_name rasa "$i")" env ACTION_ENDPOINT_URL="$action_url" \
      "$VENV/bin/rasa" run -m "$ROOT/models/current.tar.gz" -i "${RASA_INTERFACE:-127.0.0.1}" \
      -p "$(replica_port "$RASA_PORT" "$i")" --endpoints "$endpoints" --credentials credentials.yml "${api[@]}"
  done
}

wait_for_replicas() {
  local i
  for ((i = 0; i < ${ACTION_REPLICAS:-1}; i++)); do
    wait_for_url "http://127.0.0.1:$(replica_port "$ACTION_PORT" "$i")/health" 90 "Action server $i" || return 1
  done
  for ((i = 0; i < ${RASA_REPLICAS:-1}; i++)); do
    wait_for_url "http://127.0.0.1:$(replica_port "$RASA_PORT" "$i")/" 240 "Rasa server $i" || return 1
  done
}

stop_stack() {
  local pid
  for pid in "${STACK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STACK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  STACK_PIDS=()
}
