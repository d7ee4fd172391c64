"""Hostile input never gives a 5xx: every URL of the project, as every role.

The walk reads the URL patterns from Django's resolver and the parameter names from the
code (``request.GET.get("…")``, ``…_PARAM = "…"`` and every form's fields), so a new
view or parameter is covered without touching this file. Path converters are filled with
the primary keys of the demo content (``seed_demo_content``), so views get past
``get_object_or_404`` to their parameter parsing.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

import apps as apps_package
from apps.core.middleware import has_unstorable

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "neuvoja", "sisalto", "esihenkilo", "admin"]
NUL = "a\x00b"
# Values a parser of numbers, dates, choices or text might choke on.
HOSTILE_VALUES = {
    "bigint": "99999999999999999999",
    "float": "1e9999",
    "long": "Ää " * 700 + "\u202e\u200b\ufeff𝔘",  # POST; a GET gets the first LONG_GET
    "odd": "-1' OR '1'='1 %_\\ <script>\r\n NaN Infinity ../../",
}
LONG_GET = 300  # characters: beyond every one-line field, yet a URL pages can repeat
# Raw, already percent-encoded: a lone surrogate, an overlong "/", a stray byte.
BROKEN_ENCODING = "%ED%A0%80%C0%AF%FF"


# --- What to request --------------------------------------------------------------------------


def _code_param_names() -> set[str]:
    names: set[str] = set()
    patterns = [
        re.compile(r"""(?:GET|POST|FILES)(?:\.get|\.getlist)?\(\s*["']([\w-]+)["']"""),
        re.compile(r"""(?:GET|POST)\[\s*["']([\w-]+)["']\]"""),
        re.compile(r"""_PARAM\s*=\s*["']([\w-]+)["']"""),
    ]
    for path in Path(apps_package.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            names.update(pattern.findall(text))
    return names


def _form_field_names() -> set[str]:
    for module in pkgutil.walk_packages(apps_package.__path__, "apps."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    names: set[str] = set()
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("apps."):
            names.update(getattr(cls, "base_fields", {}))
    return names


PARAMS = sorted(_code_param_names() | _form_field_names() | {"q", "page", "next"})


def _walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix, p


def _sample_ids() -> dict[str, str]:
    """A real primary key (or key) per URL prefix, from the demo content."""
    from apps.catalogue.models import Entry, Organisation, ProblemReport
    from apps.consultations.models import Answer, Callback, Thread
    from apps.notifications.models import Notification
    from apps.reports.models import Report
    from apps.search.models import SearchLog
    from apps.stories.models import Story

    def pk(model, **filters) -> str:
        obj = model.objects.filter(**filters).order_by("pk").first()
        return str(obj.pk) if obj else "1"

    if not ProblemReport.objects.exists():
        ProblemReport.objects.create(
            entry=Entry.objects.first(),
            what_is_wrong="Numero vanha",
            reporter=get_user_model().objects.get(username="neuvoja"),
        )
    return {
        "palvelut/virheilmoitus/": pk(ProblemReport),
        "palvelut/organisaatio/": Organisation.objects.order_by("pk").first().key,
        "palvelut/": Entry.objects.order_by("pk").first().key,
        "kysymykset/vastaus/": pk(Answer),
        "kysymykset/soittopyynnot/": pk(Callback),
        "kysymykset/": pk(Thread, solution__isnull=False),
        "answer_pk": str(
            Thread.objects.filter(solution__isnull=False).order_by("pk").first().solution_id
        ),
        "ilmoitukset/": pk(Notification),
        "profiili/": pk(get_user_model(), username="neuvoja"),
        "tarinat/": pk(Story),
        "raportit/": pk(Report),
        "log_id": pk(SearchLog),
    }


def _fill(route: str, name: str | None, samples: dict[str, str]) -> str | None:
    """A concrete path for a pattern, or None for the admin's catch-all."""
    if name is None and route.endswith(".*)$"):
        return None

    def value(match: re.Match[str]) -> str:
        kwarg = match.group(2)
        if kwarg in samples:
            return samples[kwarg]
        if kwarg in ("object_id", "pk"):
            admin_model = re.match(r"(\w+?)_(\w+)_(?:change|delete|history)$", name or "")
            if route.startswith("admin/") and admin_model:
                try:
                    model = django_apps.get_model(admin_model.group(1), admin_model.group(2))
                except LookupError:
                    return "1"
                first = model._default_manager.order_by("pk").first()
                return str(first.pk) if first else "1"
            prefix = next((p for p in samples if p.endswith("/") and route.startswith(p)), "")
            return samples.get(prefix, "1")
        if kwarg == "key":
            # An entry's key unless the route is under another keyed prefix (organisations).
            prefix = next((p for p in samples if p.endswith("/") and route.startswith(p)), "")
            return samples.get(prefix, samples["palvelut/"])
        if kwarg == "app_label":
            return "catalogue"
        return "1"

    route = re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    if "(?P<" in route:
        route = re.sub(
            r"\(\?P<(\w+)>[^)]*\)", lambda m: value(re.match(r"(x)?(\w+)", m.group(1))), route
        )
    return "/" + route.lstrip("^").rstrip("$")


def _urls(samples: dict[str, str]) -> list[str]:
    urls = []
    for prefix, pattern in _walk(get_resolver().url_patterns):
        route = prefix + str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            route = prefix + pattern.pattern._regex
        path = _fill(route, pattern.name, samples)
        if path is not None:
            urls.append(path.replace("//", "/"))
    return sorted(set(urls))


# --- The walk ---------------------------------------------------------------------------------


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo catalogue and content, once for the class, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "import_catalogue",
            str(settings.BASE_DIR / "demo" / "catalogue.json"),
            stdout=StringIO(),
        )
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo_content", stdout=StringIO())
        yield _sample_ids()
        transaction.set_rollback(True)


def _client(role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _requests(url: str, role: str):
    """(method, url, data or None, what) for one URL as one role.

    Every hostile value, by GET and POST, goes to every intranet URL as the superuser
    (who reaches every view). The other roles, and the admin's many pages, get a lighter
    set (NUL, odd text, and for admin forms numbers that are no keys): their views parse
    the same parameters, behind other permission checks.
    """
    get_only = role == "anonymous" or (
        url.startswith("/admin/") and not (url.endswith("/add/") or url.endswith("/change/"))
    )
    if role == "admin" and not url.startswith("/admin/"):
        labels = list(HOSTILE_VALUES)
    elif url.startswith("/admin/"):
        labels = ["float", "odd"]
    else:
        labels = ["odd", "long"]
    yield "get", url, dict.fromkeys(PARAMS, NUL), "NUL"
    if not get_only:
        yield "post", url, dict.fromkeys(PARAMS, NUL), "NUL"
    for label in labels:
        value = HOSTILE_VALUES[label]
        if label != "long" or role != "anonymous":
            yield "get", url, dict.fromkeys(PARAMS, value[-LONG_GET:]), label
        if not get_only:
            yield "post", url, dict.fromkeys(PARAMS, value), label
    if role == "admin":
        raw = "&".join(f"{p}={BROKEN_ENCODING}" for p in PARAMS)
        yield "get", f"{url}?{raw}", None, "broken encoding"


# Answers that are the view's meaning, not a server error: /readyz says 503 while no worker
# or beat has been seen (none runs during the walk; tests/core/test_health.py).
EXPECTED_5XX = {("/readyz", 503)}


class TestEveryUrl:
    @pytest.mark.parametrize("role", ROLES)
    def test_every_url_answers_hostile_input_without_a_server_error(self, seeded, role):
        urls = _urls(seeded)
        assert "/haku/pika/" in urls and "/api/v1/search" in urls
        if role != "admin":
            urls = [u for u in urls if not u.startswith("/admin/")]
        errors = []
        for url in urls:
            client = _client(role)  # afresh: a request may log the user out
            for method, target, data, label in _requests(url, role):
                if data is None:
                    response = getattr(client, method)(target)
                else:
                    response = getattr(client, method)(target, data)
                if response.status_code >= 500 and (url, response.status_code) not in EXPECTED_5XX:
                    errors.append(f"{method.upper()} {url} ({label}): {response.status_code}")
                if label == "NUL" and response.status_code != 400:
                    errors.append(f"{method.upper()} {url} (NUL): {response.status_code}, not 400")
        assert not errors, "\n".join(errors)

    def test_hostile_paths_are_refused_or_not_found(self, seeded):
        client = _client("neuvoja")
        for path in (
            "/haku/%00/",
            "/palvelut/kortti/a%00b/",
            "/kysymykset/%ED%A0%80/",
            "/palvelut/kortti/" + "x" * 5000 + "/",
            "/api/v1/search%00",
        ):
            assert client.get(path).status_code in (400, 404), path


# --- The middleware itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, params",
    [
        ("/haku/", {"q": "kotihoito\x00"}),
        ("/haku/pika/", {"q": "\x00"}),
        ("/haku/avaa/1/1/", {"to": "/haku/\x00", "k": "x"}),
        ("/haku/avaa/1/1/", {"to": "/haku/", "k": "\x00"}),
        ("/yhteydenotot/kirjaa/", {"topic_q": "\x00"}),
        ("/yhteydenotot/aiheet/", {"topic_q": "ruoka\x00"}),
        ("/raportit/", {"raportti": "\x00"}),
    ],
)
def test_nul_in_a_query_parameter_is_a_400_with_a_finnish_message(client, manager, url, params):
    client.force_login(manager)
    response = client.get(url, params)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert "Pyynnössä on merkki" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "apu", "municipality": "28\x005"},
        {"q": "apu", "line": "\x00"},
        {"q\x00": "apu"},
    ],
)
def test_nul_in_an_api_parameter_is_a_json_400(client, advisor, params):
    client.force_login(advisor)
    response = client.get("/api/v1/search", params)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_form_field_is_refused_before_anything_is_saved(client, advisor):
    from apps.consultations.models import Thread

    client.force_login(advisor)
    response = client.post(
        "/kysymykset/uusi/", {"title": "Otsikko\x00", "body": "Kysymys", "service_line": "1"}
    )
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_nul_in_a_cookie_is_refused(client, advisor):
    client.force_login(advisor)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/haku/", {"q": "apu"}).status_code == 400


def test_ordinary_input_passes(client, advisor):
    client.force_login(advisor)
    assert client.get("/haku/", {"q": "kotihoito äö ñ 𝔘"}).status_code == 200


def test_has_unstorable_finds_nul_and_lone_surrogates():
    assert has_unstorable(["ok", "a\x00"])
    assert has_unstorable(["\ud800"])
    assert not has_unstorable(["Ää 𝔘 \u200b", ""])
