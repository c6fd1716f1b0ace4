#!/usr/bin/env bash
# `make benchmark`: our assistant beside Rasa's starter assistant, same load, one run (bench/).
# Sets up the product's venv (and trains ours only if its inputs changed, as `make run`
# does), builds .bench-venv for Locust and py-spy from bench/requirements.lock, then
# runs `python -m bench.run`, which writes results/benchmark.md. About 15-20 minutes.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$ROOT"
setup_venv

BENCH_VENV="$ROOT/.bench-venv"
setup_bench_venv() {
  # Locust pulls in gevent, Flask and friends: kept out of the product's venv and lock.
  local want have
  want=$(sha256sum "$ROOT/bench/requirements.lock" | cut -d' ' -f1)
  have=$(cat "$BENCH_VENV/.lock-sha256" 2>/dev/null || true)
  [ "$want" = "$have" ] && [ -x "$BENCH_VENV/bin/locust" ] && return 0
  echo "Creating .bench-venv (Locust, py-spy) from bench/requirements.lock"
  local base; base=$(find_python310) || exit 1
  [ -x "$BENCH_VENV/bin/python" ] || "$base" -m venv "$BENCH_VENV"
  "$BENCH_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
  "$BENCH_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$ROOT/bench/requirements.lock"
  "$BENCH_VENV/bin/python" -m pip check
  echo "$want" > "$BENCH_VENV/.lock-sha256"
}
setup_bench_venv

# If ours must be (re)trained anyway, that training is the one timed; otherwise
# bench.run times a fresh training into a temporary folder (BENCH_TRAIN_OURS=0 skips it).
if [ ! -f "$ROOT/models/current.tar.gz" ] || [ "$(cat "$ROOT/models/.fingerprint" 2>/dev/null)" != "$(model_fingerprint)" ]; then
  started=$(date +%s)
  train_if_needed
  BENCH_OUR_TRAIN_SECONDS=$(($(date +%s) - started))
  export BENCH_OUR_TRAIN_SECONDS
fi

exec "$PY" -m bench.run
