#!/usr/bin/env bash
# A terminal chat with the running assistant (start it first with `make run`).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$ROOT"
setup_venv
ensure_env_file
export ACTION_PORT=${ACTION_PORT:-5055}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}
SHELL_PORT=${SHELL_PORT:-5006}
"$PY" "$ROOT/scripts/parts.py" check --command "make shell" "the terminal chat's Rasa server|SHELL_PORT|0|$SHELL_PORT|127.0.0.1"
train_if_needed
# Its own Rasa server listens on loopback only, like the rest of the laptop stack.
exec "$VENV/bin/rasa" shell -m "$ROOT/models/current.tar.gz" --endpoints endpoints.yml -i 127.0.0.1 -p "$SHELL_PORT"
