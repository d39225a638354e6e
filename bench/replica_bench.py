#!/usr/bin/env python3
"""Several replicas sharing PostgreSQL (README "Several replicas"), measured in one run against the built binary:

1. freshness through a follower: three replicas over one data folder and one throwaway PostgreSQL; subscribers spread
   over the three (half WebSocket, half SSE); output.json rewritten as feed_bench.py rewrites it (beside it, renamed
   over it, 1 to 3 positions changed); the time from each rename to the position event at each subscriber, lost and
   repeated events, by the role of the replica the subscriber is connected to (the writer diffs and appends to the
   shared journal; a follower hears of it by LISTEN/NOTIFY and reads it from the database);
2. lookups on a follower (with --database) against the same lookups on a replica without --database over the same
   data: single-miner lookups with random hotkeys, 64 connections, as bench.py's lookup row; the two take turns
   (A B B A ...), req/s and the server's CPU per request compared;
3. one follower holding 5,000 WebSocket subscribers: RSS before and after they connect (per subscriber), then the
   freshness of a few rewrites at all of them.

Subscribers live in child processes of this script (several, so that 5,000 WebSocket clients connect in reasonable
time and their own queueing stays small), which use feed_bench.py's clients; arrival times are taken there with the
same clock. bench.py runs it after the change feed's section (bench/run.sh; --no-replicas skips it). Alone:

    python3 bench/replica_bench.py --bin .build/release/ptn-serve --data /tmp/ptn-bench-data [--quick] [--results FILE]

--results FILE puts the section into FILE (replacing a "## Several replicas" section already there, else appending).
PostgreSQL's programs are taken from PATH or /usr/lib/postgresql/<newest>/bin (apt-get install postgresql).
"""
import argparse
import asyncio
import glob
import json
import os
import pwd
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import feed_bench  # noqa: E402

HOST = bench.HOST
HEADING = "## Several replicas"


def raise_fd_limit():
    """Lifts the open-file limit to its hard limit (5,000 subscribers need more than the usual 1,024); returns it.
    The replicas inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            return soft
    return hard


# ----------------------------------------------------------------------------------------------------------------
# a throwaway PostgreSQL, as the Swift tests' TestPostgres starts one


def postgres_programs():
    """The folder holding initdb, postgres, pg_isready and createdb: on PATH, else the newest /usr/lib/postgresql/*/bin;
    None when PostgreSQL is not installed."""
    folders = os.environ.get("PATH", "").split(":")
    folders += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0, reverse=True)
    for folder in folders:
        initdb = os.path.join(folder, "initdb")
        if os.access(initdb, os.X_OK):
            home = os.path.dirname(os.path.realpath(initdb))
            if all(os.access(os.path.join(home, p), os.X_OK) for p in ("postgres", "pg_isready", "createdb")):
                return home
    return None


class Postgres:
    """initdb in a temporary folder (trust authentication, user postgres), the server on a free loopback port with its
    socket in that folder and fsync off; as root it runs as the postgres user (PostgreSQL refuses root)."""

    def __init__(self, log_path):
        self.bin = postgres_programs()
        if not self.bin:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.folder = tempfile.mkdtemp(prefix="ptn-replica-bench-pg-", dir="/tmp")
        self.run_as = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.port = bench.free_port()
        self.log_path = log_path
        self.proc = None

    def program(self, name, *args, timeout=120):
        res = subprocess.run(self.run_as + [os.path.join(self.bin, name), *args], cwd=self.folder,
                             capture_output=True, text=True, timeout=timeout)
        if res.returncode != 0:
            raise RuntimeError(f"{name} failed ({res.returncode}): {res.stdout[-500:]} {res.stderr[-500:]}")
        return res.stdout

    def start(self, database="ptn_bench"):
        """Starts the server and creates an empty database; returns its URL."""
        self.program("initdb", "-D", "data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        self.proc = bench.PROCS.start("postgres", self.run_as + [
            os.path.join(self.bin, "postgres"), "-D", "data", "-p", str(self.port), "-k", self.folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=200"], self.log_path, cwd=self.folder)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited with {self.proc.returncode} (log: {self.log_path})")
            try:
                self.program("pg_isready", "-q", "-h", HOST, "-p", str(self.port), timeout=10)
                break
            except (RuntimeError, subprocess.TimeoutExpired):
                if time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start in 60 s")
                time.sleep(0.2)
        self.program("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", database)
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def cpu_ticks(self):
        """CPU ticks of the server and all its backends."""
        return bench.group_cpu_ticks(self.proc.pid) if self.proc else 0

    def stop(self):
        """A fast shutdown (SIGINT to the postmaster), then the folder is removed."""
        if self.proc and self.proc.poll() is None:
            try:
                with open(os.path.join(self.folder, "data", "postmaster.pid")) as f:
                    os.kill(int(f.readline()), signal.SIGINT)
                self.proc.wait(timeout=20)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
            bench.PROCS.stop(self.proc)
        shutil.rmtree(self.folder, ignore_errors=True)


# ----------------------------------------------------------------------------------------------------------------
# replicas


class Replica:
    def __init__(self, name, proc, port, ws_port, metrics_port, log_path):
        self.name, self.proc, self.port, self.ws_port, self.metrics_port, self.log_path = (
            name, proc, port, ws_port, metrics_port, log_path)
        self.role = None

    def ready(self):
        """/ready's JSON (its status may be 503 while loading), or None."""
        try:
            _, _, body = bench.http_get(self.port, "/ready", {}, timeout=5)
            return json.loads(body)
        except (OSError, ValueError):
            return None

    def database(self):
        return (self.ready() or {}).get("database") or {}


def start_replica(binary, name, root, keys, work, database=None):
    port, ws_port, metrics_port = bench.free_port(), bench.free_port(), bench.free_port()
    log_path = os.path.join(work, f"ptn-serve-{name}.log")
    argv = [binary, "serve", "--data-dir", root, "--api-keys", keys,
            "--host", HOST, "--port", str(port), "--ws-port", str(ws_port), "--metrics-port", str(metrics_port),
            "--state-dir", os.path.join(work, f"state-{name}"),
            "--rate-limit", "100000000/s", "--ip-rate-limit", "100000000/s", "--max-connections", "12000",
            "--log-level", "notice"]
    if database:
        argv += ["--database", database]
    proc = bench.PROCS.start(f"ptn-serve ({name})", argv, log_path)
    return Replica(name, proc, port, ws_port, metrics_port, log_path)


def start_replicas(binary, names, root, keys, work, database=None):
    """Starts the replicas and waits until each listens on both ports; one that lost a port to another process on this
    busy machine (free_port's port taken before it bound it) is started again on new ports, twice at most."""
    replicas = [start_replica(binary, name, root, keys, work, database) for name in names]
    for i, name in enumerate(names):
        for attempt in range(3):
            r = replicas[i]
            try:
                bench.wait_port(r.port, r.proc)
                bench.wait_port(r.ws_port, r.proc)
                break
            except RuntimeError:
                with open(r.log_path, errors="replace") as f:
                    taken = "Address already in use" in f.read()
                if r.proc.poll() is None or not taken or attempt == 2:
                    raise
                os.rename(r.log_path, r.log_path + f".port-taken-{attempt}")
                replicas[i] = start_replica(binary, name, root, keys, work, database)
    return replicas


def wait_roles(replicas, limit=120.0):
    """Waits until exactly one replica is the writer and the others follow, all connected and ok; sets .role."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for r in replicas:
            if r.proc.poll() is not None:
                raise RuntimeError(f"replica {r.name} exited with {r.proc.returncode} (log: {r.log_path})")
        states = [r.database() for r in replicas]
        roles = [s.get("role") for s in states]
        if (roles.count("writer") == 1 and roles.count("follower") == len(replicas) - 1
                and all(s.get("connected") and s.get("state") == "ok" for s in states)):
            for r, role in zip(replicas, roles):
                r.role = role
            return time.monotonic() - (deadline - limit)
        time.sleep(0.2)
    raise RuntimeError(f"no single writer after {limit:.0f} s: {[r.database() for r in replicas]}")


class LagSampler:
    """Polls each replica's /ready database block every 0.1 s on a thread: the largest lag seen, any role change or
    degraded state, and when its applied_sequence moved (the events of a version reached the replica: taken from the
    database on a follower, appended on the writer), for applied_delays."""

    def __init__(self, replicas):
        self.replicas = replicas
        self.applied = {r.name: [] for r in replicas}  # (time the answer came, applied_sequence), on each change
        self.max_lag = {r.name: 0 for r in replicas}
        self.roles = {r.name: {r.role} for r in replicas}
        self.degraded = {r.name: [] for r in replicas}
        self.samples = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stopping.wait(0.1):
            for r in self.replicas:
                d = r.database()
                if not d:
                    continue
                seen = self.applied[r.name]
                if not seen or seen[-1][1] != d.get("applied_sequence"):
                    seen.append((time.time(), d.get("applied_sequence")))
                self.max_lag[r.name] = max(self.max_lag[r.name], d.get("lag") or 0)
                self.roles[r.name].add(d.get("role"))
                if d.get("state") != "ok" and len(self.degraded[r.name]) < 3:
                    self.degraded[r.name].append(d.get("reason"))
            self.samples += 1

    def applied_delays(self, name, renamed):
        """For each rename, the seconds until the replica's applied_sequence was seen moving past what it was at the
        rename (an upper bound: the poll's period and /ready's answer time are in it)."""
        delays = []
        for r, at in sorted(renamed.items()):
            before = [seq for t, seq in self.applied[name] if t <= at]
            after = [t for t, seq in self.applied[name] if t > at and (not before or seq != before[-1])]
            if after:
                delays.append(after[0] - at)
        return delays

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=10)


# ----------------------------------------------------------------------------------------------------------------
# subscribers in child processes


def subscriber_worker(spec_path, out_path):
    """A child process: connects its subscribers (feed_bench's clients), writes OUT.ready, keeps them until SIGUSR1
    (or spec["max_s"]), then writes each subscriber's position marks to OUT."""
    raise_fd_limit()
    with open(spec_path) as f:
        spec = json.load(f)
    asyncio.run(_subscriber_worker(spec, out_path))


def _write_json(path, value):
    with open(path + ".tmp", "w") as f:
        json.dump(value, f)
    os.replace(path + ".tmp", path)


async def _subscriber_worker(spec, out_path):
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, stop.set)
    entries = spec["subscribers"]
    followers = [feed_bench.Follower(transport) for transport, _, _ in entries]

    def coroutine_for(i, follower):
        transport, port, key = entries[i]
        return (feed_bench.follow_ws(port, key, follower) if transport == "ws"
                else feed_bench.follow_sse(port, key, follower))

    started = time.monotonic()
    # At most 100 handshakes in flight per process: thousands at once time out in the clients' own queue.
    tasks = await feed_bench.connect(followers, coroutine_for, limit=spec["limit"], max_pending=100)
    _write_json(out_path + ".ready", {"ready": sum(f.ready for f in followers), "connect_s": time.monotonic() - started,
                                      "failed": [f.error for f in followers if f.error][:3]})
    try:
        await asyncio.wait_for(stop.wait(), spec["max_s"])
    except asyncio.TimeoutError:
        pass
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    marks, errors = [], []
    for f in followers:
        try:
            marks.append(feed_bench.position_marks(f) if f.ready else [])
            errors.append(f.error)
        except Exception as exc:  # a frame the parser did not expect: counted as this subscriber's error
            marks.append([])
            errors.append("position_marks: " + repr(exc))
    _write_json(out_path, {"ready": [f.ready for f in followers], "errors": errors, "marks": marks,
                           "bytes": [f.bytes for f in followers]})


class SubscriberGroup:
    """Subscribers ([(transport, port, key, label)]) split over `processes` child processes."""

    def __init__(self, work, name, subscribers, processes, limit):
        self.work, self.name, self.subscribers, self.limit = work, name, subscribers, limit
        self.parts = [subscribers[k::processes] for k in range(processes)]
        self.procs, self.outs = [], []

    def connect(self, max_s=3600):
        """Starts the children and waits until each has connected its subscribers (or given up); returns the count
        connected and the connect time (the slowest child's)."""
        for k, part in enumerate(self.parts):
            spec = os.path.join(self.work, f"{self.name}-{k}.spec.json")
            out = os.path.join(self.work, f"{self.name}-{k}.out.json")
            _write_json(spec, {"subscribers": [[t, p, key] for t, p, key, _ in part], "limit": self.limit,
                               "max_s": max_s})
            self.outs.append(out)
            self.procs.append(bench.PROCS.start(f"subscribers {self.name}-{k}", [
                sys.executable, os.path.abspath(__file__), "_subscribers", spec, out],
                os.path.join(self.work, f"{self.name}-{k}.log")))
        deadline = time.monotonic() + self.limit + 60
        readies = [None] * len(self.procs)
        while time.monotonic() < deadline and not all(readies):
            for k, (p, out) in enumerate(zip(self.procs, self.outs)):
                if readies[k] is None and os.path.exists(out + ".ready"):
                    with open(out + ".ready") as f:
                        readies[k] = json.load(f)
                elif readies[k] is None and p.poll() is not None:
                    raise RuntimeError(f"subscriber process {self.name}-{k} exited with {p.returncode}")
            time.sleep(0.1)
        if not all(readies):
            raise RuntimeError(f"subscriber processes of {self.name} not ready after {self.limit + 60:.0f} s")
        self.failed = [e for r in readies for e in r["failed"]][:3]
        return sum(r["ready"] for r in readies), max(r["connect_s"] for r in readies)

    def collect(self):
        """Ends the subscribers; returns [(label, marks, bytes)] of those that connected, and the errors."""
        for p in self.procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGUSR1)
        rows, errors = [], []
        for k, (p, out) in enumerate(zip(self.procs, self.outs)):
            try:
                p.wait(timeout=180)
            except subprocess.TimeoutExpired:
                bench.PROCS.stop(p)
            if not os.path.exists(out):
                raise RuntimeError(f"subscriber process {self.name}-{k} wrote nothing (log: {self.work}/{self.name}-{k}.log)")
            with open(out) as f:
                result = json.load(f)
            for (_, _, _, label), ready, marks, error, size in zip(self.parts[k], result["ready"], result["marks"],
                                                                   result["errors"], result["bytes"]):
                if ready:
                    rows.append((label, [tuple(m) for m in marks], size))
                if error:
                    errors.append(error)
        return rows, errors


def rewrite(writer, first, count, interval, positions):
    """count versions of output.json, interval seconds apart (feed_bench's changes, numbered from `first`): the rename
    times and the expected marks."""
    renamed, expected = {}, set()
    for r in range(first, first + count):
        changes, marks = feed_bench.version_changes(r, positions)
        expected |= marks
        renamed[r] = writer.write(changes)
        rest = interval - (time.time() - renamed[r])
        if rest > 0:
            time.sleep(rest)
    return renamed, expected


def cpu_ticks(replicas, group):
    """CPU ticks so far of each replica and of the subscriber processes together."""
    ticks = {r.name: bench.group_cpu_ticks(r.proc.pid) for r in replicas}
    ticks["subscribers"] = sum(bench.proc_cpu_ticks(p.pid) or 0 for p in group.procs)
    return ticks


def cpu_per_version(before, after, versions):
    """CPU seconds per version, from two cpu_ticks readings."""
    return {k: (after[k] - before[k]) / bench.CLK_TCK / versions for k in before}


def first_arrivals(marks_per_follower, renamed):
    """For each version, the delay to the first subscriber that got one of its events: the server's part, before the
    fan-out to the others and the clients' own queueing."""
    first = {}
    for marks in marks_per_follower:
        for r, _, arrived in marks:
            if r in renamed:
                first[r] = min(first.get(r, float("inf")), arrived - renamed[r])
    return feed_bench.delay_stats(list(first.values()))


def odd_log_lines(path, start=0, end=None):
    """The lines of a replica's log (from byte start to end) above notice (warnings, errors), as bench.py picks them."""
    try:
        with open(path, "rb") as f:
            f.seek(start)
            lines = f.read(-1 if end is None else max(0, end - start)).decode(errors="replace").splitlines()
    except OSError:
        return []
    return [l for l in lines if any(w in l.lower() for w in (" warning ", " error ", "error:", " critical ", "fatal"))]


# ----------------------------------------------------------------------------------------------------------------
# the run


def sizes(quick):
    if quick:
        return {"subscribers": 60, "rewrites": 3, "interval": 5.0, "processes": 2, "wrk_s": 3, "turns": 4,
                "many": 300, "many_rewrites": 3}
    return {"subscribers": 1000, "rewrites": 20, "interval": 5.0, "processes": 2, "wrk_s": 5, "turns": 12,
            "many": 5000, "many_rewrites": 5}


def run(binary, data, work, quick=False, size=None):
    """Starts PostgreSQL, three replicas and the subscribers, measures the three rows; returns the report dict."""
    size = dict(sizes(quick), **(size or {}))
    size.setdefault("many_processes", max(1, -(-size["many"] // 1000)))  # a client process per 1,000 WebSockets
    fd_limit = raise_fd_limit()
    with open(os.path.join(data, "manifest.json")) as f:
        key = json.load(f)["key"]
    auth = {"Authorization": f"Bearer {key}"}
    hotkeys = [h for h in open(os.path.join(data, "hotkeys.txt")).read().split("\n") if h]
    # One data folder for every replica (as on a shared disk): a private output.json, the rest linked to the data set.
    root = os.path.join(work, "replica-root")
    os.makedirs(os.path.join(root, "validation", "outputs"), exist_ok=True)
    output = os.path.join(root, "validation/outputs/output.json")
    shutil.copyfile(os.path.join(data, "validation/outputs/output.json"), output)
    for link in ("validation/outputs/tiered_positions", "validation/eliminations.json", "runnable"):
        target = os.path.join(root, link)
        if not os.path.lexists(target):
            os.symlink(os.path.join(data, link), target)
    keys = os.path.join(work, "replica-api-keys.json")
    many_first = size["subscribers"]  # row 3's subscribers take the keys after row 1's
    feed_bench.write_keys(keys, key, many_first + size["many"])
    lookups = os.path.join(work, "paths-replica-lookup.txt")
    with open(lookups, "w") as f:
        f.write("\n".join(f"/miner-positions/{h}" for h in hotkeys) + "\n")

    report = {"size": size, "fd_limit": fd_limit, "quick": quick, "loadavg": {"start": os.getloadavg()[0]}}
    pg = Postgres(os.path.join(work, "postgres.log"))
    replicas = []
    try:
        url = pg.start()
        t0 = time.monotonic()
        replicas = start_replicas(binary, [f"replica-{n}" for n in range(3)], root, keys, work, url)
        wait_roles(replicas)
        report["roles_s"] = time.monotonic() - t0
        for r in replicas:
            bench.wait_idle(r.proc.pid)
        writer_replica = next(r for r in replicas if r.role == "writer")
        followers = [r for r in replicas if r.role == "follower"]
        report["roles"] = {r.name: r.role for r in replicas}
        print(f"replicas: {', '.join(f'{r.name} {r.role}' for r in replicas)} (one writer after "
              f"{report['roles_s']:.1f} s)", flush=True)
        writer = feed_bench.Writer(output)
        random.seed(10)
        report["positions"] = len(writer.numbers)
        report["output_bytes"] = len(writer.original)

        # ---- 2. lookups: a follower with --database against a replica without, the same data, taking turns; first,
        # while both have the same history (one version loaded, no subscriber yet)
        follower = followers[0]
        solo, = start_replicas(binary, ["no-database"], root, keys, work)
        bench.wait_idle(solo.proc.pid)
        bench.wait_idle(follower.proc.pid)
        runs = {"database": [], "none": []}
        pg_ticks = 0
        order = ["database", "none", "none", "database"] * ((size["turns"] + 3) // 4)
        for turn, which in enumerate(order[:size["turns"]]):
            server = follower if which == "database" else solo
            before = pg.cpu_ticks()
            r = bench.run_wrk(server.port, lookups, auth, 64, size["wrk_s"], 10, server_pid=server.proc.pid, seed=turn + 1)
            if which == "database":
                pg_ticks += pg.cpu_ticks() - before
            runs[which].append(r)
            bench.print_row("lookup", "db" if which == "database" else "no-db", r)
        report["lookup"] = {which: bench.median_run(rs) for which, rs in runs.items()}
        for which, rs in runs.items():
            # The rate over all its turns (requests / seconds): on a busy machine a single run's rate is luck.
            report["lookup"][which]["rps_all"] = sum(r["requests"] for r in rs) / (sum(r["duration_us"] for r in rs) / 1e6)
        report["loadavg"]["lookups"] = os.getloadavg()[0]
        requests_db = sum(r["requests"] for r in runs["database"])
        report["lookup"]["postgres_cpu_us_per_req"] = pg_ticks / bench.CLK_TCK * 1e6 / requests_db if requests_db else None
        bench.PROCS.stop(solo.proc, grace=10)
        report["solo_log"] = odd_log_lines(solo.log_path)

        # ---- 1. freshness through the followers: subscribers over the three replicas, half WebSocket, half SSE
        subs = []
        for i in range(size["subscribers"]):
            r = replicas[i % 3]
            transport = "ws" if (i // 3) % 2 == 0 else "sse"
            subs.append((transport, r.ws_port if transport == "ws" else r.port, feed_bench.subscriber_key(i), r.name))
        group = SubscriberGroup(work, "spread", subs, size["processes"], limit=120)
        connected, connect_s = group.connect()
        report["spread_connected"] = connected
        print(f"replicas: {connected} of {len(subs)} subscribers connected over 3 replicas in {connect_s:.1f} s",
              flush=True)
        time.sleep(1)
        cpu = cpu_ticks(replicas, group)
        with LagSampler(replicas) as lag:
            renamed, expected = rewrite(writer, 0, size["rewrites"], size["interval"], len(writer.numbers))
            time.sleep(3)
        report["spread_cpu"] = cpu_per_version(cpu, cpu_ticks(replicas, group), size["rewrites"])
        report["spread_applied"] = {r.name: feed_bench.delay_stats(lag.applied_delays(r.name, renamed)) for r in replicas}
        report["spread_lag"] = {"max_lag": lag.max_lag, "roles": {k: sorted(map(str, v)) for k, v in lag.roles.items()},
                                "degraded": lag.degraded, "samples": lag.samples}
        report["spread_database"] = {r.name: r.database() for r in replicas}
        report["loadavg"]["freshness"] = os.getloadavg()[0]
        rows, errors = group.collect()
        report["spread_failed"] = group.failed + errors[:3]
        report["events_per_version"] = len(expected) / size["rewrites"]
        by_role = {"writer": [], "follower": []}
        by_replica = {r.name: [] for r in replicas}
        for label, marks, _ in rows:
            by_replica[label].append(marks)
            by_role[report["roles"][label]].append(marks)
        report["spread"] = {
            "all": feed_bench.tally([m for _, m, _ in rows], expected, renamed),
            "first": {role: first_arrivals(ms, renamed) for role, ms in by_role.items()},
            "roles": {role: dict(feed_bench.tally(ms, expected, renamed), subscribers=len(ms))
                      for role, ms in by_role.items()},
            "replicas": {name: dict(feed_bench.tally(ms, expected, renamed), subscribers=len(ms))
                         for name, ms in by_replica.items()},
        }
        f = report["spread"]["roles"]["follower"]
        print(f"replicas: freshness at followers' subscribers median {f['delays']['median']} s, p99 "
              f"{f['delays']['p99']} s, lost {f['lost']}, repeated {f['repeated']}; at the writer's median "
              f"{report['spread']['roles']['writer']['delays']['median']} s", flush=True)

        # ---- 3. one follower holding many WebSocket subscribers: memory, then freshness
        bench.wait_idle(follower.proc.pid)
        rss_before = bench.proc_status(follower.proc.pid).get("VmRSS")
        many = [("ws", follower.ws_port, feed_bench.subscriber_key(many_first + i), follower.name)
                for i in range(size["many"])]
        group = SubscriberGroup(work, "many", many, size["many_processes"], limit=600)
        connected, connect_s = group.connect()
        print(f"replicas: {connected} of {len(many)} WebSocket subscribers connected to {follower.name} in "
              f"{connect_s:.1f} s", flush=True)
        time.sleep(2)
        bench.wait_idle(follower.proc.pid, limit=30)
        rss_after = bench.proc_status(follower.proc.pid).get("VmRSS")
        report["many_connected"], report["many_connect_s"] = connected, connect_s
        report["many_rss"] = {"before": rss_before, "after": rss_after,
                              "per_subscriber": (rss_after - rss_before) / connected if connected and rss_after else None}
        cpu = cpu_ticks(replicas, group)
        with LagSampler(replicas) as lag:
            first = size["rewrites"]
            renamed, expected = rewrite(writer, first, size["many_rewrites"], size["interval"], len(writer.numbers))
            time.sleep(3)
        report["many_cpu"] = cpu_per_version(cpu, cpu_ticks(replicas, group), size["many_rewrites"])
        report["loadavg"]["many"] = os.getloadavg()[0]
        report["many_lag"] = {"max_lag": lag.max_lag, "degraded": lag.degraded}
        report["many_applied"] = feed_bench.delay_stats(lag.applied_delays(follower.name, renamed))
        report["many_rss"]["during"] = bench.proc_status(follower.proc.pid).get("VmRSS")
        rows, errors = group.collect()
        report["many_failed"] = group.failed + errors[:3]
        report["many"] = feed_bench.tally([m for _, m, _ in rows], expected, renamed)
        report["many_first"] = first_arrivals([m for _, m, _ in rows], renamed)
        report["many_replica"] = follower.name
        d = report["many"]["delays"]
        print(f"replicas: {connected} subscribers on one follower: median {d['median']} s, p99 {d['p99']} s, lost "
              f"{report['many']['lost']}, repeated {report['many']['repeated']}; RSS {bench.fmt_size(rss_before)} → "
              f"{bench.fmt_size(rss_after)}", flush=True)
        time.sleep(10)
        report["many_rss"]["left"] = bench.proc_status(follower.proc.pid).get("VmRSS")
        report["database_end"] = {r.name: r.database() for r in replicas}
    finally:
        # What each replica logged while measured, apart from what it logs when stopped (a writer says it no longer
        # writes the journal).
        for r in replicas:
            r.log_before_stop = os.path.getsize(r.log_path) if os.path.exists(r.log_path) else 0
        for r in replicas:
            bench.PROCS.stop(r.proc, grace=10)
        pg.stop()
        try:
            os.remove(output)
        except OSError:
            pass
    report["logs"] = {r.name: odd_log_lines(r.log_path, 0, r.log_before_stop) for r in replicas}
    report["logs_at_stop"] = {r.name: odd_log_lines(r.log_path, r.log_before_stop) for r in replicas}
    report["exit_codes"] = {r.name: r.proc.returncode for r in replicas}
    with open(os.path.join(work, "replica-results.json"), "w") as f:
        json.dump(report, f, indent=1, default=str)
    return report


# ----------------------------------------------------------------------------------------------------------------
# the section


def cpu_text(cpu, roles, interval):
    cores = os.cpu_count()
    return ", ".join(f"{k} ({roles[k]}) {v:.2f} s" if k in roles else f"the {k}' processes {v:.2f} s"
                     for k, v in cpu.items()) + f" (the machine has {cores * interval:.0f} s per {interval:.0f} s interval)"


def render(report):
    size = report["size"]

    def ms(s):
        return "n/a" if s is None else f"{s * 1000:,.0f} ms"

    def fresh(t):
        d = t["delays"]
        return (f"median {ms(d['median'])}, p99 {ms(d['p99'])}, max {ms(d['max'])} ({d['count']:,} deliveries; "
                f"{t['lost']} lost, {t['repeated']} repeated)")

    def holds(ok):
        return "yes" if ok else "**no**"

    spread = report["spread"]
    follower, writer_t = spread["roles"]["follower"], spread["roles"]["writer"]
    lk = report["lookup"]
    db, none = lk["database"], lk["none"]
    rps_ratio = db["rps_all"] / none["rps_all"] if none["rps_all"] else 0
    cpu_db, cpu_none = db.get("cpu_us_per_req"), none.get("cpu_us_per_req")
    cpu_ratio = cpu_db / cpu_none if cpu_db and cpu_none else None
    many, rss = report["many"], report["many_rss"]
    per_sub = rss.get("per_subscriber")
    writer_name = next(n for n, role in report["roles"].items() if role == "writer")
    fm, mm = follower["delays"]["median"], many["delays"]["median"]
    lines = [
        HEADING,
        "",
        f"Three ptn-serve replicas on this machine over one data folder (output.json {report['positions']:,} positions) "
        "and one throwaway PostgreSQL 15 (fsync off, on the same machine), each with its own state folder and ports; "
        f"one writer ({writer_name}) holds the lock, diffs each new version and appends to the shared journal, the two "
        "followers LISTEN and read the events from the database. Subscribers run in "
        f"{size['processes']} child processes of the benchmark (feed_bench.py's clients), arrival times taken there. "
        f"output.json was rewritten {size['rewrites']} times {size['interval']:.0f} s apart (beside it, then renamed "
        f"over it), {report['events_per_version']:.1f} positions changed per version on average. Every replica "
        f"reloads each version too: three parses of {report['output_bytes'] / 1e6:.0f} MB per version share the "
        f"machine ({os.cpu_count()} cores) with the subscribers and PostgreSQL. The machine's load average (1 min) "
        "at the end of each row: " + ", ".join(f"{k} {v:.1f}" for k, v in report["loadavg"].items()) + ".",
        "",
        f"- {report['spread_connected']:,} of {size['subscribers']:,} subscribers, a third per replica, half WebSocket, "
        "half SSE; rename → event:",
        f"  - at the followers' subscribers ({follower['subscribers']:,}): {fresh(follower)}",
        f"  - at the writer's subscribers ({writer_t['subscribers']:,}): {fresh(writer_t)}",
    ]
    for name, t in spread["replicas"].items():
        lines.append(f"  - {name} ({report['roles'][name]}): median {ms(t['delays']['median'])}, p99 "
                     f"{ms(t['delays']['p99'])}")
    first = spread["first"]
    lines += [
        f"- the first subscriber of a version got it after median {ms(first['writer']['median'])} (max "
        f"{ms(first['writer']['max'])}) at the writer, {ms(first['follower']['median'])} (max "
        f"{ms(first['follower']['max'])}) at the followers: the server's part; the rest of each delay is the fan-out "
        "and the client processes' own queueing",
        "- CPU per version during the rewrites: " + cpu_text(report["spread_cpu"], report["roles"], size["interval"]),
    ]
    lag = report["spread_lag"]
    lines += [
        f"- largest lag in /ready (events a replica is behind the database), polled every 0.1 s during the rewrites: "
        + ", ".join(f"{n} {v}" for n, v in lag["max_lag"].items())
        + ("; degraded: " + json.dumps(lag["degraded"]) if any(lag["degraded"].values()) else "; never degraded")
        + ("" if all(len(v) == 1 for v in lag["roles"].values()) else f"; roles seen: {lag['roles']}"),
        f"- single-miner lookups (64 connections, random hotkeys), {len(db['runs_rps'])} runs of {size['wrk_s']} s "
        "each, taking turns (A B B A …): a follower with `--database` "
        f"{db['rps_all']:,.0f} req/s over its turns (runs {', '.join(bench.fmt_rps(x) for x in db['runs_rps'])}), "
        f"median run's p99 "
        f"{bench.fmt_ms(db['p99_us'])} ms, {bench.fmt_cpu(cpu_db)} µs CPU/req; a replica without `--database` over "
        f"the same folder {none['rps_all']:,.0f} req/s (runs {', '.join(bench.fmt_rps(x) for x in none['runs_rps'])}), p99 "
        f"{bench.fmt_ms(none['p99_us'])} ms, {bench.fmt_cpu(cpu_none)} µs CPU/req; PostgreSQL's own CPU during the "
        f"follower's runs {bench.fmt_cpu(lk.get('postgres_cpu_us_per_req'))} µs/req (its usage rows); errors "
        f"{db['errors']} and {none['errors']}",
        f"- {report['many_connected']:,} of {size['many']:,} WebSocket subscribers on one follower "
        f"({report['many_replica']}; {size['many_processes']} client process{'es' if size['many_processes'] > 1 else ''}, connected in "
        f"{report['many_connect_s']:.0f} s): RSS {bench.fmt_size(rss['before'])} before, {bench.fmt_size(rss['after'])} "
        f"after they connected: **{(per_sub or 0) / 1024:,.1f} KB per subscriber**; "
        f"{bench.fmt_size(rss.get('during'))} after {size['many_rewrites']} rewrites, "
        f"{bench.fmt_size(rss.get('left'))} 10 s after they left",
        f"- rename → event at those {report['many_connected']:,}: {fresh(many)}; the first of them got a version's "
        f"events after median {ms(report['many_first']['median'])} (max {ms(report['many_first']['max'])}); CPU per "
        "version: " + cpu_text(report["many_cpu"], report["roles"], size["interval"]),
        "",
        "| target | measured | holds |",
        "| --- | --- | --- |",
        f"| freshness through a follower: median rename → frame ≤ 1 s, {size['subscribers']:,} subscribers over 3 "
        f"replicas | {ms(fm)} (p99 {ms(follower['delays']['p99'])}); writer's subscribers {ms(writer_t['delays']['median'])} | "
        f"{holds(fm is not None and fm <= 1 and report['spread_connected'] == size['subscribers'])} |",
        f"| 0 lost, 0 repeated, every replica | {spread['all']['lost']} lost, {spread['all']['repeated']} repeated | "
        f"{holds(spread['all']['lost'] == 0 and spread['all']['repeated'] == 0)} |",
        f"| follower lookups with `--database` within 5 % of without: req/s (over all turns) | {rps_ratio:.2f}× | "
        f"{holds(rps_ratio >= 0.95)} |",
        f"| … and CPU per request | {'n/a' if cpu_ratio is None else f'{cpu_ratio:.2f}×'} | "
        f"{holds(cpu_ratio is not None and cpu_ratio <= 1.05)} |",
        f"| one replica holds {size['many']:,} WebSocket subscribers, median rename → frame ≤ 1 s | "
        f"{report['many_connected']:,} connected, {ms(mm)}, {many['lost']} lost | "
        f"{holds(report['many_connected'] == size['many'] and mm is not None and mm <= 1 and many['lost'] == 0)} |",
        f"| memory per subscriber (reported) | {(per_sub or 0) / 1024:,.1f} KB | – |",
        "",
    ]
    failed = report["spread_failed"] + report["many_failed"]
    notes = []
    if failed:
        notes.append(f"Subscribers that failed, first reasons: {failed[:3]}")
    odd = {n: l for n, l in report["logs"].items() if l}
    if odd:
        notes.append("Replica log lines above notice: " + "; ".join(
            f"{n}: {len(l)} ({l[0][:200]!r}{' …' if len(l) > 1 else ''})" for n, l in odd.items()))
    else:
        notes.append("No replica logged a warning or an error while measured.")
    at_stop = {n: l for n, l in report.get("logs_at_stop", {}).items() if l}
    if at_stop:
        notes.append("When stopped (SIGTERM): " + "; ".join(
            f"{n}: {len(l)} ({l[0].split(' ', 1)[-1][:160]!r}{' …' if len(l) > 1 else ''})" for n, l in at_stop.items()))
    if report.get("command"):
        notes.append(f"Measured alone, {report['when']}: `{report['command']}`.")
    if report.get("quick"):
        notes.append("A --quick run: small numbers, not the targets' sizes.")
    lines += [" ".join(notes), ""]
    return "\n".join(lines)


def put_section(path, section):
    """Writes the section into path: in place of a "## Several replicas" section already there, else at the end."""
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        text = ""
    start = text.find(HEADING + "\n")
    if start >= 0:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section.rstrip("\n") + "\n" + (text[end:] if end >= 0 else "")
    else:
        text = (text.rstrip("\n") + "\n\n" if text else "") + section.rstrip("\n") + "\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "_subscribers":
        subscriber_worker(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description="ptn-serve replicas benchmark")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--quick", action="store_true", help="small numbers (60 subscribers, 300 on one replica, 3 rewrites)")
    ap.add_argument("--subscribers", type=int, help="row 1's subscribers over the three replicas")
    ap.add_argument("--rewrites", type=int, help="row 1's rewrites")
    ap.add_argument("--many", type=int, help="row 3's WebSocket subscribers on one follower")
    ap.add_argument("--results", help="put the section into this markdown file (replacing one already there)")
    args = ap.parse_args()
    size = {k: v for k, v in (("subscribers", args.subscribers), ("rewrites", args.rewrites), ("many", args.many))
            if v is not None}
    work = tempfile.mkdtemp(prefix="ptn-replica-bench-")
    print(f"replicas: work dir {work}", flush=True)
    binary = os.path.join(work, "ptn-serve")
    shutil.copy2(args.bin, binary)
    report = run(binary, args.data, work, quick=args.quick, size=size)
    report["command"] = "python3 bench/replica_bench.py " + " ".join(sys.argv[1:])
    report["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    os.remove(binary)
    section = render(report)
    print()
    print(section)
    if args.results:
        put_section(args.results, section)
        print(f"replicas: wrote the section into {args.results}")


if __name__ == "__main__":
    try:
        main()
    finally:
        bench.PROCS.stop_all()
