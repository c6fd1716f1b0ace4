# The product's processes on this machine, for scripts/run.sh. Sourced.
#
#   check_ports    before anything starts: every port free, or which one is taken and why
#   start_stack    every part in the background, in one process group of its own, logging to $LOG_DIR
#   wait_for_stack until every part answers, from a process this run started
#   watch_stack    returns when a part stops by itself (1), having said which and why, or
#                  when the terminal it runs on has gone (2)
#   stop_stack     SIGTERM to the whole group, SIGKILL for what is left after $STOP_SECONDS
#
# Why one group: a Ctrl-C, a closed terminal or a dead pipe reader reaches scripts/run.sh,
# which stops the group; a part cannot be missed (the local receiver once ignored SIGINT
# and kept port 5056). scripts/in_group.py puts each part in the group and has the kernel
# stop it should scripts/run.sh itself be killed outright.

STACK_PGID=""     # the group, led by a placeholder process that lives as long as the stack
STACK_LEADER=""
STACK_PIDS=()     # the parts, in start order
STACK_NAMES=()    # their log names: receiver, actions, actions-1, worker, rasa, web
STACK_SPECS=()    # "variable|offset|port|interface|url" of each (scripts/parts.py)
STACK_TICKER=""   # watch_stack's two-second timer
STOP_SECONDS=20   # Rasa may take a dozen seconds to close its connections

stack_defaults() {
  # The ports and URLs of every part; an empty value (as .env.example has) means the default.
  export RASA_PORT=${RASA_PORT:-5005} ACTION_PORT=${ACTION_PORT:-5055} RECEIVER_PORT=${RECEIVER_PORT:-5056}
  export WEB_PORT=${WEB_PORT:-5058}
  export RASA_REPLICAS=${RASA_REPLICAS:-1} ACTION_REPLICAS=${ACTION_REPLICAS:-1} WORKER_REPLICAS=${WORKER_REPLICAS:-1}
  export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}
  export HANDOFF_WEBHOOK_URL=${HANDOFF_WEBHOOK_URL:-http://127.0.0.1:$RECEIVER_PORT/handoffs}
  export MAIL_PORT=${MAIL_PORT:-5057}
  if [ "${LOCAL_RECEIVER:-1}" = "1" ] && [ -z "${SMTP_HOST:-}" ]; then
    # The local receiver also keeps the email notices (devtools/mail_sink.py): on a laptop the
    # sample directory's email destinations work without a real relay.
    export SMTP_HOST=127.0.0.1 SMTP_PORT=$MAIL_PORT SMTP_STARTTLS=0 LOCAL_MAIL=1
  fi
}

part_title() {
  # part_title NAME: how the console names a part (NAME as in var/log/NAME.log).
  local base=${1%-[0-9]*} index=""
  [ "$base" != "$1" ] && index=" ${1##*-}"
  case "$base" in
    receiver) echo "the local handoff receiver" ;;
    mail) echo "the local mail relay" ;;
    actions) echo "the action server$index" ;;
    worker) echo "the delivery worker$index" ;;
    rasa) echo "the Rasa server$index" ;;
    web) echo "the web chat and inbox" ;;
    *) echo "$1" ;;
  esac
}

# --- which ports ---------------------------------------------------------------------------

stack_plan() {
  # One "NAME variable|offset|port|interface|url" line per part that listens (workers do not).
  local i port
  if [ "${LOCAL_RECEIVER:-1}" = "1" ]; then
    echo "receiver RECEIVER_PORT|0|$RECEIVER_PORT|127.0.0.1|http://127.0.0.1:$RECEIVER_PORT/health"
    # its mail relay: checked before anything starts, answered for by the receiver's health
    [ "${LOCAL_MAIL:-0}" = "1" ] && echo "mail MAIL_PORT|0|$MAIL_PORT|127.0.0.1|http://127.0.0.1:$RECEIVER_PORT/health"
  fi
  for ((i = 0; i < ACTION_REPLICAS; i++)); do
    port=$(replica_port "$ACTION_PORT" "$i")
    echo "$(replica_name actions "$i") ACTION_PORT|$((100 * i))|$port|${ACTION_INTERFACE:-127.0.0.1}|http://127.0.0.1:$port/health"
  done
  for ((i = 0; i < RASA_REPLICAS; i++)); do
    port=$(replica_port "$RASA_PORT" "$i")
    echo "$(replica_name rasa "$i") RASA_PORT|$((100 * i))|$port|${RASA_INTERFACE:-127.0.0.1}|http://127.0.0.1:$port/"
  done
  echo "web WEB_PORT|0|$WEB_PORT|${WEB_INTERFACE:-127.0.0.1}|http://127.0.0.1:$WEB_PORT/health"
}

planned_spec() {
  # planned_spec NAME: that part's line of stack_plan, without the name.
  local name spec
  while read -r name spec; do
    if [ "$name" = "$1" ]; then echo "$spec"; return 0; fi
  done < <(stack_plan)
  echo "||||"
}

check_ports() {
  # Every port this run will listen on is free; otherwise scripts/parts.py says which is
  # taken, by whom (its pid, when it is one of ours) and which variable moves it.
  local runner=$PY name spec specs=()
  [ -x "$runner" ] || runner=$(find_python310) || return 1
  while read -r name spec; do specs+=("$(part_title "$name")|$spec"); done < <(stack_plan)
  "$runner" "$ROOT/scripts/parts.py" check "${specs[@]}"
}

check_action_endpoint() {
  # Rasa must call the action server this run starts: an ACTION_ENDPOINT_URL left on
  # 127.0.0.1:5055 (older .env files have it) after ACTION_PORT moved would reach
  # another stack's action server, whose token differs, and every action would fail.
  local port
  [ "$ACTION_REPLICAS" -gt 1 ] && return 0
  [[ "$ACTION_ENDPOINT_URL" =~ ^https?://(127\.0\.0\.1|localhost):([0-9]+)/ ]] || return 0
  port=${BASH_REMATCH[2]}
  [ "$port" = "$ACTION_PORT" ] && return 0
  say_err "ACTION_ENDPOINT_URL ($ACTION_ENDPOINT_URL) points at port $port, but this run starts the action server on $ACTION_PORT (ACTION_PORT)."
  say_err "  Empty ACTION_ENDPOINT_URL in .env (it then follows ACTION_PORT), or set both. Nothing was started."
  return 1
}

# --- starting -------------------------------------------------------------------------------

start_group() {
  # A placeholder leads the group, so every part can join it however the others fare.
  "$PY" "$ROOT/scripts/in_group.py" 0 $$ sleep infinity </dev/null >/dev/null 2>&1 &
  STACK_LEADER=$!
  STACK_PGID=$STACK_LEADER
}

start_proc() {
  # start_proc NAME COMMAND...: a part, in the group, its output in $LOG_DIR/NAME.log.
  local name=$1; shift
  "$PY" "$ROOT/scripts/in_group.py" "$STACK_PGID" $$ "$@" </dev/null >"$LOG_DIR/$name.log" 2>&1 &
  STACK_PIDS+=($!)
  STACK_NAMES+=("$name")
  STACK_SPECS+=("$(planned_spec "$name")")
}

start_stack() {
  mkdir -p "$LOG_DIR" "$ROOT/var"
  if ! "$PY" -m bot.entrypoints.cli migrate >"$LOG_DIR/migrate.log" 2>&1; then
    say_err "The case database could not be migrated (DATABASE_URL)."
    "$PY" "$ROOT/scripts/parts.py" last-words "$LOG_DIR/migrate.log"
    return 1
  fi
  load_sample_directory || return 1
  start_group
  if [ "${LOCAL_RECEIVER:-1}" = "1" ]; then
    local mail=()
    [ "${LOCAL_MAIL:-0}" = "1" ] && mail=(--smtp-port "$MAIL_PORT" --mail-store "$ROOT/var/received_mail${STACK_SUFFIX:-}.jsonl")
    start_proc receiver "$PY" -m devtools.fake_receiver --host 127.0.0.1 --port "$RECEIVER_PORT" \
      --store "$ROOT/var/received_handoffs${STACK_SUFFIX:-}.jsonl" "${mail[@]}"
  fi
  start_replicas || return 1
  # The member web chat and adviser inbox (bot/entrypoints/web); its chat proxy reaches Rasa on RASA_PORT.
  start_proc web "$PY" -m bot.entrypoints.web --host "${WEB_INTERFACE:-127.0.0.1}" --port "$WEB_PORT"
}

load_sample_directory() {
  # An empty directory gets the fictional sample (directory/sample.yml), its webhooks pointed
  # at the local receiver's port; a directory the union has imported is left as it is.
  local sample="$ROOT/var/directory-sample.yml"
  sed "s#http://127.0.0.1:5056/#http://127.0.0.1:$RECEIVER_PORT/#" "$ROOT/directory/sample.yml" >"$sample"
  if ! "$PY" -m bot.entrypoints.cli directory import "$sample" --if-empty --by "make run" >"$LOG_DIR/directory.log" 2>&1; then
    say_err "The sample directory could not be loaded into the case database."
    "$PY" "$ROOT/scripts/parts.py" last-words "$LOG_DIR/directory.log"
    return 1
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
  if [ "$RASA_REPLICAS" -gt 1 ] && ! uses_shared_stores "$endpoints"; then
    say_err "RASA_REPLICAS=${RASA_REPLICAS} needs a shared tracker and lock store: set ASSISTANT_ENV=production"
    return 1
  fi
  for ((i = 0; i < ACTION_REPLICAS; i++)); do
    start_proc "$(replica_name actions "$i")" "$PY" -m rasa_addons.action_server --actions actions \
      -p "$(replica_port "$ACTION_PORT" "$i")"
  done
  for ((i = 0; i < WORKER_REPLICAS; i++)); do
    start_proc "$(replica_name worker "$i")" "$PY" -m bot.entrypoints.worker
  done
  local api=()
  [ -n "${RASA_AUTH_TOKEN:-}" ] && api=(--enable-api "--auth-token=$RASA_AUTH_TOKEN")
  for ((i = 0; i < RASA_REPLICAS; i++)); do
    action_url=$ACTION_ENDPOINT_URL
    if [ "$ACTION_REPLICAS" -gt 1 ]; then
      action_url="http://127.0.0.1:$(replica_port "$ACTION_PORT" $((i % ACTION_REPLICAS)))/webhook"
    fi
    start_proc "$(replica_name rasa "$i")" env ACTION_ENDPOINT_URL="$action_url" \
      "$VENV/bin/rasa" run -m "$ROOT/models/current.tar.gz" -i "${RASA_INTERFACE:-127.0.0.1}" \
      -p "$(replica_port "$RASA_PORT" "$i")" --endpoints "$endpoints" --credentials credentials.yml "${api[@]}"
  done
}

part_spec() {
  # part_spec INDEX: the part's "title|variable|offset|port|interface|url|pid|log".
  echo "$(part_title "${STACK_NAMES[$1]}")|${STACK_SPECS[$1]}|${STACK_PIDS[$1]}|$LOG_DIR/${STACK_NAMES[$1]}.log"
}

wait_for_stack() {
  local i specs=()
  for ((i = 0; i < ${#STACK_PIDS[@]}; i++)); do specs+=("$(part_spec "$i")"); done
  "$PY" "$ROOT/scripts/parts.py" wait "$STACK_PGID" "${specs[@]}"
}

# --- running, stopping ------------------------------------------------------------------------

watch_stack() {
  # Returns 1 when a part stops by itself (having said which and why), 2 when the terminal
  # `make run` was started on has gone. A trapped signal (Ctrl-C, SIGHUP...) interrupts the
  # wait at once. The terminal is looked at every two seconds because a closed one does not
  # always send us SIGHUP: when `make` itself leads the session (`ssh -t host make run`),
  # the kernel tells make alone, and make only waits for us.
  local i status part_status title on_terminal=0
  [ -t 1 ] && on_terminal=1
  while true; do
    sleep 2 & STACK_TICKER=$!
    status=0
    wait -n 2>/dev/null || status=$?  # (bash's own "Killed" notice goes nowhere: we say it better)
    kill "$STACK_TICKER" 2>/dev/null && wait "$STACK_TICKER" 2>/dev/null
    STACK_TICKER=""
    for ((i = 0; i < ${#STACK_PIDS[@]}; i++)); do
      if ! kill -0 "${STACK_PIDS[$i]}" 2>/dev/null; then
        part_status=0
        wait "${STACK_PIDS[$i]}" 2>/dev/null || part_status=$?
        [ "$part_status" -ne 127 ] || part_status=$status  # already collected by `wait -n`
        title=$(part_title "${STACK_NAMES[$i]}")
        say_err ""
        say_err "${title^} (pid ${STACK_PIDS[$i]}) stopped unexpectedly ($(describe_status "$part_status")); its log: ${LOG_DIR#"$ROOT"/}/${STACK_NAMES[$i]}.log"
        "$PY" "$ROOT/scripts/parts.py" last-words "$LOG_DIR/${STACK_NAMES[$i]}.log" || true
        return 1
      fi
    done
    if [ "$on_terminal" = 1 ] && ! [ -t 1 ]; then return 2; fi
  done
}

describe_status() {
  if [ "$1" -gt 128 ]; then echo "killed by SIG$(kill -l $(($1 - 128)) 2>/dev/null || echo "$(($1 - 128))")"; else echo "exit status $1"; fi
}

group_alive() {
  [ -n "$STACK_PGID" ] && kill -0 -- "-$STACK_PGID" 2>/dev/null
}

stop_stack() {
  # Every process of the group: SIGTERM (each part stops cleanly on it), then SIGKILL.
  if [ -n "$STACK_TICKER" ]; then kill "$STACK_TICKER" 2>/dev/null; STACK_TICKER=""; fi
  [ -n "$STACK_PGID" ] || return 0
  local i
  kill -TERM -- "-$STACK_PGID" 2>/dev/null
  for ((i = 0; i < STOP_SECONDS * 10; i++)); do
    group_alive || break
    sleep 0.1
  done
  if group_alive; then
    say "Some parts did not stop within ${STOP_SECONDS}s; killing them."
    kill -KILL -- "-$STACK_PGID" 2>/dev/null
  fi
  wait "$STACK_LEADER" "${STACK_PIDS[@]}" 2>/dev/null
  STACK_PGID="" STACK_LEADER="" STACK_PIDS=() STACK_NAMES=() STACK_SPECS=()
}
