"""Browser tests: Siklus served on a free local port by a real WSGI server, driven by headless Chromium
through Playwright. Screenshots of each step are saved under test-output/screenshots/<test>/ at
1280 px and 360 px wide.

Runs on SQLite only: the database layer is covered on both backends by the other tests; these check
what people see and click.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from engine.db import make_engine
from tests.support.factories import Org, build_org, record_chart

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path(os.environ.get("SIKLUS_TEST_OUTPUT", ROOT / "test-output")) / "screenshots"
PASSWORD = "rahasia-123"
WIDTHS = (1280, 360)
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Live:
    """A running Siklus: its address, its organisation and a session on its database."""

    url: str
    org: Org
    database: str


@pytest.fixture
def live(sqlite_template: Path, tmp_path: Path) -> Iterator[Live]:
    from web import create_app

    path = tmp_path / "siklus.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    session = sessionmaker(engine, expire_on_commit=False)()
    org = build_org(session)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    for user in org.users.values():
        user.password_hash = hashed
    record_chart(session)  # the accounts' sign-ins as the system chain records them
    session.close()
    engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "browser-tests",
                      "UPLOAD_FOLDER": str(tmp_path / "bukti")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(f"http://127.0.0.1:{server.server_port}", org, url)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh browser tab of someone whose browser asks for Bahasa Indonesia."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


class Screens:
    """Saves numbered screenshots of the current page at each width."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def shoot(self, page, name: str) -> None:  # type: ignore[no-untyped-def]
        self.count += 1
        original = page.viewport_size
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}-{width}.png"), full_page=True)
            # Nothing may stick out sideways, on a desktop or on a phone.
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wider <= 0, f"{name}: the page is {wider}px wider than the {width}px window"
            if width == 360:
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                culprits = page.evaluate("""() => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .filter(e => !(e.parentElement && e.parentElement.getBoundingClientRect().right >
                                   document.documentElement.clientWidth + 1))
                    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                                        (e.className ? '.' + String(e.className).split(' ').join('.') : ''))""")
                assert overflow <= 1, f"{name}: the page is {overflow}px wider than a 360px screen ({culprits})"
        if original:
            page.set_viewport_size(original)


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Screens:
    return Screens(OUTPUT / re.sub(r"[^\w.-]+", "_", request.node.name))


def log_in(page, live: Live, username: str) -> None:  # type: ignore[no-untyped-def]
    """Log out whoever is logged in, then log in as ``username`` through the login form."""
    page.context.clear_cookies()
    page.goto(f"{live.url}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


# -- the demo as `make run` loads it, and the accessibility check ------------------------------------

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# WCAG 2 A and AA: labelled fields, names of buttons and links, contrast, language, landmarks, focus order.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Demo:
    """A running Siklus loaded with the demo organisation: its address, database and printed logins."""

    url: str
    database: str
    logins: dict[str, str]
    password: str


def serve_demo(sqlite_template: Path, folder: Path) -> Iterator[Demo]:
    """A fresh database in ``folder`` with `siklus demo` loaded (a small organisation), served by a real WSGI
    server until the generator is closed (for a fixture of any scope to yield from)."""
    from engine.demo import DEMO_PASSWORD, seed_demo
    from web import create_app

    path = folder / "siklus.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    session = sessionmaker(engine, expire_on_commit=False)()
    logins = dict(seed_demo(session, employees=40))
    session.close()
    engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "browser-tests",
                      "UPLOAD_FOLDER": str(folder / "bukti")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Demo(f"http://127.0.0.1:{server.server_port}", url, logins, DEMO_PASSWORD)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def demo(sqlite_template: Path, tmp_path: Path) -> Iterator[Demo]:
    """A fresh database with `siklus demo` loaded (a small organisation), served by a real WSGI server."""
    yield from serve_demo(sqlite_template, tmp_path)


@pytest.fixture
def checked_page(browser):  # type: ignore[no-untyped-def]
    """A browser tab asking for Bahasa Indonesia that also runs axe-core: the page's Content-Security-Policy
    (script-src 'none': Siklus ships no JavaScript) is bypassed so the checker can be injected."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def log_in_demo(page, demo: Demo, username: str) -> None:  # type: ignore[no-untyped-def]
    """Log in to the demo as ``username`` through the login form (the demo's one password)."""
    page.context.clear_cookies()
    page.goto(f"{demo.url}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/masuk" not in page.url, f"{username} could not log in"


def take_step(page, trigger: str) -> None:  # type: ignore[no-untyped-def]
    """Take a step through its form on the appraisal page, confirming it where the form asks to; no refusal shows."""
    confirm = page.locator(f"#aksi-{trigger} input[name=konfirmasi]")
    if confirm.count():
        confirm.check()
    with page.expect_navigation():
        page.click(f"#aksi-{trigger} .buttons button.primary")
    assert page.locator("[role=alert]").count() == 0, page.locator("[role=alert]").all_inner_texts()


def accessibility_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What axe-core (served from tests/browser/vendor, no network) finds against WCAG 2.1 A/AA on the page."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
            for v in found["violations"]]


def focus_order(page, steps: int = 12) -> list[str]:  # type: ignore[no-untyped-def]
    """The first elements the Tab key reaches, in order, each as tag#id or its text."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    reached = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const e = document.activeElement;
            return e ? (e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + (e.innerText || e.value || '')
                        .trim().slice(0, 30)) : ''; }"""))
    return reached
