#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests drive (Debian packages and PyPI modules, each only
# when missing), then runs `swift test` and the OpenAPI checks against live servers (scripts/schemathesis.sh).
# `.ci/run` runs exactly this. Needs root (or sudo) for apt-get the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: curl (the seed README's curl lines), openssl (the TLS tests' certificates), chromium (the explorer
# and console tests, driven by Playwright through the system browser: Playwright's own download cannot work offline),
# postgresql (the shared-storage and replica tests start throwaway servers with its initdb and pg_ctl, which Debian
# keeps in /usr/lib/postgresql/<version>/bin, off PATH), nginx (the replica tests put deploy/nginx-replicas.conf in
# front of three replicas).
apt_missing=()
command -v curl >/dev/null 2>&1 || apt_missing+=(curl)
command -v openssl >/dev/null 2>&1 || apt_missing+=(openssl)
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
{ command -v initdb || ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || apt_missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || apt_missing+=(nginx)
if [ ${#apt_missing[@]} -gt 0 ]; then
    echo "== installing ${apt_missing[*]} (apt-get)"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt_missing[@]}"
fi

# PyPI: requests (the seed README's Python snippet), websockets (PTN's and Vanta's WebSocket clients), jsonschema and
# pyyaml (the route files against their schema), playwright (the browser tests), schemathesis and
# openapi-spec-validator (the OpenAPI document, validated and fuzzed).
pip_missing=()
python3 -c "import requests" >/dev/null 2>&1 || pip_missing+=(requests)
python3 -c "import websockets" >/dev/null 2>&1 || pip_missing+=(websockets)
python3 -c "import jsonschema" >/dev/null 2>&1 || pip_missing+=(jsonschema)
python3 -c "import yaml" >/dev/null 2>&1 || pip_missing+=(pyyaml)
python3 -c "import playwright" >/dev/null 2>&1 || pip_missing+=(playwright)
command -v openapi-spec-validator >/dev/null 2>&1 || pip_missing+=(openapi-spec-validator)
if [ ${#pip_missing[@]} -gt 0 ]; then
    echo "== installing ${pip_missing[*]} (pip)"
    python3 -m pip install --quiet "${pip_missing[@]}"
fi

# schemathesis: always the current release, so the OpenAPI checks find what a buyer's tooling of today would.
echo "== schemathesis, current release (pip)"
python3 -m pip install --quiet --upgrade schemathesis || command -v schemathesis >/dev/null

swift test
scripts/schemathesis.sh
