#!/usr/bin/env python3
"""The billing export's target (issue 20): `ptn-serve usage --format csv` over 1,000 keys x 24 hours x 8 routes of
usage rows in ≤ 2 s.

Seeds the state folder's SQLite database directly (the usage_hours table as Sources/PTNServe/Subscriptions/UsageSQL.swift
creates it: the export checks the schema by reading every row back), then times the command, with no server running.

    bench/usage_export.py --bin .build/release/ptn-serve        # prints one JSON line; bench.py calls measure()
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

KEYS, HOURS, ROUTES = 1000, 24, 8
ROUTE_NAMES = ["/miner-positions", "/miner-positions/{hotkey}", "/statistics", "/statistics/{hotkey}", "/eliminations",
               "/miner-hotkeys", "/events", "ws"]
TARGET_S = 2.0

# Kept equal to UsageSQL.schema.
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS usage_hours(alias TEXT NOT NULL, route TEXT NOT NULL, hour_start BIGINT NOT NULL,
        requests BIGINT NOT NULL, bytes BIGINT NOT NULL, client_errors BIGINT NOT NULL, rate_limited BIGINT NOT NULL,
        stream_seconds BIGINT NOT NULL, PRIMARY KEY(alias, route, hour_start))""",
    "CREATE INDEX IF NOT EXISTS usage_hours_by_hour ON usage_hours(hour_start)",
]


def seed(state_dir, keys=KEYS, hours=HOURS, routes=ROUTES):
    """Writes keys x hours x routes rows (the last `hours` whole hours) into state_dir/changes.sqlite; returns the count."""
    os.makedirs(state_dir, exist_ok=True)
    db = sqlite3.connect(os.path.join(state_dir, "changes.sqlite"))
    db.execute("PRAGMA journal_mode=WAL")
    for statement in SCHEMA:
        db.execute(statement)
    now_hour = int(time.time()) // 3600 * 3600
    rows = ((f"buyer-{k:04d}", ROUTE_NAMES[r], now_hour - 3600 * h, 100 + k % 50 + r, 250_000 * (1 + r), k % 3, k % 2,
             3600 if ROUTE_NAMES[r] in ("/events", "ws") else 0)
            for k in range(keys) for h in range(hours) for r in range(routes))
    with db:
        db.executemany("INSERT INTO usage_hours VALUES (?,?,?,?,?,?,?,?)", rows)
    count = db.execute("SELECT COUNT(*) FROM usage_hours").fetchone()[0]
    db.close()
    return count


def measure(binary, work, runs=3):
    """Seeds a state folder under `work` and times the export `runs` times; the median run is the figure."""
    state = os.path.join(work, "usage-state")
    shutil.rmtree(state, ignore_errors=True)
    rows = seed(state)
    times, lines = [], None
    for _ in range(runs):
        started = time.monotonic()
        done = subprocess.run([binary, "usage", "--format", "csv", "--state-dir", state], capture_output=True, timeout=120)
        times.append(time.monotonic() - started)
        if done.returncode != 0:
            return {"rows": rows, "error": done.stderr.decode(errors="replace")[:300]}
        lines = done.stdout.count(b"\n")
    median = sorted(times)[len(times) // 2]
    return {"rows": rows, "lines": lines, "seconds": times, "median_s": median, "holds": median <= TARGET_S and lines == rows + 1}


def render(result):
    """The Markdown lines of the target, for RESULTS.md."""
    if "error" in result:
        return f"| `ptn-serve usage --format csv`, {KEYS:,} keys × {HOURS} h × {ROUTES} routes ≤ {TARGET_S:g} s | failed: {result['error']} | **no** |"
    return (f"| `ptn-serve usage --format csv`, {KEYS:,} keys × {HOURS} h × {ROUTES} routes ({result['rows']:,} rows) ≤ {TARGET_S:g} s "
            f"(issue 20) | {result['median_s']:.2f} s (median of {len(result['seconds'])}) | {'yes' if result['holds'] else '**no**'} |")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="ptn-serve binary")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ptn-usage-export-")
    try:
        print(json.dumps(measure(os.path.abspath(args.bin), work)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
