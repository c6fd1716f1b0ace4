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
  start_proc actions "$VENV/bin/rasa" run actions --actions actions -p "$ACTION_PORT"
  start_proc worker "$PY" -m bot.delivery.worker
  local api=()
  [ -n "${RASA_AUTH_TOKEN:-}" ] && api=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
  start_proc rasa "$VENV/bin/rasa" run -m "$ROOT/models/current.tar.gz" -i "${RASA_INTERFACE:-127.0.0.1}" \
    -p "$RASA_PORT" --endpoints endpoints.yml --credentials credentials.yml "${api[@]}"
  wait_for_url "http://127.0.0.1:$ACTION_PORT/health" 90 "The action server" || return 1
  wait_for_url "http://127.0.0.1:$RASA_PORT/" 180 "The Rasa server" || return 1
  if [ "${LOCAL_RECEIVER:-1}" = "1" ]; then
    wait_for_url "http://127.0.0.1:$RECEIVER_PORT/health" 30 "The local handoff receiver" || return 1
  fi
}

stop_stack() {
  local pid
  for pid in "${STACK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STACK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  STACK_PIDS=()
}
