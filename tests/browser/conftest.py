"""Browser tests: Debian's chromium driven by Playwright, against Django's live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory is a browser test (``-m "not browser"`` skips them)."""
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def reference_data(reference_data_tx) -> None:
    """Browser tests run against the live server, so they are transactional: the flush
    after each one empties what data migrations seeded. Put it back before each test.
    Mark browser tests plainly ``pytest.mark.django_db(transaction=True)``."""


@pytest.fixture
def quiet_celery(celery_app):
    """Whatever the live server enqueues (notifications, e-mails) goes to the in-memory
    broker of the test app (tests/conftest.py's celery_config), not to var/. No worker
    runs it unless the test also asks for ``celery_worker``."""
    celery_app.set_default()
    return celery_app


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


HTMX_SETTLE_MS = 250


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        locale="fi-FI", base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    # htmx wires up swapped-in content after a settle delay (20 ms by default). Tests run
    # with a longer one, so a test that acts on new content before htmx has wired it up
    # (see htmx_settled) fails every time here instead of now and then on a busy machine.
    context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        f" if (window.htmx) htmx.config.defaultSettleDelay = {HTMX_SETTLE_MS}; }});"
    )
    page = context.new_page()
    yield page
    context.close()


def login(page: Page, username: str, password: str | None = None) -> None:
    """Log in through the real login form."""
    page.goto("/kirjaudu/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password or "pw-" + username)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_url(lambda url: "/kirjaudu/" not in url)


def htmx_settled(page: Page) -> None:
    """Wait until htmx has finished every request and swap on the page.

    htmx wires up swapped-in content (its triggers, ``hx-get`` on an input) in a settle
    step a moment after the swap, while the browser may already have focused the new
    content's ``autofocus`` field. A test that types as soon as the focus is there can
    type into a field htmx isn't yet listening to; on a busy machine it then waits for a
    request that never comes. Call this after a swap, before typing into its content."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def pick_municipality(page: Page, **option: str) -> None:
    """Choose in the header's municipality picker and wait for the page it leads to.

    The picker submits its form; the server stores the choice and redirects back. Moving
    on (``goto``, a click) before that page has loaded cancels the request that stores
    the choice, so a test that doesn't wait passes only when the server is quick."""
    with page.expect_navigation():
        page.locator("#municipality-select").select_option(**option)


# WCAG 2.x contrast of every visible element that has text of its own, against the colour
# actually behind it: the element's own background or the nearest ancestor's, alpha
# composited up to the page. axe-core leaves text over positioned panels (the header's
# live results, drawers, notices) "incomplete" and says nothing; this check doesn't skip them.
_CONTRAST_JS = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const lum = (c) => {
    const ch = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const st = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (st.visibility !== "visible" || r.width < 2 || r.height < 2) continue;
    if (!el.checkVisibility({opacityProperty: true})) continue;
    if (st.clip === "rect(0px, 0px, 0px, 0px)" || st.clipPath.startsWith("inset(50%")) continue;
    const bg = background(el);
    const fg = over(parse(st.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(st.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5) - 0.01) {
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
      const text = el.textContent.trim().slice(0, 40);
      bad.push(`${name} "${text}" ${ratio.toFixed(2)}:1`);
    }
  }
  return bad;
}
"""


def assert_contrast(page: Page) -> None:
    """Every visible text on the current page meets WCAG AA contrast (4.5:1, 3:1 large)."""
    bad = page.evaluate(_CONTRAST_JS)
    assert not bad, "low contrast text:\n" + "\n".join(bad[:20])


def assert_accessible(page: Page) -> None:
    """axe-core on the current page: zero serious or critical violations, and the
    project's own contrast check over every visible text (see ``assert_contrast``)."""
    assert_contrast(page)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in bad
    )
