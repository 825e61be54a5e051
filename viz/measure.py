"""Measure the workshop app in a real browser: simulated years per 10 seconds while playing
(drawing included), and the response times with ten concurrent sessions.

    .venv/bin/python viz/measure.py [--region utrecht] [--play-seconds 30] [--sessions 10]

Starts its own server (as ``abm app`` does) on a free port, drives Debian's chromium with
playwright, prints the figures. The numbers in viz/README.md come from this script.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import time
import urllib.request

from playwright.sync_api import sync_playwright

from abm.app.launch import server_command, server_env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _month(page) -> int:
    text = page.get_by_text(re.compile(r"Nu: jaar \d+, maand \d+")).first.inner_text()
    year, month = map(int, re.search(r"jaar (\d+), maand (\d+)", text).groups())
    return 12 * year + month


def _rss_mb(pid: int) -> float:
    total = 0
    for line in subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True).stdout.split():
        total += int(line)
    return total / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--region", default="utrecht")
    ap.add_argument("--play-seconds", type=float, default=30.0)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--warm-seconds", type=float, default=40.0, help="wait for the shared baseline before measuring")
    args = ap.parse_args()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        server_command("127.0.0.1", port), env=server_env(args.region), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        print(f"cores: {os.cpu_count()}, region: {args.region}")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            pages = []
            t0 = time.perf_counter()
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            page.goto(url)
            page.get_by_role("button", name="+1 jaar").wait_for(timeout=120_000)
            print(f"first session ready in {time.perf_counter() - t0:.1f} s")
            pages.append(page)
            time.sleep(args.warm_seconds)
            # Play: Mesa's play button, a redraw after every year (render interval 12 months).
            start = _month(page)
            page.get_by_role("button", name="▶").click()
            t0 = time.perf_counter()
            time.sleep(args.play_seconds)
            page.get_by_role("button", name="❚❚").click()
            elapsed = time.perf_counter() - t0
            page.wait_for_timeout(3000)
            years = (_month(page) - start) / 12
            print(f"play: {years:.1f} years in {elapsed:.0f} s = {10 * years / elapsed:.1f} years per 10 s (drawing included)")
            for tab in ("Pakket versus basis", "Wie krijgt de woning?"):
                page.get_by_role("tab", name=tab).click()
                before = _month(page)
                t0 = time.perf_counter()
                page.get_by_role("button", name="+1 jaar").click()
                page.get_by_text(re.compile(rf"Nu: jaar {(before + 12) // 12}, maand {before % 12}\b")).first.wait_for(timeout=120_000)
                print(f"+1 year on tab '{tab}': {time.perf_counter() - t0:.2f} s")
            # Ten sessions.
            t0 = time.perf_counter()
            for _ in range(args.sessions - 1):
                c = browser.new_context(viewport={"width": 1400, "height": 1000})
                pg = c.new_page()
                pg.goto(url)
                pages.append(pg)
            for pg in pages[1:]:
                pg.get_by_role("button", name="+1 jaar").wait_for(timeout=300_000)
            print(
                f"{args.sessions - 1} more sessions opened in {time.perf_counter() - t0:.1f} s; server memory {_rss_mb(server.pid):.0f} MB"
            )
            targets = [_month(pg) + 12 for pg in pages]
            t0 = time.perf_counter()
            for pg in pages:
                pg.get_by_role("button", name="+1 jaar").click()
            done = []
            for pg, target in zip(pages, targets, strict=True):
                pg.get_by_text(re.compile(rf"Nu: jaar {target // 12}, maand {target % 12}\b")).first.wait_for(timeout=300_000)
                done.append(time.perf_counter() - t0)
            print(f"all {args.sessions} sessions press '+1 jaar' at once: first done {min(done):.1f} s, last {max(done):.1f} s")
            # Responsiveness of a light action while the others play.
            for pg in pages[1:]:
                pg.get_by_role("button", name="▶").dispatch_event("click")
            pages[0].wait_for_timeout(3000)
            lat = []
            for name in ("Instellingen", "Dakloosheid", "Wachttijd"):
                src = pages[0].locator("img").first.get_attribute("src")
                t0 = time.perf_counter()
                pages[0].get_by_role("tab", name=name).dispatch_event("click")
                pages[0].wait_for_function(
                    "s => document.querySelector('img') && document.querySelector('img').src !== s", arg=src, timeout=300_000
                )
                lat.append(time.perf_counter() - t0)
            print(f"while {args.sessions - 1} sessions play: a tab switch redraws in {', '.join(f'{x:.1f}' for x in lat)} s")
            t0 = time.perf_counter()
            before = _month(pages[0])
            pages[0].get_by_role("button", name="+1 maand").click()
            pages[0].get_by_text(re.compile(rf"Nu: jaar {(before + 1) // 12}, maand {(before + 1) % 12}\b")).first.wait_for(timeout=300_000)
            print(f"while {args.sessions - 1} sessions play: '+1 maand' answered in {time.perf_counter() - t0:.1f} s")
            for pg in pages[1:]:
                pg.get_by_role("button", name="❚❚").dispatch_event("click")
            print(f"server memory with {args.sessions} sessions: {_rss_mb(server.pid):.0f} MB")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
