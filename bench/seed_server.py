#!/usr/bin/env python3
"""The baseline: a Flask + waitress server that behaves like the seed `serve.py` (taoshidev/serve-outputs-ptn).

Written for the benchmark from the seed README (shared/seed/flask-server-README.md) and the data spec's §6.1
"SOP serve.py differences"; not the original code. What it keeps from the seed, because that is what users run today:

- every request opens and parses the file it answers from (no cache): `/miner-positions/<id>`, `/miner-hotkeys`
  and `/miner-positions` parse output.json; `/statistics...` parse minerstatistics.json;
- answers are rendered with Flask's `jsonify` (keys sorted, compact), `?tier=T` answers are the tier file's gzip bytes
  sent as they are (`Content-Encoding: gzip`); no ETag, no compression of JSON answers;
- the key comes from the JSON body's `api_key`, else the second space-separated token of `Authorization`.

Deviations, each needed to benchmark it at all:
- the body is read with `get_json(silent=True)`: the seed's unconditional `request.json` fails GETs without
  `Content-Type: application/json` on Flask 3 (415), which would make the Bearer form (what clients send) unusable;
- the data set has only `runnable/validator_checkpoint.json.gz` (what PTN writes now), so `/validator-checkpoint`
  passes those gzip bytes through, as PTN's own server does; the seed read a plain `validator_checkpoint.json`
  (used here when it exists);
- waitress's defaults otherwise (4 threads), bound to 127.0.0.1.

Usage: seed_server.py --root PTN_ROOT --keys KEYFILE --port N
"""
import argparse
import json
import os

from flask import Flask, Response, abort, jsonify, request
from waitress import serve


def load_keys(path):
    with open(path) as f:
        raw = json.load(f)
    if isinstance(raw, list):
        return set(raw)
    keys = set()
    for value in raw.values():
        keys.add(value if isinstance(value, str) else value.get("key"))
    return keys


def create_app(root, keys):
    app = Flask("seed")
    validation = os.path.join(root, "validation")
    outputs = os.path.join(validation, "outputs")

    def authorized():
        body = request.get_json(silent=True)
        if isinstance(body, dict) and "api_key" in body:
            key = body["api_key"]
        else:
            header = request.headers.get("Authorization", "")
            parts = header.split(" ")
            key = parts[1] if len(parts) > 1 else None
        return key in keys

    def load(path):
        with open(path) as f:
            return json.load(f)

    def raw(path, gzip_encoded):
        with open(path, "rb") as f:
            data = f.read()
        response = Response(data, content_type="application/json")
        if gzip_encoded:
            response.headers["Content-Encoding"] = "gzip"
        return response

    @app.route("/miner-positions", methods=["GET"])
    def get_miner_positions():
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        tier = request.args.get("tier")
        if tier is not None:
            if tier not in ("0", "30", "50", "100"):
                return jsonify({"error": "Invalid tier value. Allowed values are 0, 30, 50, or 100"}), 400
            path = os.path.join(outputs, "tiered_positions", tier, "output.json.gz")
            if not os.path.exists(path):
                abort(404)
            return raw(path, gzip_encoded=True)
        return jsonify(load(os.path.join(outputs, "output.json")))

    @app.route("/miner-positions/<minerid>", methods=["GET"])
    def get_miner_positions_unique(minerid):
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        data = load(os.path.join(outputs, "output.json"))
        if minerid in data:
            return jsonify(data[minerid])
        return jsonify({"error": f"Miner ID {minerid} not found"}), 404

    @app.route("/miner-hotkeys", methods=["GET"])
    def get_miner_hotkeys():
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        return jsonify(list(load(os.path.join(outputs, "output.json")).keys()))

    @app.route("/statistics", methods=["GET"])
    def get_statistics():
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        return jsonify(load(os.path.join(root, "runnable", "minerstatistics.json")))

    @app.route("/statistics/<minerid>/", methods=["GET"])
    def get_statistics_unique(minerid):
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        data = load(os.path.join(root, "runnable", "minerstatistics.json"))
        for element in data.get("data", []):
            if element.get("hotkey") == minerid:
                return jsonify(element)
        return jsonify({"error": f"Miner ID {minerid} not found"}), 404

    @app.route("/eliminations", methods=["GET"])
    def get_eliminations():
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        return jsonify(load(os.path.join(validation, "eliminations.json")))

    @app.route("/validator-checkpoint", methods=["GET"])
    def get_validator_checkpoint():
        if not authorized():
            return jsonify({"error": "Unauthorized access"}), 401
        plain = os.path.join(root, "runnable", "validator_checkpoint.json")
        if os.path.exists(plain):
            return jsonify(load(plain))
        return raw(os.path.join(root, "runnable", "validator_checkpoint.json.gz"), gzip_encoded=True)

    return app


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    app = create_app(args.root, load_keys(args.keys))
    print(f"seed server listening on 127.0.0.1:{args.port}", flush=True)
    serve(app, host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
