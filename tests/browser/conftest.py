"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is downloaded (never ``playwright install``): Chromium is ``/usr/bin/chromium`` from Debian's
``chromium`` package, or ``DTFORUM_CHROMIUM``. Its absence fails the tests with that message. Screenshots of
every step go to ``test-artifacts/browser/`` (git-ignored).
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("DTFORUM_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

_spec = importlib.util.spec_from_file_location("explorer_sample", Path(__file__).parent.parent / "explorer" / "sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)
_spec = importlib.util.spec_from_file_location("explorer_conftest",
                                               Path(__file__).parent.parent / "explorer" / "conftest.py")
explorer_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(explorer_conftest)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) or set "
                    "DTFORUM_CHROMIUM to a Chromium binary; the browser tests never download one")
    from playwright.sync_api import sync_playwright

    explorer_conftest.compile_explorer_messages()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context, downloads accepted); JavaScript errors are collected in ``page.errors``."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


@pytest.fixture
def shot():
    """``shot(page, name)`` saves a full-page screenshot as test-artifacts/browser/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(pg, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path
    return save


@pytest.fixture
def site(transactional_db, live_server):
    """The live server with the small edition of tests/explorer/sample.py stored."""
    from django.core.cache import cache

    cache.clear()
    sample.build()
    return live_server.url
