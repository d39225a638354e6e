#!/usr/bin/env bash
# ptn-serve benchmark (issue 3): one command.
#
#   bench/run.sh            full run (about 8 minutes on 2 cores, plus the first release build, plus about 6 for the
#                           replicas' section), writes bench/RESULTS.md
#   bench/run.sh --quick    smoke run (about 3 minutes, plus about 2 for the replicas), writes RESULTS.md into its work dir only
#
# After the main table, feed_bench.py measures the change feed (1,000 subscribers, diff CPU, bytes); --no-feed skips it.
# Then replica_bench.py measures three replicas sharing a throwaway PostgreSQL (freshness through a follower, a
# follower's lookups against a replica without a database, 5,000 WebSocket subscribers on one); --no-replicas skips it.
#
# Other options are passed to bench.py (--no-seed, --duration S, --seed-duration S, --reload-duration S, --results F).
# Environment:
#   PTN_SERVE_BIN=path   use this ptn-serve binary instead of building one (it is copied before use)
#   PTN_BARE_BIN=path    the floor's binary (bench-bare-hummingbird; default: beside ptn-serve)
#   PTN_BENCH_DATA=dir   where the generated data set lives (default /tmp/ptn-bench-data; reused while current)
#   PTN_BENCH_NO_INSTALL=1  do not apt-get / pip install missing tools
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
DATA="${PTN_BENCH_DATA:-${TMPDIR:-/tmp}/ptn-bench-data}"

# Stop whatever this script started, whatever way it ends.
child=""
cleanup() {
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf 'run.sh: %s\n' "$*" >&2; }

# ---- tools
if [[ "${PTN_BENCH_NO_INSTALL:-0}" != 1 ]]; then
  missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! python3 -c 'import websockets' 2>/dev/null; then
    log "installing websockets (the change feed's WebSocket subscribers)"
    python3 -m pip install -q websockets 2>/dev/null || python3 -m pip install -q --break-system-packages websockets
  fi
  # The replicas' section starts its own PostgreSQL (initdb and postgres, not a system service).
  if [[ " $* " != *" --no-replicas "* ]] && ! command -v initdb >/dev/null \
      && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    log "installing postgresql (the replicas' shared database)"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  if ! python3 -c 'import flask, waitress' 2>/dev/null; then
    log "installing flask and waitress"
    python3 -m pip install -q flask waitress 2>/dev/null \
      || python3 -m pip install -q --break-system-packages flask waitress
  fi
fi
export PATH="$PATH:/usr/sbin"
for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }
done
python3 -c 'import flask, waitress' || { log "python3 lacks flask/waitress"; exit 1; }

# ---- ptn-serve
if [[ -n "${PTN_SERVE_BIN:-}" ]]; then
  BIN="$PTN_SERVE_BIN"
  log "using PTN_SERVE_BIN=$BIN"
else
  log "building ptn-serve and bench-bare-hummingbird (swift build -c release)"
  swift build -c release --package-path "$REPO" >&2
  BIN="$REPO/.build/release/ptn-serve"
fi
[[ -x "$BIN" ]] || { log "no executable at $BIN"; exit 1; }
# The floor: the same bytes through Hummingbird alone, built with ptn-serve.
BARE="${PTN_BARE_BIN:-$(dirname "$BIN")/bench-bare-hummingbird}"
[[ -x "$BARE" ]] || { log "no executable at $BARE (set PTN_BARE_BIN)"; exit 1; }

# ---- data set (regenerated only when the generator or its inputs change)
python3 "$BENCH_DIR/gen_data.py" "$DATA" >&2

# ---- the benchmark
cmd="bench/run.sh${*:+ $*}"
[[ -n "${PTN_SERVE_BIN:-}" ]] && cmd="PTN_SERVE_BIN=$PTN_SERVE_BIN $cmd"
[[ -n "${PTN_BARE_BIN:-}" ]] && cmd="PTN_BARE_BIN=$PTN_BARE_BIN $cmd"
[[ -n "${PTN_BENCH_DATA:-}" ]] && cmd="PTN_BENCH_DATA=$PTN_BENCH_DATA $cmd"
python3 "$BENCH_DIR/bench.py" --bin "$BIN" --bare-bin "$BARE" --data "$DATA" --command "$cmd" "$@" &
child=$!
wait "$child"
