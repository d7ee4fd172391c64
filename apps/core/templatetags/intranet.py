from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from apps.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    return render_markdown(value)


@register.filter
def fallback_language(obj: Any, field: str) -> str:
    """The language whose text a translated field shows instead of the page's own: "fi"
    on a Swedish or English page whose ``field`` has no text in that language and falls
    back to Finnish (modeltranslation's fallback), "" when the text is the page's own.
    Templates put it in ``lang=""`` and say "vain suomeksi"."""
    page = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallback = settings.MODELTRANSLATION_FALLBACK_LANGUAGES[0]
    if page == fallback:
        return ""
    if getattr(obj, f"{field}_{page}", None):
        return ""
    return fallback if getattr(obj, f"{field}_{fallback}", None) else ""


@register.filter
def untranslated(text: str) -> bool:
    """Whether a Finnish vocabulary word (a target group) has no translation in the
    page's language: the page shows it in Finnish and marks it ``lang="fi"``."""
    page = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if page == settings.MODELTRANSLATION_FALLBACK_LANGUAGES[0]:
        return False
    return gettext(text) == text


@register.filter
def map_url(address: str) -> str:
    """The map service's page for ``address`` (setting ``NEUVOKAS_MAP_URL``)."""
    query = urlencode({"q": " ".join(str(address).split())})[2:]
    return str(settings.NEUVOKAS_MAP_URL).replace("{query}", query)
