#!/usr/bin/env python3
"""The data explorer on another subnet's route table (examples/forecast-subnet): no PTN views, every route browsable,
keyed routes' entries listed from the table's own routes, tier-locked routes marked. Run by BrowserEndToEndTests.

Usage: other_subnet_check.py --explorer URL --key GOLD_KEY --low-key FREE_KEY --screenshots DIR
"""
import argparse
import os
import sys

from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("PTN_SERVE_CHROMIUM", "/usr/bin/chromium")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--explorer", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--low-key", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(60_000)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(args.explorer + "/")
        expect(page.get_by_role("link", name="Leaderboard")).to_have_count(0)
        for path in ["/weights", "/weights/{uid}", "/uids", "/miners", "/miners/{hotkey}", "/scores"]:
            expect(page.locator(f'#route-list .route[data-path="{path}"]')).to_be_visible()
        page.get_by_label("API key").fill(args.low_key)
        page.get_by_role("button", name="Use key").click()
        expect(page.locator('#route-list .route[data-path="/miners"] .lock')).to_be_visible()
        expect(page.locator('#route-list .route[data-path="/weights"] .lock')).to_be_hidden()

        page.get_by_label("API key").fill(args.key)
        page.get_by_role("button", name="Use key").click()
        expect(page.locator('#route-list .route[data-path="/miners"] .lock')).to_be_hidden()
        # An array file's entries, by their key field, listed from the whole-file route.
        page.goto(args.explorer + "/ui/browse?route=/miners/{hotkey}")
        expect(page.locator("#entry-list button").first).to_be_visible()
        page.locator("#entry-list button").first.click()
        expect(page.locator("#result .json details").first).to_be_visible()
        # A top-level object's members, listed from the table's `keys` route.
        page.goto(args.explorer + "/ui/browse?route=/weights/{uid}")
        expect(page.locator("#entry-list button")).to_have_count(3)
        page.locator("#entry-list button").first.click()
        expect(page.locator("#result .json")).to_contain_text("weight")
        expect(page.locator("#curl")).to_contain_text("/weights/")
        page.screenshot(path=os.path.join(args.screenshots, "explorer-other-subnet.png"), full_page=True)
        browser.close()
    if errors:
        raise AssertionError("; ".join(errors))
    print("other subnet checks passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print("FAILED: " + str(error))
        sys.exit(1)
