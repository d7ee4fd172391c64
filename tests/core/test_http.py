"""The one open-redirect guard (``apps.core.http.safe_next``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.core.http import is_same_site_path, safe_next


@pytest.mark.parametrize(
    "url", ["/", "/kortti/abc/", "/haku/?q=kotihoito&kunta=kotka", "/ilmoitukset/#n5"]
)
def test_safe_next_keeps_paths_on_this_site(url):
    assert safe_next(url, "/default/") == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        None,
        "https://evil.example/",
        "http://testserver/kortti/x/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "kortti/x/",
        "/\t/evil.example/",
        "/\n//evil.example",
        " /x/",
        "///evil.example",
        "data:text/html,x",
    ],
)
def test_safe_next_refuses_other_hosts_schemes_and_tricks(url):
    assert safe_next(url, "/default/") == "/default/"


@given(st.text(max_size=40))
@hsettings(derandomize=True, max_examples=300, deadline=None)
def test_safe_next_never_returns_anything_but_a_local_path(url):
    target = safe_next(url)
    assert target in ("", url)
    if target:
        assert target.startswith("/") and not target.startswith(("//", "/\\"))
        assert is_same_site_path(target)


def test_one_redirect_guard_in_the_code():
    """Only apps/core/http.py calls Django's host check; every other view uses safe_next."""
    apps_dir = Path(settings.BASE_DIR) / "apps"
    callers = sorted(
        str(p.relative_to(apps_dir))
        for p in apps_dir.rglob("*.py")
        if "url_has_allowed_host_and_scheme" in p.read_text(encoding="utf-8")
    )
    assert callers == ["core/http.py"]
