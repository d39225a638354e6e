/// Python WebSocket clients (the `websockets` package, as PTN's bundled client uses) for the end-to-end tests.
enum WebSocketClientScripts {
    /// A follower that behaves as PTN's bundled client (`vanta_api/websocket_client.py`): the auth frame with the
    /// `last_sequence` saved in a file, a subscribe after every connect, a ping every 30 s, reconnection with backoff
    /// (at once after a clean close), `last_sequence = max(seen)`. It writes `connected` after each subscription reply and
    /// stops once `count` position frames have arrived, printing them as JSON: [[sequence, position_uuid], ...], the
    /// auth replies, and the other frames. It notes each step in `follower.log`, for a test to show when it fails.
    ///
    /// Usage: follower.py URL KEY COUNT
    static let follower = """
        import asyncio, json, os, random, sys, time
        import websockets

        url, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        seq_file = f"client_sequence_{key}.txt"
        frames, replies, others = [], [], []
        log = open("follower.log", "a", buffering=1)

        def note(text):
            log.write(f"{time.time():.3f} {text}\\n")

        def load_sequence():
            try:
                return int(open(seq_file).read())
            except (OSError, ValueError):
                return -1

        async def session():
            last = load_sequence()
            note(f"connecting, last_sequence {last}")
            async with websockets.connect(url, ping_interval=30, close_timeout=5, max_size=None) as ws:
                await ws.send(json.dumps({"api_key": key, "last_sequence": last}))
                reply = json.loads(await ws.recv())
                note(f"reply {json.dumps(reply)}")
                replies.append(reply)
                if reply.get("status") != "success":
                    raise SystemExit("authentication failed: " + json.dumps(reply))
                last = max(last, reply.get("current_sequence", -1))
                await ws.send(json.dumps({"type": "subscribe", "all": True, "sender_timestamp": int(time.time() * 1000)}))

                async def pinger():
                    while True:
                        await asyncio.sleep(30)
                        await ws.send(json.dumps({"type": "ping", "timestamp": int(time.time() * 1000)}))
                ping_task = asyncio.create_task(pinger())
                try:
                    async for raw in ws:
                        message = json.loads(raw)
                        if "sequence" in message:
                            position = message["data"]["position"]
                            assert position["orders"], "a position frame without orders"
                            frames.append([message["sequence"], position["position_uuid"]])
                            note(f"frame {message['sequence']} {position['position_uuid']}")
                            last = max(last, message["sequence"])
                            open(seq_file, "w").write(str(last))
                            if len(frames) >= count:
                                return True
                        else:
                            note(f"other {json.dumps(message)}")
                            others.append(message)
                            if message.get("type") == "subscription_status":
                                open("connected", "a").write("1")
                finally:
                    ping_task.cancel()
            return False

        async def main():
            backoff = 1.0
            deadline = time.monotonic() + 150
            while time.monotonic() < deadline:
                try:
                    if await session():
                        return
                    backoff = 1.0  # a clean close: reconnect at once
                    note("closed cleanly")
                except (OSError, websockets.exceptions.WebSocketException) as error:
                    note(f"{type(error).__name__}: {error}; retrying in {backoff:.0f} s")
                    await asyncio.sleep(backoff * random.uniform(0.9, 1.1))
                    backoff = min(backoff * 2, 4.0)

        asyncio.run(main())
        print(json.dumps({"frames": frames, "replies": replies, "others": others}))
        """

    /// Opens one connection, sends the frames given as JSON lines on the command line (after the first, the auth
    /// frame), and prints every frame received until none comes for `wait` seconds (in all, 30 s or `wait` at most), then how the
    /// connection ended. Each frame received adds a byte to `exchange.progress`, so a test can wait for the replies
    /// before it changes data. With PTN_EXCHANGE_UNTIL_POSITION set, it stops at the first position frame.
    ///
    /// Usage: exchange.py URL WAIT FRAME [FRAME ...] (a frame `BINARY` sends binary bytes; `HEADER:key` as the first
    /// argument after WAIT sends the key as an `Authorization: Bearer` header instead; for a wss:// URL, PTN_TEST_CA
    /// names the certificate to trust)
    static let exchange = """
        import asyncio, json, ssl, sys
        import websockets

        url, wait, frames = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
        # wss:// to the tests' self-signed certificate, given as CA in the environment.
        tls = ssl.create_default_context(cafile=__import__("os").environ["PTN_TEST_CA"]) if url.startswith("wss:") else None
        headers = {}
        if frames and frames[0].startswith("HEADER:"):
            headers["Authorization"] = "Bearer " + frames.pop(0)[len("HEADER:"):]
        received, ended = [], "open"
        until_position = bool(__import__("os").environ.get("PTN_EXCHANGE_UNTIL_POSITION"))

        async def main():
            global ended
            async with websockets.connect(url, additional_headers=headers, max_size=None, ssl=tls) as ws:
                for frame in frames:
                    await ws.send(b"\\x00\\x01binary" if frame == "BINARY" else frame)
                deadline = asyncio.get_running_loop().time() + max(30, wait)
                try:
                    while asyncio.get_running_loop().time() < deadline:
                        received.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=wait)))
                        open("exchange.progress", "a").write("1")
                        if until_position and "sequence" in received[-1]:
                            break
                except asyncio.TimeoutError:
                    ended = "open"
                except websockets.exceptions.ConnectionClosed as closed:
                    ended = f"closed {closed.rcvd.code if closed.rcvd else 'abnormally'}"

        asyncio.run(main())
        print(json.dumps({"received": received, "ended": ended}))
        """

    /// Opens `n` connections with one key in turn, each authenticated and subscribed; prints, per connection, its
    /// frames other than the replies, and whether it was closed.
    ///
    /// Usage: crowd.py URL KEY N
    static let crowd = """
        import asyncio, json, sys
        import websockets

        url, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

        async def main():
            sockets, result = [], []
            for _ in range(n):
                ws = await websockets.connect(url)
                await ws.send(json.dumps({"api_key": key, "last_sequence": -1}))
                assert json.loads(await ws.recv())["status"] == "success"
                sockets.append(ws)
            for ws in sockets:
                frames, closed = [], False
                try:
                    while True:
                        frames.append(json.loads(await asyncio.wait_for(ws.recv(), timeout=1)))
                except asyncio.TimeoutError:
                    pass
                except websockets.exceptions.ConnectionClosed:
                    closed = True
                result.append({"frames": frames, "closed": closed})
            for ws in sockets:
                await ws.close()
            print(json.dumps(result))

        asyncio.run(main())
        """

    /// A client as Vanta's of 2026: the key in the upgrade request's `Authorization` header (given whole, e.g.
    /// "Bearer KEY"), no frame sent, then it waits. It offers permessage-deflate (the `websockets` default) unless
    /// PTN_WS_NO_DEFLATE is set. Prints the extensions the server accepted, how long after the handshake the first frame
    /// came, every frame until `count` position frames arrived (0: no limit) or none came for `wait` seconds, and how it
    /// ended.
    ///
    /// Usage: header_client.py URL AUTHORIZATION COUNT WAIT
    static let headerClient = """
        import asyncio, json, os, sys, time
        import websockets

        url, authorization, count, wait = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
        compression = None if os.environ.get("PTN_WS_NO_DEFLATE") else "deflate"
        result = {"extensions": None, "first_after": None, "frames": [], "ended": "open"}

        async def main():
            async with websockets.connect(url, additional_headers={"Authorization": authorization}, compression=compression, max_size=None) as ws:
                result["extensions"] = ws.response.headers.get("Sec-WebSocket-Extensions")
                connected = time.monotonic()
                try:
                    while count == 0 or sum("sequence" in frame for frame in result["frames"]) < count:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=wait))
                        if result["first_after"] is None:
                            result["first_after"] = time.monotonic() - connected
                        result["frames"].append(frame)
                except asyncio.TimeoutError:
                    pass
                except websockets.exceptions.ConnectionClosed as closed:
                    result["ended"] = f"closed {closed.rcvd.code if closed.rcvd else 'abnormally'}"

        asyncio.run(main())
        print(json.dumps(result))
        """
}
