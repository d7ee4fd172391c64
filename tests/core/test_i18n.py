"""Finnish first, Swedish and English through Django's i18n.

The source strings are Finnish, so Finnish needs no catalogue; Swedish and English come
from locale/<lang>/LC_MESSAGES/django.po. The language is chosen with the header's
language form (Django's ``set_language`` view, a cookie) and is reflected in
``<html lang>``. Localised model content falls back to Finnish.
"""

from __future__ import annotations

import ast
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

from apps.catalogue.models import Entry
from tests.catalogue import factories

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ("sv", "en")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


# --- Compiled catalogues ----------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues():
    """`make test` compiles the catalogues; a bare pytest run may find stale or missing
    .mo files (they are build output), so compile them here when needed and drop
    Django's per-process catalogue cache so the fresh ones are read."""
    stale = []
    for lang in TRANSLATED:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(lang)
    if stale:
        call_command("compilemessages", locale=stale, verbosity=0)
        # Django has no public reset of its per-process catalogue cache.
        trans_real._translations.clear()
        trans_real._default = None
    yield


# --- Helpers ----------------------------------------------------------------------------


class _LanguageForm(HTMLParser):
    """Finds the header's language form: its action, its select name and its options."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.select_name: str | None = None
        self.options: list[str] = []
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "language-picker" in (a.get("class") or ""):
            self._in_form = True
            self.action = a.get("action")
        elif self._in_form and tag == "select":
            self.select_name = a.get("name")
        elif self._in_form and tag == "option":
            self.options.append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False


def _html_lang(html: str) -> str:
    found = re.search(r"<html\s+lang=\"([^\"]+)\"", html)
    assert found, "no <html lang> on the page"
    return found.group(1)


def _nav_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</ul>', html, re.S)
    assert nav, "no main navigation on the page"
    return [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))]


def _choose_language(client, language: str, next_url: str) -> None:
    """Post the header's language form as a browser would."""
    page = client.get(next_url)
    form = _LanguageForm()
    form.feed(page.content.decode())
    assert form.action == reverse("set_language")
    assert form.select_name == "language"
    assert language in form.options
    response = client.post(form.action, {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


# --- Switching language -----------------------------------------------------------------


def test_catalogue_home_is_finnish_by_default(client, advisor):
    client.force_login(advisor)
    html = client.get(reverse("catalogue:home")).content.decode()
    assert _html_lang(html) == "fi"
    assert "Palvelut" in _nav_labels(html)


@pytest.mark.parametrize(
    ("language", "services", "ask"),
    [
        ("sv", "Tjänster", "Fråga en kollega"),
        ("en", "Services", "Ask a colleague"),
    ],
)
def test_language_form_switches_catalogue_home(client, advisor, language, services, ask):
    client.force_login(advisor)
    home = reverse("catalogue:home")
    _choose_language(client, language, home)

    html = client.get(home).content.decode()
    assert _html_lang(html) == language
    labels = _nav_labels(html)
    assert services in labels
    assert ask in labels
    assert "Palvelut" not in labels


@pytest.mark.parametrize(
    ("language", "contacts", "report"),
    [
        ("sv", "Kontaktuppgifter och åtgärder", "Anmäl fel"),
        ("en", "Contact details and actions", "Report a problem"),
    ],
)
def test_language_form_switches_entry_page(client, advisor, language, contacts, report):
    entry = factories.entry("kuljetuspalvelu", title="Kuljetuspalvelu")
    client.force_login(advisor)
    _choose_language(client, language, reverse("catalogue:home"))

    html = client.get(entry.get_absolute_url()).content.decode()
    assert _html_lang(html) == language
    assert contacts in html
    assert report in html
    assert "Yhteystiedot ja toiminnot" not in html


def test_language_choice_persists_back_to_finnish(client, advisor):
    client.force_login(advisor)
    home = reverse("catalogue:home")
    _choose_language(client, "sv", home)
    _choose_language(client, "fi", home)
    html = client.get(home).content.decode()
    assert _html_lang(html) == "fi"
    assert "Palvelut" in _nav_labels(html)


# --- Localised model content ------------------------------------------------------------


def test_entry_title_falls_back_to_finnish_without_swedish(client, advisor):
    entry = factories.entry("omaishoidon-tuki", title="Omaishoidon tuki")
    assert not entry.title_sv
    client.force_login(advisor)
    _choose_language(client, "sv", reverse("catalogue:home"))

    html = client.get(entry.get_absolute_url()).content.decode()
    assert _html_lang(html) == "sv"
    # The Finnish text it falls back to is marked as Finnish (and said to be so).
    assert '<h1 id="entry-title" lang="fi">Omaishoidon tuki</h1>' in html


def test_entry_title_shows_swedish_when_present(client, advisor):
    entry = factories.entry("omaishoidon-tuki", title="Omaishoidon tuki")
    Entry.objects.filter(pk=entry.pk).update(title_sv="Stöd för närståendevård")
    client.force_login(advisor)
    _choose_language(client, "sv", reverse("catalogue:home"))

    html = client.get(entry.get_absolute_url()).content.decode()
    assert '<h1 id="entry-title">Stöd för närståendevård</h1>' in html
    assert "Omaishoidon tuki" not in html


def test_entry_title_field_follows_active_language():
    entry = factories.entry("kuljetuspalvelu", title="Kuljetuspalvelu")
    Entry.objects.filter(pk=entry.pk).update(title_sv="Färdtjänst")
    entry = Entry.objects.get(pk=entry.pk)
    with translation.override("sv"):
        assert entry.title == "Färdtjänst"
    with translation.override("en"):
        assert entry.title == "Kuljetuspalvelu"  # no English text: Finnish
    with translation.override("fi"):
        assert entry.title == "Kuljetuspalvelu"


# --- The catalogues themselves ----------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list) and flags."""
    entries: list[dict] = []
    current: dict = {}
    key: str | None = None

    def flush() -> None:
        nonlocal current, key
        if "msgid" in current:
            entries.append(current)
        current, key = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#,"):
            current.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#~"):
            current["obsolete"] = True
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            if key.startswith("msgstr"):
                current.setdefault("msgstr", []).append(_unquote(match.group(2)))
            else:
                current[key] = _unquote(match.group(2))
            continue
        assert line.startswith('"'), f"{path}: cannot read line {raw!r}"
        if key and key.startswith("msgstr"):
            current["msgstr"][-1] += _unquote(line)
        elif key:
            current[key] += _unquote(line)
    flush()
    return entries


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", TRANSLATED)
def test_po_file_translates_every_msgid(language):
    entries = parse_po(_po_path(language))
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert f"Language: {language}\n" in header["msgstr"][0]
    assert "nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert len(messages) > 500  # the whole UI, not a stub

    problems = []
    for message in messages:
        msgid = message["msgid"]
        if message.get("obsolete"):
            problems.append(f"obsolete entry left in the file: {msgid!r}")
        if "fuzzy" in message.get("flags", set()):
            problems.append(f"fuzzy: {msgid!r}")
        expected_forms = 2 if "msgid_plural" in message else 1
        forms = message.get("msgstr", [])
        if len(forms) != expected_forms or not all(forms):
            problems.append(f"untranslated: {msgid!r}")
            continue
        sources = [msgid] if expected_forms == 1 else [msgid, message["msgid_plural"]]
        for source, form in zip(sources, forms, strict=True):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(form)):
                problems.append(f"placeholders differ: {source!r} -> {form!r}")
    assert not problems, "\n".join(problems)


def test_po_files_cover_the_same_msgids():
    sv, en = (
        {(m.get("msgctxt"), m["msgid"]) for m in parse_po(_po_path(lang))} for lang in TRANSLATED
    )
    assert sv == en


def test_po_parser_sees_an_untranslated_entry(tmp_path):
    """The guard above must be able to fail: an empty msgstr and a fuzzy flag are seen."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: sv\\n"\n\n'
        'msgid "Palvelut"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Kunta"\nmsgstr "Kommun"\n\n'
        'msgid "%(counter)s tulos"\nmsgid_plural "%(counter)s tulosta"\n'
        'msgstr[0] "%(counter)s resultat"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    entries = parse_po(po)[1:]
    assert entries[0]["msgstr"] == [""]
    assert "fuzzy" in entries[1]["flags"]
    assert entries[2]["msgstr"] == ["%(counter)s resultat", ""]


# --- Every translatable string in the sources is in the catalogues ----------------------
#
# The same files `make messages` (makemessages) reads, extracted the same way: Python
# through xgettext's keywords, templates (.html, .txt) through Django's own templatize().
# A string added to the code without running `make messages` and translating it fails here.

IGNORED_DIRS = {".venv", ".tools", "var", "staticfiles", "node_modules", "__pycache__"}
PY_KEYWORDS = {  # name -> takes a context as its first argument
    "_": False,
    "gettext": False,
    "gettext_lazy": False,
    "gettext_noop": False,
    "ngettext": False,
    "ngettext_lazy": False,
    "pgettext": True,
    "pgettext_lazy": True,
    "npgettext": True,
    "npgettext_lazy": True,
}
TEMPLATE_CALL = re.compile(
    r"(?<!\w)(_|gettext|ngettext|pgettext|npgettext)\("
    r"((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)"
)


def _source_files(base: Path):
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt")):
                yield Path(root) / name


def _python_messages(source: str):
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in PY_KEYWORDS:
            continue
        needed = 2 if PY_KEYWORDS[name] else 1
        args = node.args[:needed]
        if len(args) == needed and all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
        ):
            yield (args[0].value if needed == 2 else None, args[-1].value)


def _template_messages(source: str, origin: str):
    for call in TEMPLATE_CALL.finditer(templatize(source, origin=origin)):
        args = ast.literal_eval("(" + call.group(2).rstrip().rstrip(",") + ",)")
        if call.group(1).startswith(("p", "np")):
            yield (args[0], args[1])
        else:
            yield (None, args[0])


def source_messages(paths) -> set[tuple[str | None, str]]:
    found = set()
    for path in paths:
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            found.update(_python_messages(source))
        else:
            found.update(_template_messages(source, str(path)))
    return {message for message in found if message[1]}


@pytest.mark.parametrize("language", TRANSLATED)
def test_po_file_covers_every_source_string(language):
    in_po = {(m.get("msgctxt"), m["msgid"]) for m in parse_po(_po_path(language))[1:]}
    in_sources = source_messages(_source_files(Path(settings.BASE_DIR)))
    assert len(in_sources) > 500
    missing = sorted(in_sources - in_po, key=lambda m: m[1])
    listing = "\n".join(repr(m[1]) for m in missing)
    assert not missing, (
        f"run `make messages` and translate in locale/{language}/LC_MESSAGES/django.po:\n{listing}"
    )


def test_source_messages_sees_python_and_template_strings(tmp_path):
    (tmp_path / "views.py").write_text(
        "from django.utils.translation import gettext_lazy as _, pgettext\n"
        "LABEL = _('Palvelut')\nVERB = pgettext('verb', 'Hae')\nNOT = print('ei')\n",
        encoding="utf-8",
    )
    (tmp_path / "page.html").write_text(
        '{% load i18n %}<a title="{% translate \'Kunta\' %}">{{ x|default:_("tyhjä") }}</a>'
        "{% blocktranslate count counter=n trimmed %}\n  {{ counter }} tulos\n"
        "{% plural %}{{ counter }} tulosta{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert source_messages(sorted(tmp_path.iterdir())) == {
        (None, "Palvelut"),
        ("verb", "Hae"),
        (None, "Kunta"),
        (None, "tyhjä"),
        (None, "%(counter)s tulos"),
    }
