#!/usr/bin/env python3
"""Times the explorer's leaderboard and first load on a large data set (the bench data set: 256 miners) in headless
Chromium, and screenshots the leaderboard, a miner page and the console. Run by hand (see README, Data explorer):

    ptn-serve serve --data-dir /tmp/ptn-bench-data --api-keys KEYS --state-dir DIR --port 48990 --metrics-port 48991 &
    python3 Tests/Browser/leaderboard_timing.py --explorer http://127.0.0.1:48990 --console http://127.0.0.1:48991 \
        --key bench-key-5f0c2a9e41d7b36a8e --screenshots docs/screenshots --runs 3

Prints the first-load transfer and each run's render time (fetch, parse and table of the leaderboard); fails when a
run takes 1 s or more, the first load exceeds 200 KB, or fewer than 256 miners are shown.
"""
import argparse
import os
import re
import sys

from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("PTN_SERVE_CHROMIUM", "/usr/bin/chromium")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--explorer", required=True)
    parser.add_argument("--console")
    parser.add_argument("--key", required=True)
    parser.add_argument("--screenshots")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)
        sizes = []
        page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]))
        page.goto(args.explorer + "/ui/leaderboard")
        page.wait_for_load_state("networkidle")
        first_load = sum(sizes)
        print(f"first load (leaderboard page, no key): {first_load} bytes")
        page.get_by_label("API key").fill(args.key)
        page.get_by_role("button", name="Use key").click()
        times = []
        for run in range(args.runs):
            if run:
                page.reload()
            expect(page.locator("body")).to_have_attribute("data-leaderboard-ms", re.compile(r"^\d+$"))
            rows = page.locator("#leaderboard tbody tr").count()
            times.append(int(page.locator("body").get_attribute("data-leaderboard-ms")))
            print(f"run {run + 1}: {rows} miners rendered in {times[-1]} ms")
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            page.screenshot(path=os.path.join(args.screenshots, "bench-leaderboard.png"))
            page.locator("#leaderboard tbody tr a").first.click()
            expect(page.locator("#equity svg path.line")).to_be_visible()
            expect(page.locator("#positions tbody tr").first).to_be_visible()
            page.screenshot(path=os.path.join(args.screenshots, "bench-miner.png"))
            if args.console:
                console = browser.new_page(viewport={"width": 1280, "height": 1000})
                console.goto(args.console + "/")
                expect(console.locator("#files tbody tr").first).to_be_visible()
                console.screenshot(path=os.path.join(args.screenshots, "bench-console.png"), full_page=True)
        browser.close()
    failed = [t for t in times if t >= 1000]
    if first_load > 200_000 or failed or rows < 256:
        print(f"FAILED: first load {first_load} B, slow runs {failed}, {rows} miners")
        sys.exit(1)
    print("leaderboard timing passed")


if __name__ == "__main__":
    main()
