#!/usr/bin/env python3
"""Drives the data explorer and the operator console of a running `ptn-serve demo` in headless Chromium (Playwright,
the system browser), and writes a screenshot of each page.

Run by BrowserEndToEndTests (swift test), which starts the demo on free ports with a short --tick. By hand:

    ptn-serve demo --out /tmp/demo --metrics-port 48889 --tick 2 &
    python3 Tests/Browser/explorer_console_check.py --explorer http://127.0.0.1:48888 --console http://127.0.0.1:48889 \
        --key100 <tier-100 key> --key0 <tier-0 key> --data-dir /tmp/demo --screenshots docs/screenshots

Every wait is on something the page or the server shows (an element, a status line, an HTTP answer), never a sleep.
Exit status 0 when every check holds; otherwise the failed check is printed.
"""
import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("PTN_SERVE_CHROMIUM", "/usr/bin/chromium")
MARKER = "<script>window.__pwned = 1</script>"
IMG_MARKER = "<img src=x id=pwned>"


def http_status(url, key=None):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + key} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(description, condition, timeout=45):
    """Polls `condition` (an HTTP answer, say) until it holds; fails with `description` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + description)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--explorer", required=True)
    parser.add_argument("--console", required=True)
    parser.add_argument("--key100", required=True)
    parser.add_argument("--key0", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    def shot(page, name, full=True):
        # Long pages (the API reference, a miner's positions) are shot as the window shows them, to stay readable.
        page.screenshot(path=os.path.join(args.screenshots, name), full_page=full)

    problems = []

    def watch(page):
        # CSP violations and script errors fail the run; refused fetches (401/403 on locked views) are expected.
        page.on("console", lambda m: problems.append("console: " + m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: problems.append("page error: " + str(e)))
        return page

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        page = watch(context.new_page())

        # --- explorer: first load is small, the key goes into sessionStorage only ------------------------------------
        transferred = []
        page.on("requestfinished", lambda r: transferred.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]))
        page.goto(args.explorer + "/")
        expect(page.get_by_role("heading", name="Routes")).to_be_visible()
        page.wait_for_load_state("networkidle")
        first_load = sum(transferred)
        check(first_load <= 200_000, f"first load transferred {first_load} bytes")
        print(f"explorer first load: {first_load} bytes")
        page.keyboard.press("Tab")
        check(page.evaluate("document.activeElement.className") == "skip", "Tab reaches the skip link first")
        page.get_by_label("API key").fill(args.key100)
        page.get_by_role("button", name="Use key").click()
        expect(page.locator("#key-status")).to_have_text("Key accepted · tier 100")
        expect(page.locator("#usage-plan")).to_contain_text("No quota · no expiry · all routes")
        check(page.evaluate("sessionStorage.getItem('ptn-serve.api-key')") == args.key100, "the key is kept in sessionStorage")
        check(args.key100 not in page.url and args.key100 not in page.content(), "the key is in no URL and not in the page")
        check(not any(c["name"] for c in context.cookies()), "no cookie is set")
        shot(page, "explorer-routes.png")

        # --- leaderboard ---------------------------------------------------------------------------------------------
        page.get_by_role("link", name="Leaderboard").click()
        rows = page.locator("#leaderboard tbody tr")
        expect(rows.first).to_be_visible()
        count = rows.count()
        check(count >= 10, f"the leaderboard shows the miners ({count})")
        render_ms = int(page.locator("body").get_attribute("data-leaderboard-ms"))
        check(render_ms < 1000, f"the leaderboard rendered in {render_ms} ms")
        print(f"leaderboard: {count} miners in {render_ms} ms")
        page.get_by_role("button", name="Weight").click()
        expect(page.locator("#leaderboard th[aria-sort=descending]")).to_have_text("Weight")
        page.get_by_role("button", name="Rank").click()
        expect(page.locator("#leaderboard th[aria-sort=ascending]")).to_have_text("Rank")
        # A change written by the demo's simulated validator arrives over the stream.
        expect(page.locator("#live-changes li").first).to_be_visible(timeout=90_000)
        # The stream may be between two connections (the page reconnects after 1 s, then 2 s, ...).
        expect(page.locator("#live-status")).to_have_text("live", timeout=20_000)
        shot(page, "explorer-leaderboard.png")
        changed = page.locator("#live-changes li a").first.inner_text()

        # The miner page of a miner that trades: its next change is highlighted in the positions table as it arrives.
        page.goto(args.explorer + "/ui/miner?hotkey=" + changed)
        expect(page.locator("#positions tbody tr").first).to_be_visible()
        expect(page.locator("#live-status")).to_have_text("live", timeout=20_000)
        expect(page.locator("#positions tbody tr.hot").first).to_be_visible(timeout=150_000)
        expect(page.locator("#live-status")).to_contain_text("update")
        page.locator("#positions tbody tr.hot").first.scroll_into_view_if_needed()
        shot(page, "explorer-miner-live.png", full=False)
        page.get_by_role("link", name="Leaderboard").click()
        expect(rows.first).to_be_visible()

        # --- miner page: positions, filters, the equity curve --------------------------------------------------------
        hotkey = rows.first.locator("a").inner_text()
        rows.first.locator("a").click()
        expect(page.locator("#miner-hotkey")).to_have_text(hotkey)
        positions = page.locator("#positions tbody tr")
        expect(positions.first).to_be_visible()
        expect(page.locator("#equity svg path.line")).to_be_visible()
        check(int(page.locator("#equity").get_attribute("data-points")) > 1, "the equity curve has points")
        all_rows = positions.count()
        check(all_rows > 1, f"the miner has several positions ({all_rows})")
        shot(page, "explorer-miner.png", full=False)
        page.get_by_label("Latest").fill("1")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#positions")).to_have_attribute("data-rows", "1")
        expect(positions).to_have_count(1)
        check("limit=1" in page.url, "the filter is in the page's address")
        page.get_by_label("Latest").fill("")
        page.get_by_label("Status").select_option("closed")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#positions-status")).to_contain_text("status=closed")
        statuses = page.locator("#positions tbody tr td:nth-child(4)").all_inner_texts()
        check(statuses and all(s == "closed" for s in statuses), f"the status filter keeps closed positions only ({statuses[:5]})")

        # --- browse any route: keys listed and searchable, folded JSON, the curl line ---------------------------------
        page.goto(args.explorer + "/ui/browse?route=/statistics/{hotkey}")
        entries = page.locator("#entry-list button")
        expect(entries.first).to_be_visible()
        listed = entries.count()
        page.get_by_label("Search hotkeys").fill(hotkey[:10])
        expect(entries).to_have_count(1)
        entries.first.click()
        expect(page.locator("#result .json details").first).to_be_visible()
        expect(page.locator("#curl")).to_contain_text("$PTN_API_KEY")
        check(args.key100 not in page.locator("#curl").inner_text(), "the curl line holds no key")
        print(f"browse: {listed} hotkeys listed")
        shot(page, "explorer-browse.png")

        # --- API reference -------------------------------------------------------------------------------------------
        page.get_by_role("link", name="API reference").click()
        expect(page.locator("#api-doc section").first).to_be_visible()
        check(page.locator("#api-doc section").count() >= 7, "every route is documented")
        shot(page, "explorer-api.png", full=False)

        # --- HTML injection: a file field holding <script> is shown as text ------------------------------------------
        path = os.path.join(args.data_dir, "validation", "eliminations.json")
        with open(path) as handle:
            eliminations = json.load(handle)
        eliminations["eliminations"].append({"hotkey": hotkey, "elimination_initiated_time_ms": 1_750_000_000_000, "dd": 0.1,
                                             "reason": MARKER + IMG_MARKER})
        with open(path + ".tmp", "w") as handle:
            json.dump(eliminations, handle)
        os.replace(path + ".tmp", path)
        wait_for("the injected eliminations file to be served",
                 lambda: MARKER.encode() in http_status(args.explorer + "/eliminations", args.key100)[1].replace(b"\\/", b"/"))
        page.goto(args.explorer + "/ui/miner?hotkey=" + hotkey)
        expect(page.locator("#eliminations")).to_contain_text(MARKER + IMG_MARKER)
        check(page.evaluate("window.__pwned") is None, "the injected script did not run")
        check(page.locator("#pwned").count() == 0, "the injected element was not created")
        page.locator("#eliminations").scroll_into_view_if_needed()
        shot(page, "explorer-injection.png", full=False)

        # --- 360 px wide ---------------------------------------------------------------------------------------------
        narrow = watch(browser.new_context(viewport={"width": 360, "height": 740}).new_page())
        narrow.goto(args.explorer + "/ui/leaderboard")
        narrow.get_by_label("API key").fill(args.key100)
        narrow.get_by_role("button", name="Use key").click()
        expect(narrow.locator("#leaderboard tbody tr").first).to_be_visible()
        width = narrow.evaluate("document.documentElement.scrollWidth")
        check(width <= 362, f"the page fits 360 px (scroll width {width})")
        shot(narrow, "explorer-360px.png")

        # --- a tier-0 key sees locked views --------------------------------------------------------------------------
        low = watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
        low.goto(args.explorer + "/")
        low.get_by_label("API key").fill(args.key0)
        low.get_by_role("button", name="Use key").click()
        expect(low.locator("#key-status")).to_have_text("Key accepted · tier 0")
        expect(low.locator('#route-list .route[data-path="/validator-checkpoint"] .lock')).to_be_visible()
        expect(low.locator('#route-list .route[data-path="/eliminations"] .lock')).to_be_hidden()
        low.goto(args.explorer + "/ui/browse?route=/miner-positions")
        expect(low.locator(".locked-view")).to_be_visible()
        expect(low.locator(".locked-view")).to_contain_text("tier 100")
        shot(low, "explorer-locked.png")
        low.goto(args.explorer + "/ui/browse?route=/validator-checkpoint")
        expect(low.locator(".locked-view")).to_contain_text("tier 100")

        # --- operator console: figures, add a key, use it, revoke it ---------------------------------------------------
        wait_for("the console listener", lambda: http_status(args.console + "/console/state")[0] == 200)
        # Addressed by a DNS name (a rebinding attack's), the console refuses to answer.
        rebound = urllib.request.Request(args.console + "/console/state", headers={"Host": "attacker.example"})
        try:
            urllib.request.urlopen(rebound, timeout=10)
            raise AssertionError("the console answered a request addressed to attacker.example")
        except urllib.error.HTTPError as error:
            check(error.code == 403, f"a rebound request gets 403 ({error.code})")
        console = watch(browser.new_context(viewport={"width": 1280, "height": 1000}).new_page())
        console.on("dialog", lambda dialog: dialog.accept())
        console.goto(args.console + "/")
        expect(console.locator("#files tbody tr").first).to_be_visible()
        expect(console.locator('#files tr[data-file="positions"] td:nth-child(3)')).to_have_text("loaded")
        expect(console.locator("#keys tbody tr").first).to_be_visible()
        expect(console.locator("#stream")).to_contain_text("Sequence")
        console.get_by_label("Alias (the buyer's name)").fill("buyer-e2e")
        console.get_by_label("Tier", exact=True).select_option("30")
        console.get_by_label("Rate limit (optional: N/s, N/min or N/h)").fill("600/min")
        console.get_by_role("button", name="Add key").click()
        expect(console.locator("#new-key")).to_be_visible()
        new_key = console.locator("#new-key-value").inner_text().strip()
        check(new_key.startswith("ptn_"), "the new key is shown once")
        wait_for("the new key to be accepted", lambda: http_status(args.explorer + "/ui/key", new_key)[0] == 200)
        status, body = http_status(args.explorer + "/statistics?checkpoints=false", new_key)
        check(status == 200, f"the new key reads /statistics ({status})")
        expect(console.locator('#keys tr[data-alias="buyer-e2e"] td:nth-child(4)')).to_have_text(re.compile(r"^[1-9][0-9]* req · "))
        expect(console.locator('#keys tr[data-alias="buyer-e2e"] td:nth-child(2)')).to_have_text("30")
        # An alias holding markup is shown as text.
        console.get_by_label("Alias (the buyer's name)").fill(IMG_MARKER)
        console.get_by_role("button", name="Add key").click()
        expect(console.locator("#new-key-alias")).to_have_text(IMG_MARKER)
        expect(console.locator("#keys tbody")).to_contain_text(IMG_MARKER)
        check(console.locator("#pwned").count() == 0, "the alias markup was not parsed")
        expect(console.locator("#chart-rps svg path.line")).to_be_visible()
        shot(console, "console.png")
        console.get_by_label("Key", exact=True).select_option("buyer-e2e")
        console.get_by_role("button", name="Revoke…").click()
        expect(console.locator("#manage-status")).to_have_text("Revoked buyer-e2e.")
        wait_for("the revoked key to get 401", lambda: http_status(args.explorer + "/statistics", new_key)[0] == 401)
        expect(console.locator('#keys tr[data-alias="buyer-e2e"]')).to_contain_text("revoked")
        console.get_by_label("Key", exact=True).select_option(IMG_MARKER)
        console.get_by_role("button", name="Revoke…").click()
        expect(console.locator("#manage-status")).to_have_text("Revoked " + IMG_MARKER + ".")
        browser.close()

    if problems:
        raise AssertionError("; ".join(problems))
    print("browser checks passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print("FAILED: " + str(error))
        sys.exit(1)
