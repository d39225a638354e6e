#!/usr/bin/env bash
# Validates the OpenAPI document, then runs schemathesis (every check) against a live server on the demo data set.
# Called by .ci/run after `swift test` (which builds the binary). Bounded: a few examples per operation, a time cap.
set -euo pipefail
cd "$(dirname "$0")/.."

DOC=Sources/PTNServe/OpenAPI/openapi.json
BIN=${PTN_SERVE_BINARY:-.build/debug/ptn-serve}
EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}

echo "== openapi-spec-validator $DOC"
openapi-spec-validator "$DOC"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
METRICS_PORT=$(free_port)
WORK=$(mktemp -d)
# Rate limits raised: schemathesis sends thousands of requests a minute with one key (the limits have their own tests).
"$BIN" demo --out "$WORK/demo" --port "$PORT" --metrics-port "$METRICS_PORT" \
    --rate-limit 1000000/s --ip-rate-limit 1000000/s >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null && break
    sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null || { cat "$WORK/server.log"; echo "server did not become ready"; exit 1; }

# The tier 100 demo key, read from the key file the demo wrote (never printed).
KEY=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["demo-tier-100"]["key"])' "$WORK/demo/ptn_api/api_keys.json")

echo "== /metrics answers on its own port, and not on the public one"
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" | grep -q '^ptn_serve_ready 1'
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" = 404

echo "== schemathesis $(schemathesis --version 2>/dev/null | tail -1)"
timeout 600 schemathesis run "$DOC" \
    --url "http://127.0.0.1:$PORT" \
    --checks all \
    --header "Authorization: Bearer $KEY" \
    --max-examples "$EXAMPLES" \
    --max-time 120 \
    --seed 48888 \
    --generation-database none \
    --no-color \
    --report-dir "$WORK/report"
