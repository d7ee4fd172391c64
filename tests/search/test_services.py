"""Keeping the index fresh, the lexicon's counts, synonyms, the search log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.catalogue import services as catalogue_services
from apps.catalogue.interchange import entry_to_dict
from apps.catalogue.models import Entry
from apps.search import services
from apps.search.models import SearchDocument, SearchLexicon, SearchLog, SynonymGroup

from .conftest import search_keys

pytestmark = pytest.mark.django_db


def _lexicon() -> dict[str, tuple[int, int]]:
    return {
        w: (df, h)
        for w, df, h in SearchLexicon.objects.values_list("word", "df", "head_df")
        if df or h
    }


def test_import_indexes_every_entry(catalogue):
    assert SearchDocument.objects.count() == Entry.objects.count()
    doc = SearchDocument.objects.get(key="ruoka-apu-kotka")
    assert doc.doc_type == "offer"
    assert doc.municipalities == ["285"]
    assert doc.lines == ["tyoikaiset"]
    assert doc.url == "/palvelut/kortti/ruoka-apu-kotka/"


def test_edit_is_findable_the_moment_it_is_saved(catalogue, editor):
    entry = Entry.objects.get(key="kotihoito")
    data = entry_to_dict(entry)
    data["keywords"] = ["kotisairaanhoito"]
    catalogue_services.entry_save(entry=entry, data=data, author=editor, base_version=entry.version)
    assert search_keys("kotisairaanhoito")[0] == "kotihoito"


def test_index_object_and_remove_object_keep_lexicon_counts_exact(catalogue):
    entry = Entry.objects.get(key="kotihoito")
    entry.title_fi = entry.title = "Kotihoito ja kotisairaanhoito"
    entry.save()
    services.index_object(entry)
    services.remove_object(Entry.objects.get(key="lastensuojeluilmoitus"))
    incremental = _lexicon()
    services.rebuild_lexicon()
    assert incremental == _lexicon()
    assert SearchLexicon.objects.get(word="").df == SearchDocument.objects.count()
    assert "lastensuojeluilmoitus" not in search_keys("lastensuojeluilmoitus")


def test_source_returning_no_document_removes_it(catalogue, monkeypatch):
    from apps.catalogue.search import EntrySource
    from apps.search import registry

    source = registry.source_for(Entry)
    assert isinstance(source, EntrySource)
    monkeypatch.setattr(source, "document", lambda entry: None)
    services.index_object(Entry.objects.get(key="kotihoito"))
    assert not SearchDocument.objects.filter(key="kotihoito").exists()


def test_rebuild_index_restores_everything(catalogue):
    SearchDocument.objects.all().delete()
    SearchLexicon.objects.all().delete()
    assert search_keys("kotihoito") == []
    count = services.rebuild_index()
    assert count == Entry.objects.count()
    assert search_keys("kotihoito")[0] == "kotihoito"


def test_stale_rebuild_redoes_only_other_analyzers_documents(catalogue):
    SearchDocument.objects.filter(key="kotihoito").update(analyzer="old-0")
    assert services.rebuild_index(stale_only=True) == 1
    assert not SearchDocument.objects.filter(analyzer="old-0").exists()


def test_index_vectors_are_weighted_by_field(catalogue):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.vector @@ 'kotihoito:A'::tsquery, d.head @@ 'kotihoito'"
            "::tsquery, d.vector @@ 'lääke:C'::tsquery, d.head @@ "
            "'lääke'::tsquery FROM search_searchdocument d WHERE key = %s",
            ["kotihoito"],
        )
        in_title, in_head, in_body, body_in_head = cursor.fetchone()
    assert in_title and in_head and in_body and not body_in_head


# --- Synonyms ------------------------------------------------------------------------


def test_synonym_group_needs_two_members(db):
    with pytest.raises(ValidationError):
        services.synonym_group_save(group=SynonymGroup(terms="vanhainkoti"))
    assert not SynonymGroup.objects.exists()


def test_synonym_group_save_analyses_members(db, editor):
    group = services.synonym_group_save(
        group=SynonymGroup(terms="Vanhainkoti, henkilökohtainen avustaja"), user=editor
    )
    members = {m.text: m for m in group.members.all()}
    assert set(members) == {"Vanhainkoti", "henkilökohtainen avustaja"}
    assert group.updated_by == editor
    assert members["henkilökohtainen avustaja"].match.count(" ") == 1


# --- The search log ----------------------------------------------------------------


def test_search_log_scrubs_identity_codes_and_phone_numbers(db, advisor):
    log = services.search_log_create(
        query="131052-308T soitti 040 123 4567 kotihoito",
        user=advisor,
        source=SearchLog.Source.PAGE,
        result_count=3,
        municipality="285",
    )
    log.refresh_from_db()
    assert "131052" not in log.query
    assert "4567" not in log.query
    assert log.query == "[hetu] soitti [puhelin] kotihoito"
    assert (log.user, log.result_count, log.municipality) == (advisor, 3, "285")


def test_search_log_open_records_first_opening_by_the_searcher_only(db, advisor, editor):
    log = services.search_log_create(
        query="kotihoito", user=advisor, source=SearchLog.Source.LIVE, result_count=2
    )
    assert not services.search_log_open(log_id=log.pk, position=2, url="/x/", key="x", user=editor)
    assert services.search_log_open(log_id=log.pk, position=2, url="/x/", key="x", user=advisor)
    assert not services.search_log_open(log_id=log.pk, position=1, url="/y/", key="y", user=advisor)
    log.refresh_from_db()
    assert (log.opened_position, log.opened_url, log.opened_key) == (2, "/x/", "x")


def test_renamed_organisation_reindexes_its_entries_on_import(catalogue):
    from apps.catalogue.services import import_catalogue

    assert "ruoka-apu-kotka" not in search_keys("diakoniakeskus")
    import_catalogue(
        {
            "format": "sote-catalogue/1",
            "organisations": [
                {
                    "key": "kotkan-srk",
                    "name": {"fi": "Kotkan diakoniakeskus"},
                    "kind": "parish",
                    "municipalities": ["285"],
                }
            ],
        }
    )
    assert "ruoka-apu-kotka" in search_keys("diakoniakeskus")


def test_renamed_organisation_reindexes_its_entries_in_admin(catalogue, client, django_user_model):
    from apps.catalogue.models import Organisation

    admin = django_user_model.objects.create_superuser("root2", "r@example.org", "pw")
    client.force_login(admin)
    org = Organisation.objects.get(key="kotkan-srk")
    response = client.post(
        f"/admin/catalogue/organisation/{org.pk}/change/",
        {
            "key": "kotkan-srk",
            "name_fi": "Kotkan diakoniakeskus",
            "name_sv": "",
            "name_en": "",
            "kind": "parish",
            "municipalities": ["285"],
            "website": "",
            "phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "ruoka-apu-kotka" in search_keys("diakoniakeskus")


# --- Bounded indexing -----------------------------------------------------------------------


def _numbered_words(n: int, stem: str = "sana") -> str:
    """``n`` distinct made-up words (sanaaaa, sanabaa, …)."""
    return " ".join(stem + "".join(chr(97 + (i // 26**k) % 26) for k in range(3)) for i in range(n))


def test_indexing_reads_a_bounded_prefix_of_each_text(db):
    from apps.search import registry
    from apps.search.analyzer import get_analyzer

    huge = "alkusana " + _numbered_words(100_000) + " loppusana"  # about 800 KB
    doc = registry.Document(
        doc_type="consultation",
        url="/x/",
        titles={"fi": "Otsikko"},
        texts=[registry.Text("fi", huge, "B")],
        snippets={"fi": huge},
    )
    snowball = get_analyzer("snowball")
    positions, _head, _title = services.document_positions(doc, snowball)
    assert snowball.word_lexemes("alkusana")[0] in positions
    assert snowball.word_lexemes("loppusana")[0] not in positions
    assert len(positions) <= services.MAX_TEXT_CHARS // len("sanaaaa ")

    services.index_documents([("benchmark.thread", "1", doc)], analyzer=get_analyzer("snowball"))
    stored = SearchDocument.objects.get(source="benchmark.thread", object_id="1")
    assert len(stored.snippets["fi"]) <= services.SNIPPET_CHARS
    assert stored.snippets["fi"].startswith("alkusana sanaaaa")
    assert not stored.snippets["fi"].endswith(" ")  # cut after a whole word


def test_indexing_reads_a_bounded_amount_of_each_document(db):
    from apps.search import registry
    from apps.search.analyzer import get_analyzer

    text = _numbered_words(6000)  # about 48 KB each, under the per-text cap
    doc = registry.Document(
        doc_type="consultation",
        url="/x/",
        titles={"fi": "Otsikko"},
        texts=[registry.Text("fi", text, "C")] * 10,
        keywords=["viimeinenavainsana"],
    )
    positions, head, _title = services.document_positions(doc, get_analyzer("snowball"))
    assert not head  # the keyword comes after the spent budget
    assert sum(len(p) for p in positions.values()) <= services.MAX_DOCUMENT_CHARS // 8


def test_huge_solved_answer_is_indexed_bounded_and_found(db, advisor, editor):
    from apps.search import selectors
    from tests.consultations import factories

    thread = factories.solved_thread(
        author=advisor, answerer=editor, solution="omaishoitajan " * 50_000
    )  # 700 KB
    services.index_object(thread)
    stored = SearchDocument.objects.get(source="consultations.thread", object_id=str(thread.pk))
    assert len(stored.snippets["fi"]) <= services.SNIPPET_CHARS
    hit = next(h for h in selectors.search(query="omaishoitaja").hits if h.key == str(thread.pk))
    assert hit.snippet.count("<mark>") == 32
    assert len(hit.snippet) < 2000


def test_search_log_is_committed_without_waiting_for_the_disk_on_its_own(
    reference_data_tx, advisor
):
    """A row a keystroke writes does not wait for a WAL flush; inside a caller's
    transaction the caller's commit decides."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        log = services.search_log_create(
            query="kotihoito", user=advisor, source=SearchLog.Source.LIVE, result_count=1
        )
    assert "SET LOCAL synchronous_commit TO OFF" in seen
    assert SearchLog.objects.filter(pk=log.pk).exists()  # committed, visible to others
    seen.clear()
    with transaction.atomic(), connection.execute_wrapper(record):
        services.search_log_create(
            query="kotihoito", user=advisor, source=SearchLog.Source.LIVE, result_count=1
        )
    assert not any("synchronous_commit" in sql for sql in seen)
