#!/usr/bin/env bash
# Runs the stream end-to-end suites (WebSocket, /changes and /events) N times in a row while the rest of the test suite
# runs beside them in a loop, so timing-dependent failures show on a busy machine. Stops at the first failure and keeps
# its log. Usage: scripts/soak.sh [N] (default 10); after `swift build --build-tests`.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-10}
STREAMS="WebSocketEndToEndTests|ChangesEndToEndTests"
LOGS=$(mktemp -d)
# The test bundle run directly: two `swift test` at once wait on each other's lock of the build folder, so the suite
# would not run beside the streams at all.
TESTS="$(swift build --show-bin-path)/ptn-servePackageTests.xctest"
run_tests() { "$TESTS" --testing-library swift-testing "$@"; }

( while true; do run_tests --skip "$STREAMS" >"$LOGS/beside.log" 2>&1 || true; done ) &
BESIDE=$!
trap 'kill "$BESIDE" 2>/dev/null; pkill -P "$BESIDE" 2>/dev/null || true' EXIT

for run in $(seq 1 "$RUNS"); do
    started=$(date +%s)
    if run_tests --filter "$STREAMS" >"$LOGS/run-$run.log" 2>&1; then
        echo "run $run/$RUNS passed in $(( $(date +%s) - started )) s"
    else
        echo "run $run/$RUNS FAILED; log: $LOGS/run-$run.log"
        grep -E "✘|recorded an issue" "$LOGS/run-$run.log" | head -20
        exit 1
    fi
done
echo "all $RUNS runs passed"
