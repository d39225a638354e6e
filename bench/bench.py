#!/usr/bin/env python3
"""ptn-serve benchmark driver (issue 3). Run it through bench/run.sh, which installs the tools and builds ptn-serve.

Starts on 127.0.0.1: ptn-serve (the given release binary), the seed-like Flask + waitress server (seed_server.py) and
nginx (static files: the same bytes), drives each endpoint with wrk, runs the reload test, prints one table and
writes RESULTS.md. Every process it starts is stopped on exit; every loop is bounded in count and time.
"""
import argparse
import atexit
import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "127.0.0.1"

# ----------------------------------------------------------------------------------------------------------------
# processes


class Procs:
    """The processes this run started (each in its own session, so its children go with it)."""

    def __init__(self):
        self.procs = []

    def start(self, name, argv, log_path, **kw):
        log = open(log_path, "wb")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True, **kw)
        self.procs.append((name, p))
        return p

    def stop(self, p, grace=5.0):
        if p.poll() is not None:
            return
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=5)

    def stop_all(self):
        for _, p in reversed(self.procs):
            try:
                self.stop(p)
            except Exception as exc:  # keep stopping the others
                print(f"bench: stopping pid {p.pid}: {exc}", file=sys.stderr)
        self.procs = []


PROCS = Procs()
atexit.register(PROCS.stop_all)


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGHUP, on_signal)


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_port(port, proc, limit=120.0):
    """Seconds until a TCP connect to port succeeds (polled every 5 ms), or raise."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.args[0]} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"port {port} not ready after {limit} s")


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
                    out[line.split(":")[0]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return out


def proc_cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def group_cpu_ticks(pid):
    """CPU ticks (user + system) of pid and all its descendants (nginx's workers), from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(proc_cpu_ticks(p) or 0 for p in tree)


CLK_TCK = os.sysconf("SC_CLK_TCK")
# The servers measured in turns on each row (a row without a path list for one of them skips it): ptn-serve, nginx,
# ptn-serve with its fast lane off ("ptn-off", every request through Hummingbird), and the floor, the same bytes
# through Hummingbird alone ("bare") and NIO alone ("nio").
TAKING_TURNS = ("ptn", "nginx", "ptn-off", "bare", "nio")
# The rows ptn-serve with --fast-lane off also runs: the floor's two, and the other targets of the fast lane.
LANE_OFF_ROWS = ("lookup", "hotkeys", "small", "304")


def wait_idle(pid, limit=90.0):
    """Waits until pid burns no CPU for 0.5 s (the seed keeps working on requests wrk abandoned), bounded."""
    start = time.monotonic()
    last = group_cpu_ticks(pid)
    quiet_since = time.monotonic()
    while time.monotonic() - start < limit:
        time.sleep(0.1)
        now = group_cpu_ticks(pid)
        if now != last:
            last = now
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 0.5:
            return time.monotonic() - start
    return time.monotonic() - start


def http_get(port, path, headers, method="GET", timeout=120.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def run(argv, timeout=60):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


# ----------------------------------------------------------------------------------------------------------------
# wrk


def wrk(port, paths_file, headers, connections, duration, timeout_s, seed=1):
    argv = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{max(1, round(duration))}s",
            "--timeout", f"{timeout_s}s", "-s", os.path.join(HERE, "paths.lua")]
    for k, v in headers.items():
        argv += ["-H", f"{k}: {v}"]
    argv += [f"http://{HOST}:{port}", "--", paths_file, str(seed)]
    return argv


def parse_wrk(stdout):
    for line in stdout.splitlines():
        if line.startswith("WRKJSON "):
            r = json.loads(line[len("WRKJSON "):])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
            r["mbps"] = r["bytes"] / (r["duration_us"] / 1e6) / 1e6 if r["duration_us"] else 0.0
            r["errors"] = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
            return r
    raise RuntimeError("wrk printed no summary:\n" + stdout[-2000:])


def run_wrk(port, paths_file, headers, connections, duration, timeout_s, server_pid=None, seed=1):
    argv = wrk(port, paths_file, headers, connections, duration, timeout_s, seed)
    before = group_cpu_ticks(server_pid) if server_pid else None
    res = subprocess.run(argv, capture_output=True, text=True, timeout=duration + timeout_s + 60)
    after = group_cpu_ticks(server_pid) if server_pid else None
    if res.returncode != 0:
        raise RuntimeError(f"wrk failed ({res.returncode}): {res.stderr[-1000:]}")
    r = parse_wrk(res.stdout)
    if server_pid:
        # The server's CPU time over the run, per request: less sensitive to a busy machine than req/s.
        r["cpu_s"] = (after - before) / CLK_TCK
        r["cpu_us_per_req"] = r["cpu_s"] * 1e6 / r["requests"] if r["requests"] else None
    return r


def median_run(runs):
    """The run with the median req/s, with CPU per request over all runs (total CPU / total requests)."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    r = dict(ordered[len(ordered) // 2])
    r["runs_rps"] = [x["rps"] for x in runs]
    total_requests = sum(x["requests"] for x in runs)
    if all(x.get("cpu_s") is not None for x in runs) and total_requests:
        r["cpu_us_per_req"] = sum(x["cpu_s"] for x in runs) * 1e6 / total_requests
    r["errors"] = sum(x["errors"] for x in runs)
    return r


def print_row(name, server, r):
    runs = r.get("runs_rps")
    spread = f"  runs {', '.join(fmt_rps(x) for x in runs)}" if runs and len(runs) > 1 else ""
    print(f"bench: {name:13s} {server:5s} {fmt_rps(r['rps']):>9s} req/s  p50 {fmt_ms(r['p50_us'])} ms  "
          f"p99 {fmt_ms(r['p99_us'])} ms  errors {r['errors']}  cpu {fmt_cpu(r.get('cpu_us_per_req'))} µs/req  "
          f"({r['requests']} requests, {r['bytes'] / max(r['requests'], 1) / 1e3:.1f} KB each){spread}", flush=True)


# ----------------------------------------------------------------------------------------------------------------
# formatting


def fmt_rps(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 1:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_ms(us):
    if us is None:
        return "n/a"
    ms = us / 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:,.0f}"


def fmt_size(n):
    if n is None:
        return "?"
    if n >= 1e6:
        return f"{n / 1e6:.1f} MB"
    if n >= 1e3:
        return f"{n / 1e3:.0f} KB"
    return f"{n} B"


def fmt_cpu(us):
    if us is None:
        return "n/a"
    return f"{us:,.0f}" if us >= 10 else f"{us:.1f}"


def fmt_ratio(v, lower_bound=False):
    if v is None:
        return "n/a"
    s = f"{v:,.0f}×" if v >= 100 else f"{v:.2f}×"
    return ("> " + s) if lower_bound else s


# ----------------------------------------------------------------------------------------------------------------


# Issue 11's rows, each profiled beside the row its target compares it with.
PROFILED_PAIRS = [("lookup", "filtered"), ("hotkeys", "summary"), ("small", "small-off")]


def main():
    ap = argparse.ArgumentParser(description="ptn-serve benchmark (use bench/run.sh)")
    ap.add_argument("--bin", required=True, help="ptn-serve release binary (copied before use)")
    ap.add_argument("--data", required=True, help="data set directory (generated by gen_data.py)")
    ap.add_argument("--bare-bin", help="bench-bare-hummingbird release binary: the floor (same bytes, no middleware)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2 s per row, short reload test")
    ap.add_argument("--duration", type=float, help="seconds per row for ptn-serve and for nginx, over all repeats")
    ap.add_argument("--repeat", type=int, help="runs per row and server, ptn-serve and nginx taking turns (median kept)")
    ap.add_argument("--seed-duration", type=float, help="seconds per wrk run for the seed server")
    ap.add_argument("--reload-duration", type=float, help="seconds of the reload test")
    ap.add_argument("--no-seed", action="store_true", help="skip the seed server")
    ap.add_argument("--no-feed", action="store_true", help="skip the change feed's section (feed_bench.py)")
    ap.add_argument("--no-replicas", action="store_true",
                    help="skip the section of several replicas sharing PostgreSQL (replica_bench.py)")
    ap.add_argument("--results", help="where to write the results markdown (default bench/RESULTS.md; "
                                      "--quick: the run's work dir)")
    ap.add_argument("--command", default=" ".join(sys.argv), help="the command line to record")
    args = ap.parse_args()

    duration = args.duration or (2 if args.quick else 15)
    repeat = max(1, args.repeat or (1 if args.quick else 3))
    seed_duration = args.seed_duration or (3 if args.quick else 10)
    reload_duration = args.reload_duration or (11 if args.quick else 30)

    with open(os.path.join(args.data, "manifest.json")) as f:
        manifest = json.load(f)
    key = manifest["key"]
    hotkeys = [h for h in open(os.path.join(args.data, "hotkeys.txt")).read().split("\n") if h]

    work = tempfile.mkdtemp(prefix="ptn-bench-")
    os.chmod(work, 0o755)
    print(f"bench: work dir {work}", flush=True)
    machine_before = machine_info()

    # A private copy of the binary (the given one may be rebuilt while we run).
    binary = os.path.join(work, "ptn-serve")
    shutil.copy2(args.bin, binary)

    # The served root: output.json is a private copy (the reload test rewrites it), the rest links to the data set.
    root = os.path.join(work, "root")
    os.makedirs(os.path.join(root, "validation", "outputs"))
    shutil.copyfile(os.path.join(args.data, "validation/outputs/output.json"),
                    os.path.join(root, "validation/outputs/output.json"))
    os.symlink(os.path.join(args.data, "validation/outputs/tiered_positions"),
               os.path.join(root, "validation/outputs/tiered_positions"))
    os.symlink(os.path.join(args.data, "validation/eliminations.json"),
               os.path.join(root, "validation/eliminations.json"))
    os.symlink(os.path.join(args.data, "runnable"), os.path.join(root, "runnable"))
    keys_file = os.path.join(args.data, "api_keys.json")
    # ptn-serve's own key file adds a key with a quota (too large to run out), for the metering row beside the lookup:
    # every answer to it is checked against its plan and carries the RateLimit fields. Its usage database is in the
    # work dir (beside this file), so runs never add up.
    with open(keys_file) as f:
        keyring = json.load(f)
    metered_key = key + "-metered"
    keyring["bench-metered"] = {"key": metered_key, "tier": 100,
                                "quota": {"requests": 10 ** 15, "bytes": 10 ** 17, "period": "month"}}
    ptn_keys_file = os.path.join(work, "api_keys.json")
    with open(os.open(ptn_keys_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump(keyring, f)

    # ---- ptn-serve: start-to-ready
    def ptn_argv(port, lane):
        return [binary, "serve", "--data-dir", root, "--api-keys", ptn_keys_file, "--host", HOST, "--port", str(port),
                # One key drives thousands of requests a second: lift the per-key and per-address limits (600/min and
                # 60/min by default) and the connection cap out of the way.
                "--rate-limit", "100000000/s", "--ip-rate-limit", "100000000/s",
                "--max-connections", "10000", "--metrics-port", "0", "--ws-port", "0",
                # nginx runs with access_log off: no request lines here either (warnings stay).
                "--log-level", "notice", "--fast-lane", lane, "--state-dir", os.path.join(work, f"state-lane-{lane}")]

    ptn_port = free_port()
    t0 = time.monotonic()
    ptn = PROCS.start("ptn-serve", ptn_argv(ptn_port, "on"), os.path.join(work, "ptn-serve.log"))
    ready_s = wait_port(ptn_port, ptn)
    rss_ready = proc_status(ptn.pid)
    print(f"bench: ptn-serve ready in {ready_s:.2f} s, RSS {fmt_size(rss_ready.get('VmRSS'))}", flush=True)
    # Every file is served from the first connection on; the gzip forms follow from a background pass: time it too.
    gzip_ready_s = None
    while time.monotonic() - t0 < 120:
        _, hdrs, _ = http_get(ptn_port, "/miner-positions", {"Authorization": f"Bearer {key}", "Accept-Encoding": "gzip"},
                              method="HEAD")
        if hdrs.get("content-encoding") == "gzip":
            gzip_ready_s = time.monotonic() - t0
            break
        time.sleep(0.02)
    print(f"bench: ptn-serve gzip forms ready after {gzip_ready_s} s", flush=True)
    # The pass goes on with the tier files and statistics: wait until the server is idle, so that work is not charged to
    # the first row.
    wait_idle(ptn.pid)
    settled_s = time.monotonic() - t0
    print(f"bench: ptn-serve idle (compression pass over) after {settled_s:.2f} s", flush=True)

    # ---- the same server with its fast lane off: every request through Hummingbird, the lane's baseline
    ptn_off_port = free_port()
    ptn_off = PROCS.start("ptn-serve-off", ptn_argv(ptn_off_port, "off"), os.path.join(work, "ptn-serve-off.log"))
    wait_port(ptn_off_port, ptn_off)
    wait_idle(ptn_off.pid)

    # ---- nginx: the same bytes as static files
    nginx_port = free_port()
    static = os.path.join(work, "static")
    os.makedirs(static)
    auth = {"Authorization": f"Bearer {key}"}
    gz = {"Accept-Encoding": "gzip"}
    os.symlink(os.path.join(args.data, "static/miners"), os.path.join(static, "miners"))
    os.symlink(os.path.join(args.data, "static/statistics"), os.path.join(static, "statistics"))
    os.symlink(os.path.join(root, "validation/outputs/output.json"), os.path.join(static, "miner-positions.json"))
    os.symlink(os.path.join(args.data, "validation/outputs/tiered_positions/50/output.json.gz"),
               os.path.join(static, "tier50.json.gz"))
    os.symlink(os.path.join(args.data, "runnable/validator_checkpoint.json.gz"),
               os.path.join(static, "checkpoint.json.gz"))
    os.symlink(os.path.join(args.data, "validation/eliminations.json"), os.path.join(static, "small.json"))
    # The bodies ptn-serve renders itself (its /miner-hotkeys array and its gzip form of output.json) are captured
    # from it, so nginx serves the very same bytes.
    notes = []
    status, hdrs, body = http_get(ptn_port, "/miner-hotkeys", auth)
    with open(os.path.join(static, "miner-hotkeys.json"), "wb") as f:
        f.write(body if status == 200 else json.dumps(hotkeys).encode())
    status, hdrs, body = http_get(ptn_port, "/miner-positions", {**auth, **gz})
    if status == 200 and hdrs.get("content-encoding") == "gzip":
        gz_body = body
    else:
        import gzip as gzip_module
        notes.append(f"ptn-serve answered /miner-positions with Accept-Encoding: gzip by {status} "
                     f"{hdrs.get('content-encoding', 'identity')}; nginx serves a level-6 gzip of output.json instead")
        with open(os.path.join(root, "validation/outputs/output.json"), "rb") as f:
            gz_body = gzip_module.compress(f.read(), 6)
    with open(os.path.join(static, "miner-positions.json.gz"), "wb") as f:
        f.write(gz_body)

    conf = os.path.join(work, "nginx.conf")
    os.makedirs(os.path.join(work, "nginx-tmp"))
    user_line = "user root root;\n" if os.geteuid() == 0 else ""
    with open(conf, "w") as f:
        f.write(f"""{user_line}worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    types {{ }}
    default_type application/json;
    server {{
        listen {HOST}:{nginx_port};
        root {static};
        location ~ \\.gz$ {{ add_header Content-Encoding gzip; }}
    }}
}}
""")
    nginx = PROCS.start("nginx", ["nginx", "-c", conf, "-p", work + "/"], os.path.join(work, "nginx.log"))
    wait_port(nginx_port, nginx, limit=30)

    # ---- the floor: the lookup and 64-byte files held in memory and answered by Hummingbird alone, and by NIO alone
    bare_ports, bare_pids = {}, {}
    if args.bare_bin:
        bare_bin = os.path.join(work, "bench-bare-hummingbird")
        shutil.copy2(args.bare_bin, bare_bin)
        bare_root = os.path.join(work, "bare")
        os.makedirs(bare_root)
        os.symlink(os.path.join(args.data, "static/miners"), os.path.join(bare_root, "miners"))
        os.symlink(os.path.join(args.data, "validation/eliminations.json"), os.path.join(bare_root, "small.json"))
        for server, extra in (("bare", []), ("nio", ["--nio"])):
            port = free_port()
            p = PROCS.start(server, [bare_bin, "--dir", bare_root, "--host", HOST, "--port", str(port)] + extra,
                            os.path.join(work, f"{server}.log"))
            wait_port(port, p, limit=60)
            bare_ports[server], bare_pids[server] = port, p.pid

    # ---- seed
    seed = None
    seed_port = None
    if not args.no_seed:
        seed_port = free_port()
        seed = PROCS.start("seed", [sys.executable, os.path.join(HERE, "seed_server.py"), "--root", root,
                                    "--keys", keys_file, "--port", str(seed_port)], os.path.join(work, "seed.log"))
        wait_port(seed_port, seed, limit=60)

    # ---- path files
    def paths_file(name, lines):
        p = os.path.join(work, f"paths-{name}.txt")
        with open(p, "w") as f:
            f.write("\n".join(lines) + "\n")
        return p

    marker_hk = hotkeys[len(hotkeys) // 2]
    # The 304 row revalidates /miner-positions (identity) with the ETag ptn-serve (and nginx) returned for it.
    status, ptn_hdrs, _ = http_get(ptn_port, "/miner-positions", auth, method="HEAD")
    ptn_etag = ptn_hdrs.get("etag")
    status, nginx_hdrs, _ = http_get(nginx_port, "/miner-positions.json", {}, method="HEAD")
    nginx_etag = nginx_hdrs.get("etag")
    ptn_304_ok = False
    if ptn_etag:
        s, _, _ = http_get(ptn_port, "/miner-positions", {**auth, "If-None-Match": ptn_etag})
        ptn_304_ok = s == 304
        if not ptn_304_ok:
            notes.append(f"ptn-serve sent ETag {ptn_etag} but answered If-None-Match with {s}, not 304: row n/a")
    else:
        notes.append("ptn-serve sent no ETag on /miner-positions: the 304 row is n/a for it")

    # name, label, {server: (paths, headers)}, connections (ptn/nginx), body-size note
    big_c = 4
    small_c = 64
    endpoints = [
        ("lookup", "single-miner lookup, random hotkeys", {
            "ptn": ([f"/miner-positions/{h}" for h in hotkeys], auth),
            "nginx": ([f"/miners/{h}.json" for h in hotkeys], auth),
            "bare": ([f"/miners/{h}.json" for h in hotkeys], auth),
            "nio": ([f"/miners/{h}.json" for h in hotkeys], auth),
            "seed": ([f"/miner-positions/{h}" for h in hotkeys], auth)}, small_c),
        # Issue 20: the same lookups with a key that has a quota, so each answer is metered and checked.
        ("lookup-quota", "single-miner lookup, a key with a quota (metered and checked)", {
            "ptn": ([f"/miner-positions/{h}" for h in hotkeys], {"Authorization": f"Bearer {metered_key}"})}, small_c),
        ("hotkeys", "/miner-hotkeys", {
            "ptn": (["/miner-hotkeys"], auth), "nginx": (["/miner-hotkeys.json"], auth),
            "seed": (["/miner-hotkeys"], auth)}, small_c),
        ("statistics", "/statistics/<hotkey>/, random hotkeys", {
            "ptn": ([f"/statistics/{h}/" for h in hotkeys], auth),
            "nginx": ([f"/statistics/{h}.json" for h in hotkeys], auth),
            "seed": ([f"/statistics/{h}/" for h in hotkeys], auth)}, small_c),
        ("positions", "/miner-positions (identity)", {
            "ptn": (["/miner-positions"], auth), "nginx": (["/miner-positions.json"], auth),
            "seed": (["/miner-positions"], auth)}, big_c),
        ("positions-gz", "/miner-positions, Accept-Encoding: gzip", {
            "ptn": (["/miner-positions"], {**auth, **gz}), "nginx": (["/miner-positions.json.gz"], {**auth, **gz}),
            "seed": (["/miner-positions"], {**auth, **gz})}, big_c),
        ("tier50", "/miner-positions?tier=50 (gzip file)", {
            "ptn": (["/miner-positions?tier=50"], {**auth, **gz}), "nginx": (["/tier50.json.gz"], {**auth, **gz}),
            "seed": (["/miner-positions?tier=50"], {**auth, **gz})}, big_c),
        ("checkpoint", "/validator-checkpoint, Accept-Encoding: gzip", {
            "ptn": (["/validator-checkpoint"], {**auth, **gz}), "nginx": (["/checkpoint.json.gz"], {**auth, **gz}),
            "seed": (["/validator-checkpoint"], {**auth, **gz})}, big_c),
        ("small", "/eliminations (64-byte body)", {
            "ptn": (["/eliminations"], auth), "nginx": (["/small.json"], auth),
            "bare": (["/small.json"], auth), "nio": (["/small.json"], auth),
            "seed": (["/eliminations"], auth)}, small_c),
        # Issue 11: filtered reads (ptn-serve only: nginx and the seed have no filters), against the lookup and
        # /miner-hotkeys rows of the same run.
        ("filtered", "filtered lookup: ?trade_pair=BTCUSD&status=closed, random hotkeys", {
            "ptn": ([f"/miner-positions/{h}?trade_pair=BTCUSD&status=closed" for h in hotkeys], auth)}, small_c),
        ("summary", "/miner-positions?fields=all_time_returns,thirty_day_returns,n_positions", {
            "ptn": (["/miner-positions?fields=all_time_returns,thirty_day_returns,n_positions"], auth)}, small_c),
        ("304", "/miner-positions, If-None-Match → 304", {
            "ptn": (["/miner-positions"], {**auth, "If-None-Match": ptn_etag}) if ptn_304_ok else None,
            "nginx": (["/miner-positions.json"], {**auth, "If-None-Match": nginx_etag}) if nginx_etag else None,
            "seed": None}, small_c),
    ]
    for name, _, per_server, _ in endpoints:
        if name in LANE_OFF_ROWS:
            per_server["ptn-off"] = per_server["ptn"]
    ports = {"ptn": ptn_port, "nginx": nginx_port, "seed": seed_port, "ptn-off": ptn_off_port, **bare_ports}
    pids = {"ptn": ptn.pid, "nginx": nginx.pid, "seed": seed.pid if seed else None, "ptn-off": ptn_off.pid, **bare_pids}

    # ---- sanity: ptn-serve's single-miner answer is the very bytes nginx serves
    for h in (hotkeys[0], marker_hk, hotkeys[-1]):
        _, _, a = http_get(ptn_port, f"/miner-positions/{h}", auth)
        _, _, b = http_get(nginx_port, f"/miners/{h}.json", {})
        if a != b:
            notes.append(f"ptn-serve's /miner-positions/{h} ({len(a)} B) differs from the static file ({len(b)} B)")
        _, _, a = http_get(ptn_port, f"/statistics/{h}/", auth)
        _, _, b = http_get(nginx_port, f"/statistics/{h}.json", {})
        if a != b:
            notes.append(f"ptn-serve's /statistics/{h}/ ({len(a)} B) differs from the static file ({len(b)} B)")

    # ---- the table
    # ptn-serve and nginx take turns, `repeat` short runs each, and each keeps its median run: on a shared machine the
    # load drifts over minutes, and alternating puts both servers under the same drift.
    results = {}
    for name, label, per_server, conns in endpoints:
        results[name] = {}
        runs = {server: [] for server in TAKING_TURNS}
        checked = {}
        for rep in range(repeat):
            for server in TAKING_TURNS:
                spec = per_server.get(server)
                if spec is None or ports.get(server) is None:
                    continue
                paths, headers = spec
                pf = paths_file(f"{name}-{server}", paths)
                if server not in checked:
                    # One request first: checks the answer, gives the body size (wrk's byte count includes headers
                    # and partly received answers), and warms up (ptn-serve makes per-miner gzip forms lazily).
                    st, hd, bd = http_get(ports[server], paths[0], headers)
                    if not (200 <= st < 400):
                        notes.append(f"{server} answered {paths[0]} with {st} (row {name})")
                    checked[server] = (st, hd, bd)
                r = run_wrk(ports[server], pf, headers, conns, duration / repeat, timeout_s=20,
                            server_pid=pids[server], seed=rep + 1)
                r["loadavg"] = os.getloadavg()[0]
                runs[server].append(r)
        for server in TAKING_TURNS:
            if not runs[server]:
                results[name][server] = None
                continue
            r = median_run(runs[server])
            st, hd, bd = checked[server]
            r["connections"] = conns
            r["status_code"] = st
            r["body_bytes"] = len(bd)
            r["content_encoding"] = hd.get("content-encoding", "identity")
            results[name][server] = r
            print_row(name, server, r)
        spec = per_server.get("seed")
        if spec is None or seed_port is None:
            results[name]["seed"] = None
            continue
        paths, headers = spec
        r = run_wrk(seed_port, paths_file(f"{name}-seed", paths), headers, 2, seed_duration, timeout_s=120,
                    server_pid=seed.pid)
        r["connections"] = 2
        r["settle_s"] = wait_idle(seed.pid)
        r["loadavg"] = os.getloadavg()[0]
        results[name]["seed"] = r
        print_row(name, "seed", r)
    rss_after = proc_status(ptn.pid)

    # ---- where issue 11's filtered rows spend their time, beside the rows they are measured against (perf)
    sys.modules.setdefault("bench", sys.modules[__name__])  # profile_rows and feed_bench use these helpers
    import profile_rows
    profiles = {}
    if profile_rows.available():
        for name in [n for pair in PROFILED_PAIRS for n in pair]:
            # "-off": the row on the server with its fast lane off.
            row, server = (name[:-4], "ptn-off") if name.endswith("-off") else (name, "ptn")
            paths, headers = next(e for e in endpoints if e[0] == row)[2][server]
            profiles[name] = profile_rows.profile(ports[server], pids[server], paths_file(f"{row}-{server}", paths), headers, small_c,
                                                  2 if args.quick else 5, work, name)

    # The lane-off server would reload beside ptn-serve during the reload test: done with it.
    PROCS.stop(ptn_off)

    # ---- reload test: lookups under wrk while output.json is rewritten every 5 s
    reload = reload_test(ptn, ptn_port, root, hotkeys, auth, work, reload_duration, small_c)
    rss_end = proc_status(ptn.pid)

    # ---- stop ptn-serve (SIGTERM, as pm2/systemd do) and read its log: anything above info
    t_stop = time.monotonic()
    PROCS.stop(ptn, grace=10)
    stop_s = time.monotonic() - t_stop
    notes.append(f"ptn-serve stopped {stop_s:.2f} s after SIGTERM with exit code {ptn.returncode}")
    with open(os.path.join(work, "ptn-serve.log"), errors="replace") as f:
        log_lines = f.read().splitlines()
    odd = [l for l in log_lines if any(w in l.lower() for w in (" warning ", " error ", "error:", " critical ",
                                                                 "fatal"))]

    PROCS.stop_all()
    # ---- the billing export (issue 20): no server running, a seeded usage database
    import usage_export
    export = usage_export.measure(binary, work)
    print(f"bench: usage export {json.dumps(export)}", flush=True)
    # ---- the change feed's targets (issue 10): its own server, after this one stopped
    feed = None
    if not args.no_feed:
        import feed_bench
        feed = feed_bench.run(binary, args.data, work, quick=args.quick)
    # ---- several replicas sharing PostgreSQL: three of them, their own PostgreSQL, after the feed's server stopped
    replicas = None
    if not args.no_replicas:
        import replica_bench
        if not replica_bench.postgres_programs():
            notes.append("the replicas' section was skipped: PostgreSQL is not installed (apt-get install postgresql)")
        else:
            try:
                replicas = replica_bench.run(binary, args.data, work, quick=args.quick)
            except Exception as exc:  # the rest of the report stands; the reason is noted
                import traceback
                traceback.print_exc()
                notes.append(f"the replicas' section failed: {exc!r} (logs in {work})")
    # the big files of the work dir (the logs stay)
    for big in (binary, os.path.join(root, "validation/outputs/output.json"),
                os.path.join(static, "miner-positions.json.gz")):
        try:
            os.remove(big)
        except OSError:
            pass
    machine_after = machine_info()

    report = render(args, manifest, results, endpoints, ready_s, gzip_ready_s, settled_s, rss_ready, rss_after, rss_end, reload, notes,
                    odd, machine_before, machine_after, duration, seed_duration, reload_duration, big_c, small_c, export)
    report = report.rstrip("\n") + "\n\n" + profile_rows.render(PROFILED_PAIRS, profiles)
    if feed:
        report = report.rstrip("\n") + "\n\n" + sys.modules["feed_bench"].render(feed)
    if replicas:
        report = report.rstrip("\n") + "\n\n" + sys.modules["replica_bench"].render(replicas)
    print()
    print(report)
    results_path = args.results or (os.path.join(work, "RESULTS.md") if args.quick
                                    else os.path.join(HERE, "RESULTS.md"))
    with open(results_path, "w") as f:
        f.write(report)
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"results": results, "usage_export": export, "reload": reload, "ready_s": ready_s, "gzip_ready_s": gzip_ready_s, "settled_s": settled_s, "rss_ready": rss_ready,
                   "rss_after": rss_after, "rss_end": rss_end, "notes": notes, "odd_log_lines": odd[:50]}, f,
                  indent=1, default=str)
    print(f"\nbench: wrote {results_path} (raw numbers and logs in {work})")


def reload_test(ptn, port, root, hotkeys, auth, work, total_s, connections):
    out_path = os.path.join(root, "validation/outputs/output.json")
    with open(out_path, "rb") as f:
        original = f.read()
    base = original.rstrip()
    assert base.endswith(b"}")
    base = base[:-1]
    tmp = out_path + ".bench-tmp"

    def rewrite(version):
        """Writes a new version beside output.json, renames it over it; seconds until the server shows it (or None)."""
        marker = f"5BenchReloadMarker{version:06d}"
        payload = base + (', "%s": {"positions": [], "all_time_returns": 1.0, "n_positions": 0, '
                          '"percentage_profitable": 0.0, "bench_version": %d}}' % (marker, version)).encode()
        with open(tmp, "wb") as f:
            f.write(payload)
        renamed = time.monotonic()
        os.replace(tmp, out_path)
        polls = 0
        while time.monotonic() - renamed < 10.0:
            polls += 1
            try:
                s, _, _ = http_get(port, f"/miner-positions/{marker}", auth, timeout=5)
            except OSError:
                s = None
            if s == 200:
                return renamed, time.monotonic() - renamed, polls
            time.sleep(0.02)
        return renamed, None, polls

    def show(label, visible):
        print(f"bench: reload {label}: visible after "
              f"{'%.3f s' % visible if visible is not None else 'NOT within 10 s'}", flush=True)

    # One rewrite with no load first: the visibility delay of the reload alone.
    _, idle_visible, _ = rewrite(0)
    show("without load", idle_visible)
    time.sleep(1.0)

    pf = os.path.join(work, "paths-reload.txt")
    with open(pf, "w") as f:
        f.write("\n".join(f"/miner-positions/{h}" for h in hotkeys) + "\n")
    argv = wrk(port, pf, auth, connections, int(total_s), 20)
    wrk_proc = PROCS.start("wrk-reload", argv, os.path.join(work, "wrk-reload.log"))

    peak = {"VmRSS": 0}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            rss = proc_status(ptn.pid).get("VmRSS", 0)
            peak["VmRSS"] = max(peak["VmRSS"], rss)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.monotonic()
    time.sleep(2.0)
    rewrites = []
    version = 0
    while time.monotonic() - start + 5.0 <= total_s and version < 100:
        version += 1
        renamed, visible, polls = rewrite(version)
        rewrites.append({"version": version, "visible_s": visible, "polls": polls})
        show(str(version), visible)
        next_at = renamed + 5.0
        while time.monotonic() < next_at and time.monotonic() - start < total_s:
            time.sleep(0.05)
    try:
        wrk_proc.wait(timeout=total_s + 60)
    except subprocess.TimeoutExpired:
        PROCS.stop(wrk_proc)
    stop.set()
    sampler.join(timeout=2)
    with open(os.path.join(work, "wrk-reload.log")) as f:
        r = parse_wrk(f.read())
    # put the original back (the served root is private to this run, but keep it tidy)
    with open(tmp, "wb") as f:
        f.write(original)
    os.replace(tmp, out_path)
    return {"wrk": r, "rewrites": rewrites, "idle_visible_s": idle_visible, "peak_rss": peak["VmRSS"],
            "duration_s": total_s, "connections": connections}


def machine_info():
    info = {"nproc": os.cpu_count(), "kernel": platform.release(), "loadavg": os.getloadavg()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
        with open("/proc/meminfo") as f:
            info["mem_gib"] = int(f.readline().split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    info["wrk"] = run(["wrk", "-v"]).splitlines()[0] if run(["wrk", "-v"]) else "?"
    res = subprocess.run(["nginx", "-v"], capture_output=True, text=True)
    info["nginx"] = (res.stderr or res.stdout).strip()
    info["python"] = platform.python_version()
    try:
        import flask, waitress  # noqa: E401
        from importlib.metadata import version
        info["flask"] = version("flask")
        info["waitress"] = version("waitress")
    except Exception:
        pass
    info["swift"] = run(["swift", "--version"]).splitlines()[0] if shutil.which("swift") else "?"
    try:
        ps = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu"], capture_output=True, text=True, timeout=10)
        info["top"] = [l.strip() for l in ps.stdout.splitlines()[1:6]]
    except (OSError, subprocess.TimeoutExpired):
        info["top"] = []
    return info


def render(args, manifest, results, endpoints, ready_s, gzip_ready_s, settled_s, rss_ready, rss_after, rss_end, reload, notes, odd,
           mb, ma, duration, seed_duration, reload_duration, big_c, small_c, export=None):
    L = []
    L.append("# ptn-serve benchmark results\n")
    L.append(f"Run {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}"
             f"{' (quick smoke run: short runs, not a measurement)' if args.quick else ''}.\n")
    L.append("Command (from the repository root):\n")
    L.append("```\n" + args.command + "\n```\n")
    L.append("## Machine\n")
    L.append(f"- {mb.get('nproc')} cores: {mb.get('cpu', '?')}; {mb.get('mem_gib', 0):.1f} GiB memory; "
             f"kernel {mb.get('kernel')}")
    L.append(f"- {mb.get('wrk')}; {mb.get('nginx')}; Python {mb.get('python')}, Flask {mb.get('flask', '?')}, "
             f"waitress {mb.get('waitress', '?')}; {mb.get('swift')}")
    L.append(f"- load average (1 min) {mb['loadavg'][0]:.2f} at the start, {ma['loadavg'][0]:.2f} at the end; "
             f"busiest processes at the start: {', '.join(mb.get('top', [])[:4])}")
    loads = [r["loadavg"] for row in results.values() for r in row.values() if r]
    if loads:
        L.append(f"- load average (1 min) after each row: {min(loads):.2f} to {max(loads):.2f} "
                 f"(2 cores: above 2 means other processes competed for the CPU)")
    L.append("- shared machine: other work (compilers) may run at the same time, and wrk shares the 2 cores with "
             "the server it measures; compare the ratios within this run, not absolute numbers across runs.\n")
    L.append("## Data set (bench/gen_data.py, deterministic)\n")
    L.append(f"{manifest['miners']} miners (real PTN entries under real hotkeys, perturbed), output.json "
             f"{manifest['output_json_bytes'] / 1e6:.1f} MB, single-miner answers "
             f"{manifest['miner_entry_bytes']['min'] / 1e3:.0f}–{manifest['miner_entry_bytes']['max'] / 1e3:.0f} KB, "
             f"minerstatistics.json {manifest['statistics_bytes'] / 1e6:.1f} MB, validator checkpoint "
             f"{manifest['checkpoint_json_bytes'] / 1e6:.1f} MB ({manifest['checkpoint_gz_bytes'] / 1e6:.1f} MB "
             f"gzip), tier 50 file {manifest['tiers']['50']['gz'] / 1e6:.1f} MB gzip. Served files on disk: "
             f"{manifest['served_bytes_on_disk'] / 1e6:.1f} MB.\n")

    L.append("## Results\n")
    repeat = max(1, args.repeat or (1 if args.quick else 3))
    L.append(f"wrk, 2 threads; ptn-serve and nginx {duration:g} s per row each ({small_c} connections for small answers, "
             f"{big_c} for whole files), as {repeat} runs of {duration / repeat:g} s taking turns (ptn-serve, nginx, "
             f"on two rows the floor's two servers, then ptn-serve again, ...); each server's row is its median run, its CPU per request over all its runs. The seed server {seed_duration:g} s with 2 connections (it needs ~1 s or "
             f"more per request). Latencies in ms. Errors = non-2xx/3xx answers + socket errors + timeouts.\n")
    L.append("| endpoint | body | conns | ptn-serve req/s | p50 | p99 | err | nginx req/s | p50 | p99 | err "
             "| seed req/s | p50 | p99 | err | ptn/nginx | ptn/seed |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: | ---: | ---: |")
    ratios = {}
    for name, label, _, conns in endpoints:
        row = results[name]
        p, n, s = row.get("ptn"), row.get("nginx"), row.get("seed")
        body = None
        for r in (p, n):
            if r and r.get("body_bytes") is not None:
                body = r["body_bytes"]
                break
        def cells(r):
            if r is None:
                return ["n/a", "", "", ""]
            return [fmt_rps(r["rps"]), fmt_ms(r["p50_us"]) if r["requests"] else "–",
                    fmt_ms(r["p99_us"]) if r["requests"] else "–", str(r["errors"])]
        r_n = p["rps"] / n["rps"] if p and n and n["rps"] else None
        r_s, r_s_lb = None, False
        if p and s:
            if s["rps"] > 0:
                r_s = p["rps"] / s["rps"]
            else:  # none finished in the run: bound the seed's rate by one request per run
                r_s, r_s_lb = p["rps"] / (1.0 / seed_duration), True
        ratios[name] = (r_n, r_s, r_s_lb)
        label_body = "304, no body" if name == "304" else fmt_size(body)
        L.append("| " + " | ".join([label, label_body, f"{conns}/2"] + cells(p) + cells(n) + cells(s) +
                                   [fmt_ratio(r_n), fmt_ratio(r_s, r_s_lb)]) + " |")
    L.append("")
    L.append("Server CPU time per request (user + system, from /proc, all of the server's processes; wrk and other "
             "processes excluded). On a busy machine this is steadier than req/s: it says how much work each answer "
             "costs, whoever else runs.\n")
    L.append("| endpoint | ptn-serve µs/req | nginx µs/req | seed µs/req | ptn-serve/nginx CPU | ptn-serve CPU used | nginx CPU used |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, label, _, conns in endpoints:
        row = results[name]
        p, n, s_ = row.get("ptn"), row.get("nginx"), row.get("seed")
        cp = p.get("cpu_us_per_req") if p else None
        cn = n.get("cpu_us_per_req") if n else None
        cs = s_.get("cpu_us_per_req") if s_ else None
        L.append(f"| {label} | {fmt_cpu(cp)} | {fmt_cpu(cn)} | {fmt_cpu(cs)} | "
                 f"{fmt_ratio(cp / cn) if cp and cn else 'n/a'} | "
                 f"{'%.2f cores' % (p['cpu_s'] / (p['duration_us'] / 1e6)) if p else 'n/a'} | "
                 f"{'%.2f cores' % (n['cpu_s'] / (n['duration_us'] / 1e6)) if n else 'n/a'} |")
    L.append("")
    L.append("Rows: *single-miner lookup*: `/miner-positions/<hotkey>` over all hotkeys at random (nginx: the same "
             "bytes as per-miner static files `miners/<hotkey>.json`); */miner-hotkeys*: the hotkey array (nginx: "
             "ptn-serve's answer saved as a file); */statistics/<hotkey>/*: one miner's statistics element over all "
             "hotkeys at random (nginx: per-miner files); */miner-positions*: all of output.json, identity; "
             "*gzip*: the same with `Accept-Encoding: gzip` (nginx: ptn-serve's gzip body saved as a file; the seed "
             "ignores Accept-Encoding and sends identity JSON); *tier=50*: the tier file's gzip bytes; *checkpoint*: "
             "the validator checkpoint's gzip bytes; */eliminations*: a 64-byte file, the small-body baseline of the "
             "304 row; *304*: `/miner-positions` with `If-None-Match` set to the ETag the server returned (the seed "
             "has no ETag). conns = connections for ptn-serve and nginx / for the seed.\n")

    layers = [("nio", "NIO alone: HTTP/1 pipeline, head and body written and flushed together"),
              ("bare", "Hummingbird alone: one route, the body as one ByteBuffer, no middleware"),
              ("ptn-off", "ptn-serve, `--fast-lane off`: Hummingbird's request path, with the key check, both rate "
                          "limits, metrics, size caps, error mapping"),
              ("ptn", "ptn-serve, fast lane (the default): the same decision on the event loop"),
              ("nginx", "nginx: static files, sendfile + tcp_nopush")]
    if any(results[name].get(server) for name in ("lookup", "small") for server in ("bare", "nio")):
        L.append("## The floor: the same bytes, layer by layer\n")
        L.append("The lookup's and the 64-byte row's very bytes, held in memory and answered by NIO alone and by a bare "
                 "Hummingbird 2 application (`bench-bare-hummingbird`, built with ptn-serve, no middleware), measured "
                 "in the same turns as ptn-serve and nginx. The 64-byte row is the fixed cost of a request; the lookup "
                 "adds the cost of sending 216 KB. ptn-serve runs twice: with its fast lane (the default: table reads "
                 "answered on the event loop) and with `--fast-lane off` (every request through Hummingbird); where "
                 "the 64-byte answer's time goes on each lane is under \"Where the time goes\" below, and what was tried "
                 "to close the gap to nginx, measured, is in [HISTORY.md](HISTORY.md).\n")
        L.append("| layer | lookup req/s | p99 | µs/req | CPU vs nginx | 64 B req/s | p99 | µs/req | CPU vs nginx |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for server, label in layers:
            cells = []
            for name in ("lookup", "small"):
                r, n = results[name].get(server), results[name].get("nginx")
                c, cn = (r or {}).get("cpu_us_per_req"), (n or {}).get("cpu_us_per_req")
                cells += [fmt_rps(r["rps"]) if r else "n/a", fmt_ms(r["p99_us"]) if r else "n/a", fmt_cpu(c),
                          fmt_ratio(c / cn) if c and cn else "n/a"]
            L.append(f"| {label} | " + " | ".join(cells) + " |")
        L.append("")

    disk = manifest["served_bytes_on_disk"]
    L.append("## ptn-serve memory and start-up\n")
    L.append(f"- start to ready (process start to first accepted TCP connection; every file is served from then on): "
             f"**{ready_s:.2f} s**")
    L.append(f"- start to gzip forms ready (the compression pass after start-up; until then clients that accept gzip "
             f"get identity JSON): output.json's after {'never' if gzip_ready_s is None else f'{gzip_ready_s:.2f} s'}, "
             f"the whole pass (server idle) after {settled_s:.2f} s; the table starts after that")
    L.append(f"- RSS when ready: {fmt_size(rss_ready.get('VmRSS'))} = {fmt_size(rss_ready.get('RssAnon'))} "
             f"anonymous (heap) + {fmt_size(rss_ready.get('RssFile'))} file-backed (mostly the binary)")
    L.append(f"- RSS: {fmt_size(rss_ready.get('VmRSS'))} when ready, {fmt_size(rss_after.get('VmRSS'))} after the "
             f"table, {fmt_size(reload['peak_rss'])} peak during the reload test (sampled every 50 ms), "
             f"{fmt_size(rss_end.get('VmHWM'))} high-water mark (VmHWM) at the end; served files on disk "
             f"{fmt_size(disk)} → peak/disk **{max(rss_end.get('VmHWM', 0), reload['peak_rss']) / disk:.2f}×**\n")

    L.append("## Reload test\n")
    rw = reload["rewrites"]
    vis = [x["visible_s"] for x in rw if x["visible_s"] is not None]
    r = reload["wrk"]
    L.append(f"For {reload['duration_s']:g} s, wrk drives single-miner lookups ({reload['connections']} connections, "
             f"random hotkeys) while output.json ({manifest['output_json_bytes'] / 1e6:.1f} MB) is rewritten every 5 s "
             f"(written beside it, then renamed over it) with one extra marker miner per version; visibility = time "
             f"from the rename until `/miner-positions/<marker>` answers 200 (polled every 20 ms).\n")
    iv = reload["idle_visible_s"]
    L.append(f"- one rewrite before the load, alone: visible after "
             f"{'%.2f s' % iv if iv is not None else 'never (10 s)'}")
    L.append(f"- rewrites under load: {len(rw)}; visible after: "
             f"{', '.join('%.2f s' % x['visible_s'] if x['visible_s'] is not None else 'never (10 s)' for x in rw)}")
    L.append(f"- lookups during the test: {fmt_rps(r['rps'])} req/s, p50 {fmt_ms(r['p50_us'])} ms, p90 "
             f"{fmt_ms(r['p90_us'])} ms, p99 {fmt_ms(r['p99_us'])} ms, max {fmt_ms(r['max_us'])} ms, errors "
             f"{r['errors']} (status {r['status']}, connect {r['connect']}, read {r['read']}, write {r['write']}, "
             f"timeout {r['timeout']})\n")

    L.append("## Targets (issue 3)\n")
    L.append("| target | measured | holds |")
    L.append("| --- | --- | --- |")

    def target(label, measured, ok):
        L.append(f"| {label} | {measured} | {'yes' if ok else ('**no**' if ok is not None else 'n/a')} |")

    lk = results["lookup"]["ptn"]
    rn, rs, rs_lb = ratios["lookup"]
    target("lookup ≥ 1.0× nginx (per-miner static files)", fmt_ratio(rn), rn is not None and rn >= 1.0)
    target("lookup p99 ≤ 10 ms (64 connections)", f"{fmt_ms(lk['p99_us'])} ms", lk["p99_us"] <= 10_000)
    target("lookup ≥ 10,000× the seed", fmt_ratio(rs, rs_lb), None if rs is None else rs >= 10_000)
    for name, label in (("positions", "/miner-positions (identity) ≥ 0.9× nginx"),
                        ("tier50", "tier .gz file ≥ 0.9× nginx")):
        rn = ratios[name][0]
        target(label, fmt_ratio(rn), None if rn is None else rn >= 0.9)
    p304, small = results["304"]["ptn"], results["small"]["ptn"]
    if p304 and small and small["rps"]:
        q = p304["rps"] / small["rps"]
        target("304 ≥ 0.8× the 64-byte-body rate (ptn-serve)", f"{fmt_ratio(q)} ({fmt_rps(p304['rps'])} vs "
               f"{fmt_rps(small['rps'])} req/s)", q >= 0.8 and p304["errors"] == 0)
    else:
        target("304 ≥ 0.8× the 64-byte-body rate (ptn-serve)", "no 304 support measured", None)
    filtered, summary, hot = results["filtered"]["ptn"], results["summary"]["ptn"], results["hotkeys"]["ptn"]
    if filtered and lk["rps"]:
        q = filtered["rps"] / lk["rps"]
        target("filtered lookup ≥ 0.8× the lookup, p99 ≤ 15 ms (issue 11)",
               f"{fmt_ratio(q)}, p99 {fmt_ms(filtered['p99_us'])} ms", q >= 0.8 and filtered["p99_us"] <= 15_000)
    if summary and hot and hot["rps"]:
        q = summary["rps"] / hot["rps"]
        target("every miner's summary (?fields=) ≥ 0.8× /miner-hotkeys (issue 11)", fmt_ratio(q), q >= 0.8)
    vmax = max(vis) if vis else None
    target("reload visible ≤ 2 s", f"max {vmax:.2f} s over {len(rw)} rewrites" if vis and len(vis) == len(rw)
           else f"{len(rw) - len(vis)} of {len(rw)} rewrites never visible", bool(vis) and len(vis) == len(rw)
           and vmax <= 2.0)
    target("0 errors during reloads", str(r["errors"]), r["errors"] == 0)
    target("lookup p99 ≤ 20 ms during reloads", f"{fmt_ms(r['p99_us'])} ms", r["p99_us"] <= 20_000)
    steady = rss_after.get("VmRSS", 0)
    target("RSS ≤ 3× on-disk size of the served files: steady (after the table)",
           f"{steady / disk:.2f}× ({fmt_size(steady)} / {fmt_size(disk)})", steady <= 3 * disk)
    peak = max(rss_end.get("VmHWM", 0), reload["peak_rss"])
    target("… and at the peak (VmHWM: start-up and reloads included)",
           f"{peak / disk:.2f}× ({fmt_size(peak)} / {fmt_size(disk)})", peak <= 3 * disk)
    target("start to ready ≤ 3 s", f"{ready_s:.2f} s", ready_s <= 3.0)
    metered = results.get("lookup-quota", {}).get("ptn")
    if metered and lk["rps"] and lk.get("cpu_us_per_req") and metered.get("cpu_us_per_req"):
        # CPU per request is the figure that holds on a shared machine; req/s is shown beside it.
        cost = metered["cpu_us_per_req"] / lk["cpu_us_per_req"] - 1
        target("metering costs ≤ 5 % of the lookup (a key with a quota vs without; CPU per request) (issue 20)",
               f"{cost * 100:+.1f} % CPU/req, {fmt_ratio(metered['rps'] / lk['rps'])} req/s", cost <= 0.05)
    if export:
        import usage_export
        L.append(usage_export.render(export))
    L.append("")

    L.append("## Notes\n")
    for n in notes:
        L.append(f"- {n}")
    if odd:
        L.append(f"- ptn-serve logged {len(odd)} line(s) above info; the first ones:")
        L.append("```")
        L.extend(l[:300] for l in odd[:8])
        L.append("```")
    else:
        L.append("- ptn-serve logged no warning or error during the run.")
    L.append("- nginx: `sendfile on`, 2 workers, `keepalive_requests` raised so wrk's keep-alive connections are "
             "never closed by the server (as with ptn-serve); access log off.")
    L.append("- The seed server (bench/seed_server.py) is a re-implementation from the seed README, not the original "
             "code; it keeps the seed's cost model (open and parse the file on every request).")
    L.append("- The tier files use a simplified tier rule (see gen_data.py); the served bytes are what matter here.")
    L.append("")
    L.append("What changed between runs, what was tried and measured by hand, and what is still open: "
             "[HISTORY.md](HISTORY.md) (written by hand; run.sh regenerates this file only).")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    try:
        main()
    finally:
        PROCS.stop_all()
