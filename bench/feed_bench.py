#!/usr/bin/env python3
"""The change feed's targets (issue 10), measured in one run against the built binary:

- freshness: time from the rename of a new output.json (62 MB) to a position event reaching each of 1,000 subscribers
  (half WebSocket, half SSE), over 20 rewrites at the demo's change rate (1 to 3 positions per version); lost and
  repeated events per subscriber;
- bytes to stay current: what one stream follower receives per version against what a client polling
  /miner-positions with gzip and If-None-Match downloads per version, scaled to an hour at one version per 15 s;
- lookups while the 1,000 subscribers are connected, against the same lookups after they left;
- the CPU time of diffing a 62 MB version in which 1 % of the positions changed (the server's own per-thread figure,
  `ptn_serve_feed_last_diff_cpu_seconds`).

bench.py runs it after the main table (bench/run.sh) and appends its section to RESULTS.md. Alone:
    python3 bench/feed_bench.py --bin .build/release/ptn-serve --data /tmp/ptn-bench-data [--quick]
"""
import argparse
import asyncio
import http.client
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time

import bench

HOST = bench.HOST


class Follower:
    """One subscriber: what arrived (arrival time, raw payload) and how many bytes."""

    def __init__(self, transport):
        self.transport = transport
        self.arrivals = []
        self.bytes = 0
        self.ready = False
        self.error = None


async def follow_ws(port, key, follower):
    import websockets
    try:
        async with websockets.connect(f"ws://{HOST}:{port}", max_size=None, ping_interval=None) as ws:
            await ws.send(json.dumps({"api_key": key, "last_sequence": -1}))
            assert json.loads(await ws.recv())["status"] == "success"
            await ws.send(json.dumps({"type": "subscribe", "all": True}))
            await ws.recv()
            follower.ready = True
            async for message in ws:
                follower.arrivals.append((time.time(), message))
                follower.bytes += len(message)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # recorded: the report counts subscribers that failed
        follower.error = repr(exc)


async def follow_sse(port, key, follower):
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(f"GET /events HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {key}\r\n\r\n".encode())
        await writer.drain()
        status = await reader.readline()
        assert b" 200 " in status, status
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        follower.ready = True
        pending = b""
        while True:  # the body is chunked
            size_line = await reader.readline()
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                return
            chunk = (await reader.readexactly(size + 2))[:-2]
            follower.bytes += len(size_line) + size + 2
            pending += chunk
            while b"\n\n" in pending:
                event, pending = pending.split(b"\n\n", 1)
                if event.startswith(b"id: "):
                    follower.arrivals.append((time.time(), event))
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        follower.error = repr(exc)


def position_marks(follower):
    """(rewrite, position) pairs a follower got: each changed position's current_return is 2.RRRPPP."""
    marks = []
    for arrived, payload in follower.arrivals:
        if isinstance(payload, bytes):  # SSE: the data line of an item_changed event of the positions feed
            text = payload.decode(errors="replace")
            if "event: item_changed" not in text or '"feed":"positions"' not in text:
                continue
            data = json.loads(text.split("data: ", 1)[1])
            value = data["item"]["current_return"]
        else:
            value = json.loads(payload)["data"]["position"]["current_return"]
        text = "%.6f" % value
        if text.startswith("2."):
            marks.append((int(text[2:5]), int(text[5:8]), arrived))
    return marks


async def connect(followers, coroutine_for, limit=60.0, max_pending=None):
    """Starts coroutine_for(index, follower) for each follower, 50 at a time (and, with max_pending, never more than
    that many still connecting), and waits (at most limit seconds) until each is ready or failed; returns the tasks."""
    tasks = []
    deadline = time.monotonic() + limit
    for i, follower in enumerate(followers):
        while (max_pending and time.monotonic() < deadline
               and sum(not (f.ready or f.error) for f in followers[:i]) >= max_pending):
            await asyncio.sleep(0.01)
        tasks.append(asyncio.create_task(coroutine_for(i, follower)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # pace the connects: 1,000 at once only measures the accept queue
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not all(f.ready or f.error for f in followers):
        await asyncio.sleep(0.05)
    return tasks


def version_changes(r, positions):
    """The changes of rewrite r, as the demo's validator makes them (1 to 3 positions, chosen at random), and the marks
    (r, j) its events carry: {position index: new current_return}, {(r, j)}."""
    count = random.randint(1, 3)
    chosen = random.sample(range(positions), count)
    return {index: b"2.%03d%03d" % (r, j) for j, index in enumerate(chosen)}, {(r, j) for j in range(count)}


def delay_stats(delays):
    delays = sorted(delays)
    return {"median": statistics.median(delays) if delays else None,
            "p99": delays[int(len(delays) * 0.99)] if delays else None,
            "max": delays[-1] if delays else None, "count": len(delays)}


def tally(marks_per_follower, expected, renamed):
    """From each connected follower's position_marks: delays from each rename to each arrival, and the expected events
    that never came (lost) or came again (repeated), over all followers."""
    delays, lost, repeated = [], 0, 0
    for marks in marks_per_follower:
        got = [(r, j) for r, j, _ in marks]
        lost += len(expected - set(got))
        repeated += len(got) - len(set(got))
        delays += [arrived - renamed[r] for r, j, arrived in marks if r in renamed]
    return {"delays": delay_stats(delays), "lost": lost, "repeated": repeated}


class Writer:
    """Rewrites output.json as a validator does (beside it, then renamed over it), changing chosen positions'
    current_return; every change stays in the later versions."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.original = f.read()
        self.numbers = [m.span(1) for m in re.finditer(rb'"current_return": ([-0-9.eE+]+)', self.original)]
        self.overrides = {}

    def write(self, changes):
        self.overrides.update(changes)
        parts, at = [], 0
        for index in sorted(self.overrides):
            start, end = self.numbers[index]
            parts += [self.original[at:start], self.overrides[index]]
            at = end
        parts.append(self.original[at:])
        with open(self.path + ".feed-tmp", "wb") as f:
            f.write(b"".join(parts))
        os.replace(self.path + ".feed-tmp", self.path)
        return time.time()


def metric(port, name, feed="positions"):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    for line in text.splitlines():
        if line.startswith(name) and f'feed="{feed}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return None


def poll_bytes(port, auth, etag):
    """One poll of /miner-positions with gzip and the last ETag: bytes on the wire (head and body) and the new ETag."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    headers = dict(auth, **{"Accept-Encoding": "gzip"})
    if etag:
        headers["If-None-Match"] = etag
    conn.request("GET", "/miner-positions", headers=headers)
    response = conn.getresponse()
    body = response.read()
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 2
    conn.close()
    return head + len(body), response.getheader("ETag") or etag


# PTN's limit of 5 WebSocket connections per key: the subscribers share keys four by four.
SUBSCRIBERS_PER_KEY = 4


def subscriber_key(index):
    return "feed-bench-subscriber-%04d" % (index // SUBSCRIBERS_PER_KEY)


def write_keys(path, key, subscribers):
    keys = {"bench": {"key": key, "tier": 100}}
    for index in range(0, subscribers, SUBSCRIBERS_PER_KEY):
        keys["subscriber-%04d" % (index // SUBSCRIBERS_PER_KEY)] = {"key": subscriber_key(index), "tier": 100}
    with open(path, "w") as f:
        json.dump(keys, f)
    os.chmod(path, 0o600)


def subscriber_count(quick):
    return 40 if quick else 1000


async def run_async(args, port, ws_port, metrics_port, key, auth, root, hotkeys, work, server):
    quick = args.quick
    subscribers = subscriber_count(quick)
    rewrites = 4 if quick else 20
    # Long enough for the reload, the diff and the new version's gzip form (the poller asks for it at the end).
    interval = 5.0
    writer = Writer(os.path.join(root, "validation/outputs/output.json"))
    random.seed(10)
    report = {"subscribers": subscribers, "rewrites": rewrites, "positions": len(writer.numbers)}

    # ---- connect the subscribers: half WebSocket, half SSE
    followers = [Follower("ws" if i % 2 == 0 else "sse") for i in range(subscribers)]
    tasks = await connect(followers, lambda i, follower: (
        follow_ws(ws_port, subscriber_key(i), follower) if follower.transport == "ws"
        else follow_sse(port, subscriber_key(i), follower)))
    report["connected"] = sum(f.ready for f in followers)
    report["failed"] = [f.error for f in followers if f.error][:3]
    print(f"feed: {report['connected']} of {subscribers} subscribers connected", flush=True)

    # ---- lookups with the subscribers connected
    lookups = os.path.join(work, "paths-feed-lookup.txt")
    with open(lookups, "w") as f:
        f.write("\n".join(f"/miner-positions/{h}" for h in hotkeys) + "\n")
    duration = 3 if quick else 10
    loop = asyncio.get_running_loop()
    report["lookup_with"] = await loop.run_in_executor(
        None, lambda: bench.run_wrk(port, lookups, auth, 64, duration, 10, server_pid=server.pid))
    print(f"feed: lookups with subscribers: {report['lookup_with']['rps']:,.0f} req/s", flush=True)

    # ---- rewrites at the demo's rate: 1 to 3 positions per version
    renamed, expected = {}, set()
    etag, polled = None, []
    _, etag = await loop.run_in_executor(None, poll_bytes, port, auth, None)
    bytes_before = {id(f): f.bytes for f in followers}
    for r in range(rewrites):
        changes, marks = version_changes(r, len(writer.numbers))
        expected |= marks
        renamed[r] = await loop.run_in_executor(None, writer.write, changes)
        # The poller takes the new version just before the next one, as one polling every 15 s would find it.
        rest = interval - (time.time() - renamed[r])
        if rest > 0:
            await asyncio.sleep(rest)
        size, etag = await loop.run_in_executor(None, poll_bytes, port, auth, etag)
        polled.append(size)
    await asyncio.sleep(2)
    ws_one = next(f for f in followers if f.transport == "ws" and f.ready)
    sse_one = next(f for f in followers if f.transport == "sse" and f.ready)
    report["ws_bytes_per_version"] = (ws_one.bytes - bytes_before[id(ws_one)]) / rewrites
    report["sse_bytes_per_version"] = (sse_one.bytes - bytes_before[id(sse_one)]) / rewrites
    report["poll_bytes_per_version"] = statistics.mean(polled)
    report["events_per_version"] = len(expected) / rewrites

    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    report.update(tally([position_marks(f) for f in followers if f.ready], expected, renamed))
    lost, repeated = report["lost"], report["repeated"]
    print(f"feed: freshness median {report['delays']['median']} s, lost {lost}, repeated {repeated}", flush=True)

    # ---- lookups after the subscribers left
    await asyncio.sleep(1)
    report["lookup_without"] = await loop.run_in_executor(
        None, lambda: bench.run_wrk(port, lookups, auth, 64, duration, 10, server_pid=server.pid))
    print(f"feed: lookups without subscribers: {report['lookup_without']['rps']:,.0f} req/s", flush=True)

    # ---- the diff of a version with 1 % of the positions changed
    diffs = []
    share = max(1, len(writer.numbers) // 100)
    for r in range(2 if quick else 5):
        before = metric(metrics_port, "ptn_serve_feed_diff_cpu_microseconds_total")
        chosen = random.sample(range(len(writer.numbers)), share)
        await loop.run_in_executor(None, writer.write, {i: b"3.%03d%03d" % (r, n % 1000) for n, i in enumerate(chosen)})
        until = time.monotonic() + 20
        while time.monotonic() < until and metric(metrics_port, "ptn_serve_feed_diff_cpu_microseconds_total") == before:
            await asyncio.sleep(0.1)
        diffs.append(metric(metrics_port, "ptn_serve_feed_last_diff_cpu_seconds"))
        await asyncio.sleep(1)
    report["diff_changed"] = share
    report["diff_cpu_s"] = diffs
    print(f"feed: diff CPU with {share} positions changed: {diffs}", flush=True)
    return report


def run(binary, data, work, quick=False):
    """Starts its own ptn-serve over a private copy of output.json and measures; returns the report dict."""
    args = argparse.Namespace(quick=quick)
    with open(os.path.join(data, "manifest.json")) as f:
        key = json.load(f)["key"]
    auth = {"Authorization": f"Bearer {key}"}
    hotkeys = [h for h in open(os.path.join(data, "hotkeys.txt")).read().split("\n") if h]
    root = os.path.join(work, "feed-root")
    os.makedirs(os.path.join(root, "validation", "outputs"), exist_ok=True)
    shutil.copyfile(os.path.join(data, "validation/outputs/output.json"), os.path.join(root, "validation/outputs/output.json"))
    for link in ("validation/outputs/tiered_positions", "validation/eliminations.json", "runnable"):
        target = os.path.join(root, link)
        if not os.path.lexists(target):
            os.symlink(os.path.join(data, link), target)
    keys = os.path.join(work, "feed-api-keys.json")
    write_keys(keys, key, subscriber_count(quick))
    port, ws_port, metrics_port = bench.free_port(), bench.free_port(), bench.free_port()
    server = bench.PROCS.start("ptn-serve (feed)", [
        binary, "serve", "--data-dir", root, "--api-keys", keys,
        "--host", HOST, "--port", str(port), "--ws-port", str(ws_port), "--metrics-port", str(metrics_port),
        "--state-dir", os.path.join(work, "feed-state"), "--rate-limit", "100000000/s", "--ip-rate-limit", "100000000/s",
        "--max-connections", "10000", "--log-level", "notice"], os.path.join(work, "ptn-serve-feed.log"))
    try:
        bench.wait_port(port, server)
        bench.wait_port(ws_port, server)
        bench.wait_idle(server.pid)
        return asyncio.run(run_async(args, port, ws_port, metrics_port, key, auth, root, hotkeys, work, server))
    finally:
        bench.PROCS.stop(server, grace=10)
        try:
            os.remove(os.path.join(root, "validation/outputs/output.json"))
        except OSError:
            pass


def render(report):
    """The RESULTS.md section."""
    d = report["delays"]
    hour = 3600 / 15
    ws_hour = report["ws_bytes_per_version"] * hour
    sse_hour = report["sse_bytes_per_version"] * hour + hour * len(": keep-alive\n\n")
    poll_hour = report["poll_bytes_per_version"] * hour
    with_, without = report["lookup_with"], report["lookup_without"]
    ratio = with_["rps"] / without["rps"] if without["rps"] else 0
    diff_max = max(x for x in report["diff_cpu_s"] if x is not None) if any(report["diff_cpu_s"]) else None

    def ms(s):
        return "n/a" if s is None else f"{s * 1000:.0f} ms"

    lines = [
        "## Change feed (issue 10)",
        "",
        f"A second ptn-serve over a private output.json ({report['positions']:,} positions), with "
        f"{report['connected']:,} of {report['subscribers']:,} subscribers connected (half over the WebSocket port, half "
        f"over `/events`), each following every position change. output.json was rewritten {report['rewrites']} times "
        f"(beside it, then renamed over it), {report['events_per_version']:.1f} positions changed per version on average "
        "(the demo's validator trades 1 to 3 miners per tick). Arrival times are taken in the one Python process that "
        "holds all subscribers, so they include its own queueing.",
        "",
        f"- rename to event at a subscriber: median {ms(d['median'])}, p99 {ms(d['p99'])}, max {ms(d['max'])} "
        f"({d['count']:,} deliveries)",
        f"- lost events {report['lost']}, repeated events {report['repeated']} (over all subscribers)",
        f"- per version: a WebSocket follower received {report['ws_bytes_per_version']:,.0f} bytes, an SSE follower "
        f"{report['sse_bytes_per_version']:,.0f}, a poller of /miner-positions (gzip, If-None-Match) "
        f"{report['poll_bytes_per_version']:,.0f}",
        f"- an hour at one version per 15 s: WebSocket {bench.fmt_size(ws_hour)}, SSE {bench.fmt_size(sse_hour)} (keep-alives "
        f"included), polling {bench.fmt_size(poll_hour)}: **{poll_hour / max(ws_hour, sse_hour):,.0f}×** fewer bytes "
        "for a follower",
        f"- single-miner lookups (64 connections, random hotkeys) with the subscribers connected: {with_['rps']:,.0f} req/s, "
        f"p99 {bench.fmt_ms(with_['p99_us'])} ms, {bench.fmt_cpu(with_.get('cpu_us_per_req'))} µs CPU/req; after they left: "
        f"{without['rps']:,.0f} req/s, p99 {bench.fmt_ms(without['p99_us'])} ms, {bench.fmt_cpu(without.get('cpu_us_per_req'))} "
        f"µs CPU/req ({ratio:.2f}×)",
        f"- diffing a version with {report['diff_changed']:,} positions (1 %) changed: "
        + ", ".join(ms(x) for x in report["diff_cpu_s"]) + " of CPU (the diffing thread's own time)",
        "",
        "| target | measured | holds |",
        "| --- | --- | --- |",
        f"| freshness: median rename → subscriber ≤ 1 s, {report['subscribers']:,} subscribers | {ms(d['median'])} | "
        f"{'yes' if d['median'] is not None and d['median'] <= 1 and report['connected'] == report['subscribers'] else '**no**'} |",
        f"| 0 lost, 0 repeated per subscriber | {report['lost']} lost, {report['repeated']} repeated | "
        f"{'yes' if report['lost'] == 0 and report['repeated'] == 0 else '**no**'} |",
        f"| diff of a 62 MB version, 1 % changed ≤ 300 ms CPU | {ms(diff_max)} (max) | "
        f"{'yes' if diff_max is not None and diff_max <= 0.3 else '**no**'} |",
        f"| bytes to stay current ≥ 100× fewer than polling | {poll_hour / max(ws_hour, sse_hour):,.0f}× | "
        f"{'yes' if poll_hour >= 100 * max(ws_hour, sse_hour) else '**no**'} |",
        f"| lookups within noise with subscribers connected | {ratio:.2f}× of the rate without | "
        f"{'yes' if ratio >= 0.85 else '**no**'} |",
        "",
    ]
    if report["failed"]:
        lines.insert(-1, f"Subscribers that failed to connect, first reasons: {report['failed']}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description="ptn-serve change feed benchmark")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ptn-feed-bench-")
    binary = os.path.join(work, "ptn-serve")
    shutil.copy2(args.bin, binary)
    report = run(binary, args.data, work, quick=args.quick)
    print(render(report))


if __name__ == "__main__":
    try:
        main()
    finally:
        bench.PROCS.stop_all()
