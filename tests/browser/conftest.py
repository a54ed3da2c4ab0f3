"""Browser tests: Playwright (sync API) driving Debian's Chromium against a real `hobnail serve`.

One browser per session, one server per module (a fresh one where a test needs the first-run
setup page), a new browser context per signed-in user. Every page fails its test on a console
error or an uncaught page error, except Chromium's "Failed to load resource" lines for 4xx
responses (the 401 of the session check when signed out, 4xx a test provokes on purpose).

Without /usr/bin/chromium or Playwright the tests skip with the reason; under CI (CI=true) they fail.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import hobnail_server

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

OWNER_NAME = "Owner 老板"
OWNER_EMAIL = "owner@example.com"
OWNER_PASSWORD = "correct horse battery"
MEMBER_PASSWORD = "member password 1"
ORG_NAME = "Acme 公司"

# Playwright's expect() waits this long by default; a loaded 2-core machine needs more than 5 s.
EXPECT_TIMEOUT_MS = 10_000

# Test modules import Page and expect from here, so that without Playwright they still collect
# and each test skips (or, under CI, fails) with the reason instead of a collection error.
try:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect, sync_playwright

    PLAYWRIGHT_IMPORT_ERROR: str | None = None
except ImportError as exc:  # pragma: no cover - depends on the environment
    PLAYWRIGHT_IMPORT_ERROR = f"playwright cannot be imported: {exc}"
    Browser = BrowserContext = ConsoleMessage = Error = Page = Any  # type: ignore[misc, assignment]

    def expect(*args: Any, **kwargs: Any) -> Any:  # type: ignore[no-redef]
        pytest.fail(PLAYWRIGHT_IMPORT_ERROR or "playwright is missing")


__all__ = ["Page", "expect"]


def _require_browser() -> None:
    """Skip (visibly) without Playwright or Chromium; in CI, fail instead."""
    reason = PLAYWRIGHT_IMPORT_ERROR
    if reason is None and not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if reason is None:
        return
    if IN_CI:
        pytest.fail(reason + " (CI must run the browser tests)")
    pytest.skip(reason)


def unique(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


# ---------- the API side: build state as a client would ----------


def check(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.url}: {response.status_code} {response.text}"
    )
    return response.json() if response.content else None


@dataclass
class Api:
    """A signed-in httpx client (cookie session + X-CSRF-Token) against a live server."""

    client: httpx.Client

    def get(self, path: str, **params: Any) -> Any:
        return check(self.client.get(f"/api/v1{path}", params=params))

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        return check(self.client.post(f"/api/v1{path}", json=body), status)

    def add_member(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("password", MEMBER_PASSWORD)
        return self.post("/members", fields, 201)  # type: ignore[no-any-return]

    def add_department(self, name: str, parent_id: str | None = None) -> dict[str, Any]:
        return self.post("/departments", {"name": name, "parent_id": parent_id}, 201)  # type: ignore[no-any-return]

    def members(self, q: str) -> list[dict[str, Any]]:
        return self.get("/members", q=q, limit=100)["items"]  # type: ignore[no-any-return]

    def departments(self) -> list[dict[str, Any]]:
        return self.get("/departments")  # type: ignore[no-any-return]


def signed_in_api(base_url: str, identifier: str, password: str) -> Api:
    """An API client signed in with the login form's endpoint (cookie + X-CSRF-Token)."""
    client = httpx.Client(base_url=base_url, timeout=15)
    try:
        body = check(client.post("/api/v1/auth/login", json={"identifier": identifier, "password": password}))
    except BaseException:
        client.close()
        raise
    client.headers["X-CSRF-Token"] = body["csrf_token"]
    return Api(client)


@dataclass
class Site:
    """A running server whose organisation and owner were set up through the API."""

    base_url: str
    api: Api  # signed in as the owner
    data_dir: Path


def setup_org(base_url: str, *, org_name: str = ORG_NAME, language: str = "en") -> Api:
    client = httpx.Client(base_url=base_url, timeout=15)
    try:
        body = check(
            client.post(
                "/api/v1/setup",
                json={
                    "org_name": org_name,
                    "timezone": "Asia/Shanghai",
                    "language": language,
                    "owner_name": OWNER_NAME,
                    "email": OWNER_EMAIL,
                    "password": OWNER_PASSWORD,
                },
            ),
            201,
        )
    except BaseException:
        client.close()
        raise
    client.headers["X-CSRF-Token"] = body["csrf_token"]
    return Api(client)


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A server with no organisation yet: `/` shows the first-run setup page."""
    _require_browser()
    with hobnail_server(tmp_path / "server") as base_url:
        yield base_url


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server per test module, set up with an English-language organisation."""
    _require_browser()
    data_dir = tmp_path_factory.mktemp("hobnail-browser")
    with hobnail_server(data_dir) as base_url:
        api = setup_org(base_url)
        try:
            yield Site(base_url=base_url, api=api, data_dir=data_dir)
        finally:
            api.client.close()


# ---------- the browser side ----------


@dataclass
class ConsoleWatch:
    """Console errors and page errors seen by the pages of one test."""

    problems: list[str] = field(default_factory=list)

    ALLOWED = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d\b")

    def attach(self, page: Page, label: str) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and not self.ALLOWED.match(message.text):
                self.problems.append(f"[{label}] console.error: {message.text} ({message.location.get('url', '')})")

        def on_page_error(error: Error) -> None:
            self.problems.append(f"[{label}] page error: {error.message}\n{error.stack or ''}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)


_CONSOLE_KEY = pytest.StashKey[ConsoleWatch]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test that passed still fails when its pages logged an error (a failing one reports them)."""
    watch = item.stash.get(_CONSOLE_KEY, None)
    try:
        result = yield
    except BaseException:
        if watch and watch.problems:
            item.add_report_section("call", "browser console", "\n".join(watch.problems))
        raise
    if watch and watch.problems:
        pytest.fail("browser console errors:\n" + "\n".join(watch.problems), pytrace=False)
    return result


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    _require_browser()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        expect.set_options(timeout=EXPECT_TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[NewPage]:
    """new_page(base_url, locale="en-US", viewport=None, label=...) → a page in its own context."""
    watch = ConsoleWatch()
    request.node.stash[_CONSOLE_KEY] = watch
    contexts: list[BrowserContext] = []

    def factory(
        base_url: str, *, locale: str = "en-US", viewport: dict[str, int] | None = None, label: str = ""
    ) -> Page:
        options: dict[str, Any] = {"base_url": base_url, "locale": locale}
        if viewport:
            options.update(viewport=viewport, is_mobile=True, has_touch=True)
        context = browser.new_context(**options)
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page, label or f"page {len(contexts)}")
        return page

    yield factory
    for context in contexts:
        context.close()


def sign_in(page: Page, identifier: str, password: str, *, path: str = "/login") -> None:
    """Sign in through the login form and wait for the signed-in shell."""
    page.goto(path)
    page.get_by_test_id("login-identifier").fill(identifier)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("app-header")).to_be_visible()


def wait_for_live_stream(page: Page) -> None:
    """Wait until the page's event WebSocket delivered stream.ready (its cursor is stored)."""
    page.wait_for_function("() => !!sessionStorage.getItem('hobnail.events.cursor')")
