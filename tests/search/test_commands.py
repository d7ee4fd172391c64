from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.catalogue.models import Entry
from apps.search.models import SearchDocument, SynonymGroup, SynonymTerm
from apps.search.services import synonym_group_save

from .conftest import search_keys

pytestmark = pytest.mark.django_db


def test_rebuild_search_index_rebuilds_documents_and_synonyms(catalogue, capsys):
    synonym_group_save(group=SynonymGroup(terms="vanhainkoti, palveluasuminen"))
    SearchDocument.objects.all().delete()
    SynonymTerm.objects.all().delete()
    call_command("rebuild_search_index")
    assert "Indexed" in capsys.readouterr().out
    assert SearchDocument.objects.count() == Entry.objects.count()
    assert search_keys("vanhainkoti")[0] == "palveluasuminen"


def test_rebuild_search_index_with_snowball_marks_documents(catalogue):
    call_command("rebuild_search_index", "--analyzer", "snowball")
    assert set(SearchDocument.objects.values_list("analyzer", flat=True)) == {"snowball-1"}
