"""Where a row's server CPU goes: perf samples of ptn-serve under the row's wrk load, split into a few named parts.

bench.py profiles the filtered rows of issue 11 beside the rows they are measured against (the lookup, /miner-hotkeys)
and RESULTS.md shows each part in µs per request (its share of the samples × the row's CPU per request): what a
filtered answer costs over the unfiltered one, and where. Needs `perf` (Debian: linux-perf); without it the section
says so and the rest of the bench is unaffected.
"""

import os
import re
import shutil
import subprocess
import threading

import bench

# (label, the mangled-symbol pattern whose inclusive share is the part); "… " parts are inside the part above them.
PARTS = [
    ("socket writes (writev, in the kernel)", r"__GI___writev|^writev$"),
    ("HTTP/1 response encoding (NIO's HTTPResponseEncoder)", r"HTTPResponseEncoderC5write"),
    ("the fast lane's answer (FastLane.respond)", r"8FastLaneV7respond"),
    ("Hummingbird's route handler (TableAnswer.respond)", r"11TableAnswerV7respond"),
    ("… finding the route (the fast lane's; Hummingbird's router is outside)", r"FastLaneRoutesV5match"),
    ("… the key: digest and lookup (KeyedAccess.admitted)", r"KeyedAccessO8admitted"),
    ("… the route's answer (TableRouteController.answer)", r"TableRouteControllerV6answer"),
    ("… … reading the filters (EntryQuery)", r"EntryQueryV_7filters6others"),
    ("… … the answer cache (QueryCache.answer)", r"QueryCacheC6answer"),
    ("… … building answers (EntryFiltering)", r"EntryFilteringO5apply"),
    ("… plan and rate limits (TableAnswer.commit)", r"TableAnswerV6commit"),
    ("request log, metrics, usage (RequestLogMiddleware.record)", r"RequestLogMiddlewareV6record"),
]


def available():
    return shutil.which("perf") is not None


def profile(port, pid, paths_file, headers, connections, seconds, out_dir, name):
    """Records `seconds` of ptn-serve under wrk's load of `paths_file`; returns {part label: share 0..1} and wrk's run."""
    data = os.path.join(out_dir, f"perf-{name}.data")
    recorder = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-p", str(pid), "-o", data, "--", "sleep",
                                 str(seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = {}

    def load():
        result["wrk"] = bench.run_wrk(port, paths_file, headers, connections, seconds + 1, timeout_s=20, server_pid=pid)

    driver = threading.Thread(target=load)
    driver.start()
    recorder.wait()
    driver.join()
    report = subprocess.run(["perf", "report", "-i", data, "--children", "--sort", "symbol", "-g", "none", "--stdio"],
                            capture_output=True, text=True, timeout=600).stdout
    shares = {}
    for label, pattern in PARTS:
        best = 0.0
        for line in report.splitlines():
            # "  children%  self%  [.] symbol  (other columns)"
            found = re.match(r"\s*([\d.]+)%\s+[\d.]+%\s+\[.\]\s+(\S+)", line)
            if found and re.search(pattern, found.group(2)):
                best = max(best, float(found.group(1)) / 100)
        shares[label] = best
    try:
        os.remove(data)
    except OSError:
        pass
    return {"shares": shares, "wrk": result.get("wrk")}


def render(pairs, profiles):
    """The RESULTS.md section: per pair (baseline row, filtered row), each part in µs per request."""
    L = ["## Where the time goes (perf)\n"]
    if not profiles:
        L.append("Not measured: `perf` is not installed (Debian: linux-perf).\n")
        return "\n".join(L)
    L.append("perf samples ptn-serve (all its threads) for a few seconds under each row's load, right after the table; "
             "each part is its share of the samples × that run's server CPU per request. Parts are inclusive "
             "(indented ones are inside the part above); the rest is HTTP/1 parsing, the channel pipeline, Hummingbird's "
             "request path, Swift concurrency and the kernel's other work. `small-off` is the 64-byte row on ptn-serve "
             "with `--fast-lane off`: the two lanes side by side.\n")
    for base, row in pairs:
        a, b = profiles.get(base), profiles.get(row)
        if not a or not b or not a["wrk"] or not b["wrk"]:
            continue
        ca, cb = a["wrk"].get("cpu_us_per_req"), b["wrk"].get("cpu_us_per_req")
        if not ca or not cb:
            continue
        ka = a["wrk"]["bytes"] / max(a["wrk"]["requests"], 1) / 1e3
        kb = b["wrk"]["bytes"] / max(b["wrk"]["requests"], 1) / 1e3
        L.append(f"| µs per request | {base} ({ka:.0f} KB) | {row} ({kb:.0f} KB) | difference |")
        L.append("| --- | --- | --- | --- |")
        L.append(f"| server CPU, all of it | {ca:.0f} | {cb:.0f} | {cb - ca:+.0f} |")
        for label, _ in PARTS:
            ua, ub = a["shares"][label] * ca, b["shares"][label] * cb
            L.append(f"| {label} | {ua:.1f} | {ub:.1f} | {ub - ua:+.1f} |")
        ra, rb = a["wrk"]["rps"], b["wrk"]["rps"]
        if ra:
            L.append(f"| (req/s during the profile) | {bench.fmt_rps(ra)} | {bench.fmt_rps(rb)} | {rb / ra:.2f}× |")
        L.append("")
    return "\n".join(L)
