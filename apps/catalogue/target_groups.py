"""The target groups entries name, as Finnish words (the catalogue format's
``target_groups``). The usual ones are translated here so that Swedish and English pages
show them in their own language (``{% translate group %}``); a word not listed shows in
Finnish, marked ``lang="fi"`` (the ``untranslated`` filter)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

KNOWN = (
    gettext_noop("ikäihmiset"),
    gettext_noop("vammaiset"),
    gettext_noop("kehitysvammaiset"),
    gettext_noop("kuulovammaiset"),
    gettext_noop("puhevammaiset"),
    gettext_noop("kuulonäkövammaiset"),
    gettext_noop("liikuntarajoitteiset"),
    gettext_noop("muistisairaat"),
    gettext_noop("pitkäaikaissairaat"),
    gettext_noop("mielenterveyskuntoutujat"),
    gettext_noop("päihdekuntoutujat"),
    gettext_noop("päihteitä käyttävät"),
    gettext_noop("lapsiperheet"),
    gettext_noop("vauvaperheet"),
    gettext_noop("odottavat perheet"),
    gettext_noop("eroperheet"),
    gettext_noop("perheet"),
    gettext_noop("vanhemmat"),
    gettext_noop("lapset"),
    gettext_noop("nuoret"),
    gettext_noop("nuoret aikuiset"),
    gettext_noop("työikäiset"),
    gettext_noop("työttömät"),
    gettext_noop("pitkäaikaistyöttömät"),
    gettext_noop("pienituloiset"),
    gettext_noop("vähävaraiset"),
    gettext_noop("velalliset"),
    gettext_noop("asunnottomat"),
    gettext_noop("vuokralaiset"),
    gettext_noop("omaiset"),
    gettext_noop("läheiset"),
    gettext_noop("omaishoitajat"),
    gettext_noop("yksinäiset"),
    gettext_noop("yksin asuvat"),
    gettext_noop("kriisissä olevat"),
    gettext_noop("väkivaltaa kokeneet"),
    gettext_noop("maahanmuuttajat"),
    gettext_noop("ruotsinkieliset"),
    gettext_noop("haja-asutusalue"),
    gettext_noop("viranomaiset"),
    gettext_noop("ammattilaiset"),
    gettext_noop("koulut"),
    gettext_noop("poliisi"),
    gettext_noop("kaikki"),
)
