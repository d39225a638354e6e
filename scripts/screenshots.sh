#!/usr/bin/env bash
# Refreshes docs/screenshots/ from the browser tests (run it when a page changes; the test suite itself writes its
# screenshots to a temporary folder). Needs what scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
PTN_SERVE_SCREENSHOTS="$PWD/docs/screenshots" swift test --filter BrowserEndToEndTests
