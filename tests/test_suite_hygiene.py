"""The test suite's own rules, checked on its source: no sleep stands in for a condition,
and the shared helpers and fixtures are defined once."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
THIS = Path(__file__).resolve()

# A fixed wait: time.sleep(…), sleep(…), asyncio.sleep(…), Playwright's
# page.wait_for_timeout(…).
SLEEP = re.compile(r"\b(?:sleep|wait_for_timeout)\s*\(")

# (file, the line's code) → why that sleep waits for a condition rather than standing in
# for one.
ALLOWED_SLEEPS = {
    (
        "helpers.py",
        "time.sleep(interval)",
    ): "the poll interval of poll()/wait_for(), which wait until a condition holds",
}

# Defined once, in tests/conftest.py or tests/helpers.py; everything else uses those.
SHARED = {
    "celery_config": "conftest.py",
    "current_celery_app": "conftest.py",
    "reference_data_tx": "conftest.py",
    "wait_for": "helpers.py",
    "poll": "helpers.py",
    "drain_worker": "helpers.py",
    "quiet_celery": "browser/conftest.py",
    "make_user": "conftest.py",
    "colleague": "conftest.py",
}
DEFINITION = re.compile(r"^\s*def\s+(\w+)\s*\(", re.MULTILINE)


def _sources() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if path != THIS)


def _sleeps(path: Path) -> list[tuple[str, int, str]]:
    relative = path.relative_to(TESTS).as_posix()
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        code = line.split("#", 1)[0].strip()
        if SLEEP.search(code):
            found.append((relative, number, code))
    return found


def test_no_test_sleeps_for_a_fixed_time():
    """Wait for the event instead (helpers.wait_for, helpers.drain_worker, Playwright's
    expect/expect_navigation), or assert on state that the event guarantees."""
    offending = [
        f"{path}:{number}: {code}"
        for source in _sources()
        for path, number, code in _sleeps(source)
        if (path, code) not in ALLOWED_SLEEPS
    ]
    assert not offending, "a fixed sleep in the tests:\n" + "\n".join(offending)


def test_every_allowed_sleep_still_exists():
    """An entry that no longer matches would silently allow the next sleep there."""
    present = {(path, code) for source in _sources() for path, _, code in _sleeps(source)}
    assert set(ALLOWED_SLEEPS) <= present, set(ALLOWED_SLEEPS) - present


def test_sleep_pattern_catches_the_usual_spellings():
    for code in (
        "time.sleep(0.3)",
        "sleep(1)",
        "await asyncio.sleep(0)",
        "page.wait_for_timeout(500)",
        "page.wait_for_timeout (500)",
    ):
        assert SLEEP.search(code), code
    for code in ("page.wait_for_url('**/x/')", "def asleep_at_the_wheel(): ..."):
        assert not SLEEP.search(code), code


def test_shared_helpers_and_fixtures_are_defined_once():
    copies = [
        f"{source.relative_to(TESTS).as_posix()}: def {name}"
        for source in _sources()
        for name in DEFINITION.findall(source.read_text())
        if name in SHARED and source.relative_to(TESTS).as_posix() != SHARED[name]
    ]
    assert not copies, "use the one in tests/conftest.py or tests/helpers.py:\n" + "\n".join(copies)
    for name, home in SHARED.items():
        assert re.search(rf"^def {name}\(", (TESTS / home).read_text(), re.MULTILINE), name


BROKER_URL_SET = re.compile(
    r"conf\.broker_url\b\s*=|setattr\([^)]*[\"']broker_url[\"']|\bCelery\([^)]*\bbroker="
)


def test_a_test_that_points_celery_elsewhere_removes_the_environment_variable():
    """Celery reads CELERY_BROKER_URL from the environment before its configuration, so
    in CI's Redis pass a test that only sets ``conf.broker_url`` or makes a
    ``Celery(broker=…)`` still talks to the machine's broker (a readiness test and the
    killed-worker fault tests passed on one pass and failed on the other). Such a test, or
    its fixtures (the conftest.py beside it), removes the variable too
    (``monkeypatch.delenv("CELERY_BROKER_URL")``)."""
    removes = 'delenv("CELERY_BROKER_URL"'

    def guarded(source: Path, text: str) -> bool:
        conftest = source.parent / "conftest.py"
        return removes in text or (conftest.exists() and removes in conftest.read_text())

    offending = [
        source.relative_to(TESTS).as_posix()
        for source in _sources()
        if BROKER_URL_SET.search(text := source.read_text()) and not guarded(source, text)
    ]
    assert offending == []
