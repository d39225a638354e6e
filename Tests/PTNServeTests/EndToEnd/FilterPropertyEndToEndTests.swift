import Foundation
import Testing

/// Filtered reads against the built binary, checked against a reference filter written in Python from the issue's
/// words, over random combinations of filters, keys and miners.
@Suite("End to end: filtered reads equal a Python reference filter", .runsProcesses)
struct FilterPropertyEndToEndTests {
    /// Asks `count` random filtered questions of the positions routes and `count / 4` of /statistics, and prints
    /// {"checked": n, "mismatches": [...]}.
    static let script = """
        import gzip, json, random, sys, urllib.error, urllib.request
        port, count, tier100, tier30 = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
        files = {100: json.load(open("validation/outputs/output.json")),
                 30: json.load(gzip.open("validation/outputs/tiered_positions/30/output.json.gz"))}
        random.seed(20261130)

        def latest(p):
            times = [o.get("processed_ms") for o in p.get("orders", [])] + [p.get("close_ms")]
            times = [t for t in times if isinstance(t, (int, float)) and not isinstance(t, bool)]
            return max(times) if times else float("-inf")

        def pair(p):
            tp = p.get("trade_pair")
            return tp[0] if isinstance(tp, list) and tp else tp

        def reference(entry, q):
            positions = entry["positions"]
            if "trade_pair" in q: positions = [p for p in positions if pair(p) in q["trade_pair"].split(",")]
            if "status" in q: positions = [p for p in positions if p["is_closed_position"] == (q["status"] == "closed")]
            if "since_ms" in q: positions = [p for p in positions if latest(p) >= int(q["since_ms"])]
            if "limit" in q:
                ranked = sorted(range(len(positions)), key=lambda i: (-latest(positions[i]), i))[: int(q["limit"])]
                positions = [positions[i] for i in sorted(ranked)]
            out = dict(entry, positions=positions)
            if "fields" in q: out = {k: v for k, v in out.items() if k in q["fields"].split(",")}
            return out

        checked, mismatches = 0, []
        for _ in range(count):
            tier = random.choice([100, 30])
            key = tier100 if tier == 100 else tier30
            hotkey = random.choice(list(files[tier]))
            entry = files[tier][hotkey]
            q = {}
            if random.random() < 0.5:
                pairs = sorted({pair(p) for p in entry["positions"]}) + ["DOGEUSD"]
                q["trade_pair"] = ",".join(random.sample(pairs, random.randint(1, min(2, len(pairs)))))
            if random.random() < 0.5: q["status"] = random.choice(["open", "closed"])
            if random.random() < 0.5:
                times = sorted(latest(p) for p in entry["positions"] if latest(p) != float("-inf"))
                q["since_ms"] = str(int(random.choice(times)) if times and random.random() < 0.8 else random.randint(0, 2 * 10**12))
            if random.random() < 0.4: q["limit"] = str(random.randint(1, 12))
            if random.random() < 0.4:
                q["fields"] = ",".join(random.sample(list(entry) + ["nope"], random.randint(1, 3)))
            whole = random.random() < 0.3
            if whole:
                # The whole file: some miners (one maybe unknown), each filtered; a tier 30 key asks for its tier file.
                listed = random.sample(list(files[tier]), random.randint(1, len(files[tier]))) + (["5Nobody"] if random.random() < 0.3 else [])
                q_all = dict(q, hotkeys=",".join(listed), **({"tier": "30"} if tier == 30 else {}))
                query = "&".join(f"{k}={v}" for k, v in random.sample(list(q_all.items()), len(q_all)))
                url = f"http://127.0.0.1:{port}/miner-positions?{query}"
                want = {h: reference(e, q) for h, e in files[tier].items() if h in listed}
            else:
                query = "&".join(f"{k}={v}" for k, v in random.sample(list(q.items()), len(q)))
                url = f"http://127.0.0.1:{port}/miner-positions/{hotkey}" + ("?" + query if query else "")
                want = reference(entry, q)
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"})
            got = json.loads(urllib.request.urlopen(request).read())
            checked += 1
            if got != want:
                mismatches.append({"url": url, "tier": tier, "got_positions": len(got.get("positions", [])),
                                   "want_positions": len(want.get("positions", [])), "got_keys": sorted(got), "want_keys": sorted(want)})
        # Statistics: ?hotkeys= keeps those elements of `data`, ?fields= those members of each, with checkpoints=false.
        statistics = json.load(open("runnable/minerstatistics.json"))
        miners = [e["hotkey"] for e in statistics["data"]]
        for _ in range(count // 4):
            q = {}
            if random.random() < 0.7: q["hotkeys"] = ",".join(random.sample(miners + ["5Nobody"], random.randint(1, len(miners) + 1)))
            if random.random() < 0.7:
                names = sorted({k for e in statistics["data"] for k in e}) + ["nope"]
                q["fields"] = ",".join(random.sample(names, random.randint(1, 3)))
            if random.random() < 0.5: q["checkpoints"] = "false"
            if not q: q["checkpoints"] = "true"
            data = [e for e in statistics["data"] if "hotkeys" not in q or e["hotkey"] in q["hotkeys"].split(",")]
            if q.get("checkpoints") == "false": data = [{k: v for k, v in e.items() if k != "checkpoints"} for e in data]
            if "fields" in q: data = [{k: v for k, v in e.items() if k in q["fields"].split(",")} for e in data]
            if "hotkeys" in q or "fields" in q:
                want = dict(statistics, data=data)
            else:
                want = dict(statistics, data=data) if q.get("checkpoints") == "false" else statistics
            query = "&".join(f"{k}={v}" for k, v in random.sample(list(q.items()), len(q)))
            url = f"http://127.0.0.1:{port}/statistics?{query}"
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {tier100}", "Accept-Encoding": "identity"})
            got = json.loads(urllib.request.urlopen(request).read())
            checked += 1
            if got != want:
                mismatches.append({"url": url, "got": str(got)[:300], "want": str(want)[:300]})
        print(json.dumps({"checked": checked, "mismatches": mismatches[:5]}))
        """

    @Test("150 random filter combinations on real miner entries and statistics, tier 100 and tier 30 keys")
    func randomCombinations() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let server = try await ServerProcess.start(
            ["serve", "--data-dir", root.url.path, "--port", "\(port)", "--state-dir", root.path("state").path,
             "--rate-limit", "100000/min"], port: port
        )
        defer { server.terminate() }
        try Self.script.write(to: root.path("reference.py"), atomically: true, encoding: .utf8)
        let result = try await shell(
            "python3 reference.py \(port) 120 \(TestDataRoot.Key.tier100) \(TestDataRoot.Key.tier30)", in: root.url
        )
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        #expect(report["checked"] as? Int == 150)
        #expect((report["mismatches"] as? [Any])?.isEmpty == true, "\(report["mismatches"] ?? "")")
    }
}
