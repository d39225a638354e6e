#!/usr/bin/env python3
"""Deterministic PTN-scale data set for the ptn-serve benchmark (issue 3).

Writes, under OUT (a PTN root):

    validation/outputs/output.json                      {hotkey: miner entry}, >= 60 MB, >= 256 miners
    validation/outputs/tiered_positions/{0,30,50,100}/output.json.gz
    validation/eliminations.json                        exactly 64 bytes (the small-body baseline of the 304 row)
    runnable/minerstatistics.json                       {"version", ..., "data": [element per miner], ...}, >= 10 MB
    runnable/validator_checkpoint.json.gz               >= 100 MB uncompressed
    api_keys.json                                       {"bench": {"key": ..., "tier": 100}}
    static/miners/<hotkey>.json                         the exact bytes of /miner-positions/<hotkey> (a slice of output.json)
    static/statistics/<hotkey>.json                     the exact bytes of /statistics/<hotkey> (a slice of minerstatistics.json)
    hotkeys.txt                                         one hotkey a line (the wrk scripts pick from it)
    manifest.json                                       sizes, counts and the generator's fingerprint

Every miner is built from one of the two real PTN miner entries that ptn-serve's demo ships
(Sources/PTNServeDemo/Resources/miner-entry-{a,b}.json, MIT, see ATTRIBUTION.md there) under a real SS58 hotkey
from departed-hotkeys.json, with its uuids and timestamps perturbed deterministically (sha256 of the miner index and
the original value), so no two miners share a uuid and every byte is reproducible. Files are written with Python's
default json.dumps separators (", " and ": "), as PTN writes them.

The tier files use a SIMPLIFIED rule, good enough for benchmarking but NOT PTN's exact tier rule (ptn-serve's
Sources/PTNServeDemo/TierRule.swift has that): a position is real-time for tier T when sha256(position_uuid) % 100 < T (as in PTN);
a position that is not real-time and whose last activity is within the 7 days before the newest timestamp of its
miner is dropped (PTN instead replays it 24 h back). Each tier file's miner objects carry "tier": T.

Usage: gen_data.py OUT [--miners N]   (idempotent: skips the work when OUT/manifest.json has the same fingerprint)
"""
import argparse
import gzip
import hashlib
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "Sources", "PTNServeDemo", "Resources")
GENERATOR_VERSION = 3
DEFAULT_MINERS = 288
BENCH_KEY = "bench-key-5f0c2a9e41d7b36a8e"
GENERATION_MS = 1752700000000  # fixed "now" of the data set (2025-07-16)
DAY_MS = 86_400_000
TIERS = (100, 50, 30, 0)
TIMESTAMP_FIELDS = ("open_ms", "close_ms", "processed_ms")


def fingerprint(miners):
    h = hashlib.sha256()
    h.update(f"v{GENERATOR_VERSION}:{miners}".encode())
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    for name in ("miner-entry-a.json", "miner-entry-b.json", "departed-hotkeys.json"):
        with open(os.path.join(RESOURCES, name), "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def derived_uuid(index, original):
    d = hashlib.sha256(f"{index}:{original}".encode()).hexdigest()
    return f"{d[0:8]}-{d[8:12]}-4{d[13:16]}-a{d[17:20]}-{d[20:32]}"


def perturb_entry(base, index, hotkey):
    """A deep copy of a real miner entry under `hotkey` with new uuids and shifted timestamps."""
    entry = json.loads(json.dumps(base))
    shift = -(index * 3_700_000)  # about an hour per miner
    scale = 1.0 + ((index * 7919) % 1000 - 500) / 1e5  # +-0.5 % on the aggregate returns
    uuid_map = {}

    def new_uuid(old):
        if old not in uuid_map:
            uuid_map[old] = derived_uuid(index, old)
        return uuid_map[old]

    for position in entry["positions"]:
        position["miner_hotkey"] = hotkey
        position["position_uuid"] = new_uuid(position["position_uuid"])
        for field in TIMESTAMP_FIELDS:
            if position.get(field):
                position[field] += shift
        for order in position["orders"]:
            order["order_uuid"] = new_uuid(order["order_uuid"])
            if order.get("processed_ms"):
                order["processed_ms"] += shift
    for key in ("all_time_returns", "thirty_day_returns"):
        if isinstance(entry.get(key), float):
            entry[key] = entry[key] * scale
    # PTN writes positions first.
    ordered = {"positions": entry.pop("positions")}
    ordered.update(entry)
    return ordered


def last_activity(position):
    if position.get("is_closed_position"):
        return position.get("close_ms") or 0
    orders = position.get("orders") or []
    return orders[-1].get("processed_ms", 0) if orders else 0


def tier_view(entry, tier):
    """Simplified tier rule (see the module docstring): not PTN's exact rule."""
    newest = max((last_activity(p) for p in entry["positions"]), default=0)
    threshold = newest - 7 * DAY_MS
    kept = []
    for position in entry["positions"]:
        bucket = int(hashlib.sha256(position["position_uuid"].encode()).hexdigest(), 16) % 100
        realtime = tier >= 100 or (tier > 0 and bucket < tier)
        if realtime or last_activity(position) < threshold:
            kept.append(position)
    view = dict(entry)
    view["positions"] = kept
    view["n_positions"] = len(kept)
    view["tier"] = tier
    return view


def perf_checkpoints(rng, count, end_ms):
    """A perf-ledger checkpoint series in PTN's field set (values are random but plausible)."""
    cps = []
    ret = 1.0
    duration = 12 * 3600 * 1000
    start = end_ms - count * duration
    for k in range(count):
        gain = rng.random() * 0.01
        loss = -rng.random() * 0.01
        ret *= 1.0 + gain + loss
        cps.append({
            "last_update_ms": start + (k + 1) * duration,
            "prev_portfolio_ret": ret,
            "prev_portfolio_spread_fee": 1.0 - rng.random() * 1e-4,
            "prev_portfolio_carry_fee": 1.0 - rng.random() * 1e-4,
            "accum_ms": duration,
            "open_ms": duration - rng.randrange(0, 1000),
            "n_updates": rng.randrange(100, 20000),
            "gain": gain,
            "loss": loss,
            "spread_fee_loss": -rng.random() * 1e-5,
            "carry_fee_loss": -rng.random() * 1e-5,
            "mdd": 1.0 - rng.random() * 0.05,
            "mpv": ret * (1.0 + rng.random() * 0.01),
            "pnl_gain": rng.random() * 100,
            "pnl_loss": -rng.random() * 100,
        })
    return cps


def write_gzip(path, data):
    # mtime=0 and a fixed level keep the bytes reproducible.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
        gz.write(data)


def object_text(pairs):
    """'{"k": v, ...}' from (key, already-serialised value) pairs: json.dumps's own layout, so each value is a slice."""
    return "{" + ", ".join(json.dumps(k) + ": " + v for k, v in pairs) + "}"


def generate(out, miners):
    with open(os.path.join(RESOURCES, "miner-entry-a.json")) as f:
        base_a = json.load(f)
    with open(os.path.join(RESOURCES, "miner-entry-b.json")) as f:
        base_b = json.load(f)
    with open(os.path.join(RESOURCES, "departed-hotkeys.json")) as f:
        hotkeys = sorted(json.load(f)["departed_hotkeys"])
    if miners > len(hotkeys):
        sys.exit(f"gen_data: at most {len(hotkeys)} miners (real hotkeys available)")
    hotkeys = hotkeys[:miners]

    if os.path.isdir(out):
        shutil.rmtree(out)
    for d in ("validation/outputs", "runnable", "static/miners", "static/statistics"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    for t in TIERS:
        os.makedirs(os.path.join(out, "validation/outputs/tiered_positions", str(t)), exist_ok=True)

    entries = []
    entry_texts = []
    for i, hk in enumerate(hotkeys):
        entry = perturb_entry(base_a if i % 2 == 0 else base_b, i, hk)
        text = json.dumps(entry)
        entries.append(entry)
        entry_texts.append(text)
        with open(os.path.join(out, "static/miners", hk + ".json"), "w") as f:
            f.write(text)

    output_text = object_text(zip(hotkeys, entry_texts))
    with open(os.path.join(out, "validation/outputs/output.json"), "w") as f:
        f.write(output_text)
    with open(os.path.join(out, "hotkeys.txt"), "w") as f:
        f.write("\n".join(hotkeys) + "\n")

    tier_sizes = {}
    for t in TIERS:
        text = object_text((hk, json.dumps(tier_view(e, t))) for hk, e in zip(hotkeys, entries)).encode()
        path = os.path.join(out, "validation/outputs/tiered_positions", str(t), "output.json.gz")
        write_gzip(path, text)
        tier_sizes[str(t)] = {"json": len(text), "gz": os.path.getsize(path)}

    # 64 bytes exactly: the small-body rate that the 304 row is compared with (issue 3 targets).
    elim = '{"eliminations": [], "bench_note": "64-byte body"'
    elim = elim + " " * (63 - len(elim)) + "}"
    assert len(elim) == 64, len(elim)
    with open(os.path.join(out, "validation/eliminations.json"), "w") as f:
        f.write(elim)

    # Statistics and checkpoint: per-miner perf checkpoints from a seeded PRNG.
    stats_elements = []
    ledgers = []
    for i, hk in enumerate(hotkeys):
        rng = random.Random(f"bench-{i}")
        cps = perf_checkpoints(rng, 620, GENERATION_MS)
        ledgers.append((hk, json.dumps({"portfolio": {
            "initialization_time_ms": cps[0]["last_update_ms"] - cps[0]["accum_ms"],
            "max_return": max(c["mpv"] for c in cps),
            "target_cp_duration_ms": 12 * 3600 * 1000,
            "target_ledger_window_ms": 90 * DAY_MS,
            "cps": cps,
            "last_known_prices": {"BTCUSD": 117000.0 + i},
        }})))
        element = {
            "hotkey": hk,
            "challengeperiod": {"status": "MAINCOMP", "start_time_ms": GENERATION_MS - 90 * DAY_MS},
            "scores": {name: {"value": rng.random(), "rank": rng.randrange(1, miners + 1),
                              "percentile": rng.random()}
                       for name in ("omega", "sharpe", "sortino", "statistical_confidence", "calmar", "return")},
            "daily_returns": [{"date": f"2025-{4 + d // 28:02d}-{1 + d % 28:02d}", "value": rng.gauss(0, 1)}
                              for d in range(90)],
            "volatility": {"annual": rng.random(), "annual_downside": rng.random()},
            "drawdowns": {"instantaneous_max_drawdown": rng.random() * 0.1, "daily_max_drawdown": rng.random() * 0.1},
            "plagiarism": None,
            "engagement": {"n_checkpoints": 140, "n_positions": len(entries[i]["positions"]),
                           "position_duration": rng.randrange(10**6, 10**9), "checkpoint_durations": rng.randrange(10**6, 10**9)},
            "penalties": {"drawdown_threshold": 1.0, "risk_profile": 1.0, "total": 1.0},
            "weight": {"value": rng.random() * 0.01, "rank": i + 1, "percentile": 1 - i / miners},
            "checkpoints": cps[-140:],
        }
        stats_elements.append(json.dumps(element))
        with open(os.path.join(out, "static/statistics", hk + ".json"), "w") as f:
            f.write(stats_elements[-1])
    stats_text = ('{"version": "7.1.1", "created_timestamp_ms": %d, "created_date": "2025-07-16 21:06:40", '
                  '"data": [%s], "constants": {"ANNUAL_RISK_FREE_PERCENTAGE": 4.19}, "network_data": {"n_miners": %d}}'
                  % (GENERATION_MS, ", ".join(stats_elements), miners))
    with open(os.path.join(out, "runnable/minerstatistics.json"), "w") as f:
        f.write(stats_text)

    order_times = [o["processed_ms"] for e in entries for p in e["positions"] for o in p["orders"]]
    checkpoint_pairs = [
        ("version", json.dumps("7.1.1")),
        ("created_timestamp_ms", json.dumps(GENERATION_MS)),
        ("created_date", json.dumps("2025-07-16 21:06:40")),
        ("challengeperiod", json.dumps({hk: {"bucket": "MAINCOMP", "bucket_start_time": GENERATION_MS - 90 * DAY_MS,
                                             "previous_bucket": "CHALLENGE",
                                             "previous_bucket_start_time": GENERATION_MS - 151 * DAY_MS}
                                        for hk in hotkeys})),
        ("miner_account_sizes", json.dumps({hk: [] for hk in hotkeys})),
        ("eliminations", "[]"),
        ("youngest_order_processed_ms", json.dumps(min(order_times))),
        ("oldest_order_processed_ms", json.dumps(max(order_times))),
        ("positions", output_text),
        ("perf_ledgers", object_text(ledgers)),
        ("asset_selections", json.dumps({hk: "crypto" for hk in hotkeys})),
    ]
    checkpoint_text = object_text(checkpoint_pairs).encode()
    write_gzip(os.path.join(out, "runnable/validator_checkpoint.json.gz"), checkpoint_text)

    with open(os.path.join(out, "api_keys.json"), "w") as f:
        json.dump({"bench": {"key": BENCH_KEY, "tier": 100}}, f)

    served = ["validation/outputs/output.json", "validation/eliminations.json", "runnable/minerstatistics.json",
              "runnable/validator_checkpoint.json.gz"] + [
        f"validation/outputs/tiered_positions/{t}/output.json.gz" for t in TIERS]
    manifest = {
        "fingerprint": fingerprint(miners),
        "miners": miners,
        "key": BENCH_KEY,
        "output_json_bytes": len(output_text.encode()),
        "statistics_bytes": len(stats_text.encode()),
        "checkpoint_json_bytes": len(checkpoint_text),
        "checkpoint_gz_bytes": os.path.getsize(os.path.join(out, "runnable/validator_checkpoint.json.gz")),
        "tiers": tier_sizes,
        "served_files": served,
        "served_bytes_on_disk": sum(os.path.getsize(os.path.join(out, p)) for p in served),
        "miner_entry_bytes": {"min": min(len(t) for t in entry_texts), "max": max(len(t) for t in entry_texts)},
    }
    assert miners >= 256 or miners < DEFAULT_MINERS, "PTN scale means >= 256 miners"
    if miners >= DEFAULT_MINERS:
        assert manifest["output_json_bytes"] >= 60_000_000, manifest
        assert manifest["checkpoint_json_bytes"] >= 100_000_000, manifest
        assert manifest["statistics_bytes"] >= 10_000_000, manifest
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--miners", type=int, default=DEFAULT_MINERS)
    args = ap.parse_args()
    manifest_path = os.path.join(args.out, "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            old = json.load(f)
        if old.get("fingerprint") == fingerprint(args.miners):
            print(f"gen_data: {args.out} is up to date ({old['miners']} miners)")
            return
    manifest = generate(args.out, args.miners)
    print("gen_data: wrote %s: %d miners, output.json %.1f MB, statistics %.1f MB, checkpoint %.1f MB (%.1f MB gz)"
          % (args.out, manifest["miners"], manifest["output_json_bytes"] / 1e6, manifest["statistics_bytes"] / 1e6,
             manifest["checkpoint_json_bytes"] / 1e6, manifest["checkpoint_gz_bytes"] / 1e6))


if __name__ == "__main__":
    main()
