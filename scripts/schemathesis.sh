#!/usr/bin/env bash
# Checks the route files against their JSON Schema, then, for the PTN demo and for the example subnet of
# examples/forecast-subnet, validates the OpenAPI document the server generates and runs schemathesis (every check)
# against the live server. Called by .ci/run after `swift test` (which builds the binary). Bounded: a few examples
# per operation, a time cap. /events is left out of the fuzzing: it is a stream that does not end (its own tests
# read it with a bound).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${PTN_SERVE_BINARY:-.build/debug/ptn-serve}
EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-25}

echo "== route files against docs/route-file.schema.json"
python3 - Sources/PTNServe/Profiles/*.yaml examples/*/routes.yaml <<'PY'
import json, sys, jsonschema, yaml
schema = json.load(open("docs/route-file.schema.json"))
for path in sys.argv[1:]:
    jsonschema.validate(yaml.safe_load(open(path)), schema)
    print("valid:", path)
PY

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_ready PORT LOG: until /ready answers (60 s at most); else prints LOG and fails.
wait_ready() {
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$1/ready" >/dev/null && return 0
        sleep 0.2
    done
    cat "$2"; echo "server did not become ready"; return 1
}
# fuzz DOC PORT KEY MAX_TIME REPORT: every schemathesis check against the live server (/events is a stream: left out).
fuzz() {
    timeout 600 schemathesis run "$1" \
        --url "http://127.0.0.1:$2" \
        --checks all \
        --header "Authorization: Bearer $3" \
        --exclude-path /events \
        --max-examples "$EXAMPLES" \
        --max-time "$4" \
        --seed 48888 \
        --generation-database none \
        --no-color \
        --report-dir "$5"
}
# demo_key DIR: the tier 100 demo key, read from the key file the demo wrote (never printed).
demo_key() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["demo-tier-100"]["key"])' "$1/ptn_api/api_keys.json"; }
PORT=$(free_port)
METRICS_PORT=$(free_port)
WORK=$(mktemp -d)
# Rate limits raised: schemathesis sends thousands of requests a minute with one key (the limits have their own tests).
"$BIN" demo --out "$WORK/demo" --port "$PORT" --metrics-port "$METRICS_PORT" --ws-port 0 \
    --rate-limit 1000000/s --ip-rate-limit 1000000/s >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_ready "$PORT" "$WORK/server.log"
KEY=$(demo_key "$WORK/demo")

DOC="$WORK/openapi.json"
curl -fs "http://127.0.0.1:$PORT/openapi.json" -o "$DOC"
echo "== openapi-spec-validator (ptn profile)"
openapi-spec-validator "$DOC"

echo "== /metrics answers on its own port, and not on the public one"
# Read whole before grep: `grep -q` stops at the first match, and curl, cut off mid-write, would fail the pipe.
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" -o "$WORK/metrics.txt"
grep -q '^ptn_serve_ready 1' "$WORK/metrics.txt"
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" = 404

echo "== schemathesis $(schemathesis --version 2>/dev/null | tail -1)"
fuzz "$DOC" "$PORT" "$KEY" 120 "$WORK/report"

echo "== the example subnet: its generated OpenAPI document, validated and fuzzed"
EXAMPLE_PORT=$(free_port)
cp -r examples/forecast-subnet/data "$WORK/example"
chmod 600 "$WORK/example/state/api_keys.json"
"$BIN" serve --routes examples/forecast-subnet/routes.yaml --data-dir "$WORK/example" --port "$EXAMPLE_PORT" \
    --metrics-port 0 --ws-port 0 --rate-limit 1000000/s --ip-rate-limit 1000000/s >"$WORK/example.log" 2>&1 &
EXAMPLE_SERVER=$!
trap 'kill "$EXAMPLE_SERVER" 2>/dev/null || true; cleanup' EXIT
wait_ready "$EXAMPLE_PORT" "$WORK/example.log"
curl -fs "http://127.0.0.1:$EXAMPLE_PORT/openapi.json" -o "$WORK/example-openapi.json"
openapi-spec-validator "$WORK/example-openapi.json"
fuzz "$WORK/example-openapi.json" "$EXAMPLE_PORT" fc-gold-4d1e9a7c52b8 60 "$WORK/example-report"

echo "== the vanta profile: its generated OpenAPI document (ledgers, selections), validated and fuzzed"
VANTA_PORT=$(free_port)
"$BIN" demo --profile vanta --out "$WORK/vanta" --port "$VANTA_PORT" --metrics-port 0 --ws-port 0 --tick 0 \
    --rate-limit 1000000/s --ip-rate-limit 1000000/s >"$WORK/vanta.log" 2>&1 &
VANTA_SERVER=$!
trap 'kill "$VANTA_SERVER" "$EXAMPLE_SERVER" 2>/dev/null || true; cleanup' EXIT
wait_ready "$VANTA_PORT" "$WORK/vanta.log"
curl -fs "http://127.0.0.1:$VANTA_PORT/openapi.json" -o "$WORK/vanta-openapi.json"
openapi-spec-validator "$WORK/vanta-openapi.json"
fuzz "$WORK/vanta-openapi.json" "$VANTA_PORT" "$(demo_key "$WORK/vanta")" 120 "$WORK/vanta-report"
