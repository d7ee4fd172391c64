"""A small catalogue for the search tests, imported through the real importer (which
indexes it), and helpers to search it."""

from __future__ import annotations

import pytest

from apps.catalogue.services import import_catalogue
from apps.search import selectors, services
from apps.search.analyzer import get_analyzer, voikko_available

KOTKA, KOUVOLA, HAMINA = "285", "286", "075"


def _entry(key: str, title: str | dict, summary: str | dict, body: str = "", **extra) -> dict:
    item = {
        "key": key,
        "title": title if isinstance(title, dict) else {"fi": title},
        "summary": summary if isinstance(summary, dict) else {"fi": summary},
        "service_lines": extra.pop("service_lines", ["vammaispalvelut"]),
    }
    if body:
        item["body"] = {"fi": body}
    item.update(extra)
    return item


CATALOGUE = {
    "format": "sote-catalogue/1",
    "organisations": [
        {"key": "hva", "name": {"fi": "Kymenlaakson hyvinvointialue"}, "kind": "wellbeing_area"},
        {
            "key": "kotkan-srk",
            "name": {"fi": "Kotkan seurakunta"},
            "kind": "parish",
            "municipalities": [KOTKA],
        },
        {
            "key": "kouvolan-srk",
            "name": {"fi": "Kouvolan seurakunta"},
            "kind": "parish",
            "municipalities": [KOUVOLA],
        },
    ],
    "services": [
        _entry(
            "omaishoidon-tuki",
            "Omaishoidon tuki",
            "Hoitopalkkio ja palvelut omaishoitajalle, joka hoitaa läheistään kotona.",
            "Omaishoidon tuesta tehdään sopimus. Hoitopalkkio maksetaan kuukausittain.",
            keywords=["omaishoito", "hoitopalkkio"],
            service_lines=["ikaihmiset"],
        ),
        _entry(
            "omaishoitajan-vapaat",
            "Omaishoitajan vapaapäivät ja sijaishoito",
            "Omaishoitajalla on oikeus lakisääteisiin vapaapäiviin.",
            "Vapaan ajaksi hoidettava voi mennä lyhytaikaiseen hoitoon.",
            keywords=["lomitus"],
            service_lines=["ikaihmiset"],
        ),
        _entry(
            "kuljetuspalvelu",
            {
                "fi": "Kuljetuspalvelu vammaisille",
                "sv": "Färdtjänst för personer med funktionsnedsättning",
            },
            {
                "fi": "Taksimatkat asiointiin ja vapaa-aikaan vaikeavammaisille.",
                "sv": "Taxiresor för ärenden och fritid för personer med svår "
                "funktionsnedsättning.",
            },
            "Matkat tilataan keskitetysti. Kuljettaja avustaa ovelta ovelle.",
            keywords=["taksikortti"],
        ),
        _entry(
            "asunnon-muutostyot",
            "Asunnon muutostyöt vammaisille",
            "Korvaus kodin muutostöistä, kun vamma vaikeuttaa asumista.",
            "Esimerkiksi luiskat ja kylpyhuoneen muuttaminen esteettömäksi.",
        ),
        _entry(
            "lastensuojeluilmoitus",
            "Lastensuojeluilmoitus",
            "Ilmoitus lapsesta, jonka hoito tai kehitys huolestuttaa.",
            "Ammattilaisilla on ilmoitusvelvollisuus.",
            service_lines=["lapset-perheet"],
        ),
        _entry(
            "kotihoito",
            "Kotihoito",
            "Hoitaja käy kotona auttamassa arjessa.",
            "Kotihoito auttaa lääkkeiden otossa ja peseytymisessä.",
            service_lines=["ikaihmiset"],
        ),
        _entry(
            "palveluasuminen",
            "Ympärivuorokautinen palveluasuminen",
            "Asumista ja hoivaa ympäri vuorokauden ikäihmisille, jotka eivät pärjää kotona.",
            "Asukas saa oman huoneen ja hoitoa aina tarvittaessa.",
            service_lines=["ikaihmiset"],
        ),
        _entry(
            "perustoimeentulotuki",
            "Perustoimeentulotuki (Kela)",
            "Kela maksaa viimesijaista taloudellista tukea, kun tulot eivät riitä.",
            service_lines=["tyoikaiset"],
        ),
    ],
    "offers": [
        _entry(
            "ruoka-apu-kotka",
            "Ruoka-apu Kotkassa",
            "Seurakunnan ruokajakelu ja yhteinen ateria Kotkassa.",
            "Ruokakasseja jaetaan keskiviikkoisin.",
            organisation="kotkan-srk",
            municipalities=[KOTKA],
            service_lines=["tyoikaiset"],
            keywords=["ruokakassi", "ruokajakelu"],
        ),
        _entry(
            "ruoka-apu-kouvola",
            "Ruoka-apu Kouvolassa",
            "Seurakunnan ruokajakelu Kouvolassa.",
            "Ruokakasseja jaetaan torstaisin.",
            organisation="kouvolan-srk",
            municipalities=[KOUVOLA],
            service_lines=["tyoikaiset"],
            keywords=["ruokakassi", "ruokajakelu"],
        ),
    ],
}

ANALYZERS = ["voikko", "snowball"]


def keys(result: selectors.SearchResult) -> list[str]:
    return [hit.key for hit in result.hits]


def search_keys(query: str, **kwargs) -> list[str]:
    return keys(selectors.search(query=query, **kwargs))


@pytest.fixture
def catalogue(db):
    """The small catalogue, imported (and so indexed) with the configured analyser."""
    import_catalogue(CATALOGUE)
    return CATALOGUE


def _require_voikko() -> None:
    # `make test` installs Debian's libvoikko1 and voikko-fi; a run without them must
    # say so loudly rather than skip the full analyser's tests.
    if not voikko_available():
        pytest.fail(
            "libvoikko is not installed: run `make test` (it installs libvoikko1 "
            "and voikko-fi) or `apt-get install libvoikko1 voikko-fi`"
        )


@pytest.fixture(params=ANALYZERS)
def analyzer(request, catalogue):
    """Each backend in turn, with the index rebuilt by it (the degraded path included)."""
    if request.param == "voikko":
        _require_voikko()
    chosen = get_analyzer(request.param)
    services.rebuild_index(analyzer=chosen)
    return chosen


@pytest.fixture
def voikko(catalogue):
    _require_voikko()
    chosen = get_analyzer("voikko")
    services.rebuild_index(analyzer=chosen)
    return chosen
