"""The workshop app in a real browser (Debian's chromium driven by playwright), offline.

The server runs as ``abm app`` does (assets proxied, telemetry off, ``--production``) on a free
port, with the small synthetic region. Every request that is not to localhost is aborted, and
any failed request, HTTP error, page error or console error fails the test: a page whose
buttons render while its plots fail must not pass. A request for a front-end file that Solara's
asset proxy (``/_solara/cdn/``) does not hold locally fails it too: the server would fetch it from
the CDN, which works only online (e.g. the KaTeX that ``solara.Markdown`` loads). Waits on the
server are generous (two minutes): other jobs may share the machine. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from abm.app.launch import server_command, server_env

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOCAL = {"localhost", "127.0.0.1"}
CDN_PATH = "/_solara/cdn/"
#: waits on the server (a model step, a redraw): generous, for a loaded machine
SERVER_WAIT = 120_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "server.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(server_command("127.0.0.1", port), env=server_env("small"), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            log.close()
            pytest.fail(f"the app server did not start; see {ARTIFACTS / 'server.log'}")
        time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium ('bash scripts/setup.sh test' installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


def _in_asset_cache(path: str) -> bool:
    """Whether Solara's asset proxy serves ``path`` from its local cache (the solara-assets
    files), as ``solara.server.cdn_helper.get_data`` looks it up, rather than from the CDN."""
    from solara.server import settings

    cache = Path(settings.assets.proxy_cache_dir)
    store = Path(path) / "__main.js" if "/" not in path else Path(path)
    return (cache / store).is_file()


class Watched:
    """A page in its own browser context, offline, with every problem recorded in ``errors``."""

    def __init__(self, browser, url: str) -> None:
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(SERVER_WAIT)
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        self.page.goto(url)
        self.page.get_by_role("button", name="+1 jaar").wait_for(timeout=2 * SERVER_WAIT)
        self.page.locator("img").first.wait_for(timeout=SERVER_WAIT)

    def _route(self, route) -> None:
        url = urlparse(route.request.url)
        if url.hostname not in LOCAL:
            self.errors.append(f"outside request: {route.request.url}")
            route.abort()
            return
        if CDN_PATH in url.path and not _in_asset_cache(url.path.split(CDN_PATH, 1)[1]):
            self.errors.append(f"asset not installed locally (the server would fetch it from the CDN): {route.request.url}")
            route.abort()
            return
        route.continue_()

    def status(self, text: str) -> None:
        self.page.get_by_text(text).first.wait_for(timeout=SERVER_WAIT)

    def chart(self) -> str:
        img = self.page.locator("img").first
        img.wait_for(timeout=SERVER_WAIT)
        assert img.evaluate("i => i.complete && i.naturalWidth > 100"), "the chart image did not load"
        return img.get_attribute("src")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.page.wait_for_timeout(500)  # late errors
        self.context.close()
        assert self.errors == [], "\n".join(self.errors)


def test_switch_on_a_measure_and_run_a_year(server, browser):
    w = Watched(browser, server)
    w.status("Nu: jaar 0, maand 0")
    w.shot("01_start")
    before = w.chart()
    w.page.get_by_text("Meer aanbod (0/5)").click()
    w.page.get_by_text("Flexwonen", exact=True).click()
    w.status("Je keuzes wijken af")
    w.status("Start: jaar 0 (januari 2021)")  # a measure that is on gets its start year and size
    w.page.locator(".v-input", has_text="Start: jaar 0").get_by_role("slider").focus()
    w.page.keyboard.press("ArrowRight")
    w.status("Start: jaar 1 (januari 2022)")
    w.page.get_by_role("button", name="Toepassen (reset)").click()
    w.status("Maatregelen aan (1): Flexwonen (vanaf jaar 1; 5.000 per jaar)")
    w.page.get_by_role("button", name="+1 jaar").click()
    w.status("Nu: jaar 1, maand 0")
    w.page.wait_for_function("src => document.querySelector('img') && document.querySelector('img').src !== src", arg=before)
    after = w.chart()
    assert after != before
    w.shot("02_flex_housing_one_year")
    w.page.get_by_role("tab", name="Pakket versus basis").click()
    w.page.wait_for_function("src => document.querySelector('img') && document.querySelector('img').src !== src", arg=after)
    w.chart()
    w.shot("03_package_versus_baseline")
    w.page.get_by_role("button", name="en", exact=True).click()
    w.status("Now: year 1, month 0")
    w.page.get_by_role("tab", name="Map of the region").click()
    w.page.get_by_text("A schematic layout").wait_for()
    w.chart()
    w.shot("04_network_english")
    w.page.get_by_role("button", name="▶").dispatch_event("click")  # Mesa's play: a redraw every simulated year
    w.page.get_by_text(re.compile(r"Now: year ([2-9]|[1-9][0-9]+), month")).first.wait_for(timeout=SERVER_WAIT)
    w.page.get_by_role("button", name="❚❚").dispatch_event("click")
    w.page.get_by_role("button", name="Step").wait_for()
    w.close()


def test_two_browser_sessions_are_isolated(server, browser):
    a, b = Watched(browser, server), Watched(browser, server)
    a.page.get_by_role("button", name="+1 jaar").click()
    a.status("Nu: jaar 1, maand 0")
    b.page.get_by_role("button", name="+1 maand").click()
    b.status("Nu: jaar 0, maand 1")
    a.page.wait_for_timeout(300)
    assert a.page.get_by_text("Nu: jaar 1, maand 0").count() == 1
    assert b.page.get_by_text("Nu: jaar 0, maand 1").count() == 1
    a.page.get_by_role("button", name="en", exact=True).click()  # the language is per session too
    a.status("Now: year 1, month 0 — January 2022")
    b.page.wait_for_timeout(300)
    assert b.page.get_by_text("Nu: jaar 0, maand 1 — februari 2021").count() == 1
    a.shot("05_session_a")
    b.shot("06_session_b")
    a.close()
    b.close()
