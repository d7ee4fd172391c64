"""apps/search/registry.py: the sources the apps register, found by model, instance and
label, and the document types each user may see."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from apps.catalogue.models import Entry, Municipality, ServiceLine
from apps.catalogue.selectors import MUNICIPALITY_PARAM
from apps.consultations.models import Thread
from apps.search import registry
from apps.search.registry import Document, Source, Text
from apps.stories.models import Story
from tests.catalogue import factories as catalogue
from tests.conftest import make_user
from tests.consultations import factories as consultations
from tests.stories.factories import story

pytestmark = pytest.mark.django_db

LABELS = {"catalogue.entry": Entry, "consultations.thread": Thread, "stories.story": Story}


@pytest.fixture
def isolated_registry(monkeypatch):
    """A copy of the registry, so a test's own sources leave the real one as it was."""
    monkeypatch.setattr(registry, "_SOURCES", dict(registry._SOURCES))


def test_every_apps_search_module_is_registered_at_start_up():
    assert {source.label: source.model for source in registry.sources()} == LABELS


@pytest.mark.parametrize(("label", "model"), LABELS.items())
def test_source_for_a_model_or_an_instance_and_by_label(label, model):
    source = registry.source_by_label(label)
    assert source is not None
    assert source.model is model
    assert registry.source_for(model) is source
    assert registry.source_for(model()) is source


def test_source_for_an_unregistered_model_or_label_is_none(django_user_model):
    assert registry.source_for(django_user_model) is None
    assert registry.source_for(Group()) is None
    assert registry.source_by_label("contacts.contactrecord") is None


def test_register_is_a_class_decorator_and_subclasses_find_their_source(isolated_registry):
    class Base:
        pass

    class Derived(Base):
        pass

    @registry.register
    class BaseSource(Source):
        model = Base  # type: ignore[assignment]
        label = "tests.base"
        doc_types = ("base",)

    assert isinstance(registry.source_for(Derived), BaseSource)
    assert isinstance(registry.source_for(Derived()), BaseSource)
    assert registry.source_by_label("tests.base") is registry.source_for(Base)


def test_register_again_replaces_the_models_source(isolated_registry):
    class Thing:
        pass

    @registry.register
    class First(Source):
        model = Thing  # type: ignore[assignment]
        label = "tests.first"

    @registry.register
    class Second(Source):
        model = Thing  # type: ignore[assignment]
        label = "tests.second"

    assert isinstance(registry.source_for(Thing), Second)
    assert registry.source_by_label("tests.first") is None


class TestVisibleTypes:
    def test_superuser_sees_every_type_once(self, superuser, isolated_registry):
        @registry.register
        class AlsoServices(Source):
            model = Group
            label = "tests.also_services"
            doc_types = ("service", "extra")

        visible = registry.visible_types(superuser)
        assert sorted(visible) == ["consultation", "extra", "offer", "service", "story"]

    def test_advisor_sees_what_the_role_may_view(self, advisor):
        assert sorted(registry.visible_types(advisor)) == [
            "consultation",
            "offer",
            "service",
            "story",
        ]

    def test_user_without_a_role_sees_only_sources_without_a_permission(self, django_user_model):
        nobody = make_user(django_user_model, "eiroolia")
        assert registry.visible_types(nobody) == ["story"]

    def test_one_apps_permission_shows_that_apps_types(self, django_user_model):
        reader = make_user(django_user_model, "lukija")
        reader.user_permissions.add(
            Permission.objects.get(content_type__app_label="catalogue", codename="view_entry")
        )
        assert sorted(registry.visible_types(reader)) == ["offer", "service", "story"]


class TestSourceDefaults:
    def test_base_source_needs_a_document_method(self):
        with pytest.raises(NotImplementedError):
            Source().document(object())

    def test_default_queryset_and_object_id(self):
        class GroupSource(Source):
            model = Group
            label = "tests.group"

        group = Group.objects.create(name="Testiryhmä")
        source = GroupSource()
        assert group in source.queryset()
        assert source.object_id(group) == str(group.pk)


class TestRegisteredSourcesDocuments:
    """Each app's source makes a document of the declared type from a real row, and
    none from a row that must not be found."""

    def _check(self, source: Source, document: Document | None) -> None:
        assert document is not None
        assert document.doc_type in source.doc_types
        assert document.titles["fi"]
        assert document.url.startswith("/")
        assert all(isinstance(t, Text) and t.text and t.weight in "ABCD" for t in document.texts)

    def test_entry(self):
        source = registry.source_for(Entry)
        entry = catalogue.entry("kuljetus", title="Kuljetuspalvelu")
        document = source.document(entry)
        self._check(source, document)
        assert (document.key, document.titles["fi"]) == ("kuljetus", "Kuljetuspalvelu")

    def test_solved_thread_but_not_an_open_one(self, advisor, colleague):
        source = registry.source_for(Thread)
        solved = consultations.solved_thread(author=advisor, answerer=colleague)
        self._check(source, source.document(solved))
        assert source.document(consultations.thread(author=advisor)) is None
        assert list(source.queryset()) == [solved]

    def test_published_story_but_not_a_draft(self, advisor):
        source = registry.source_for(Story)
        published = story(author=advisor, state=Story.State.PUBLISHED)
        self._check(source, source.document(published))
        assert source.document(story(author=advisor)) is None
        assert list(source.queryset()) == [published]


class TestWhatSourcesTellSearch:
    """Search learns document types, their labels, place names and filters from the
    registered sources; it names none of them itself."""

    def test_doc_types_in_the_type_filters_order(self):
        assert registry.doc_types() == ["service", "offer", "consultation", "story"]

    def test_doc_type_labels_come_from_the_sources(self):
        assert registry.doc_type_choices() == [
            ("service", "palvelu"),
            ("offer", "järjestöjen tarjonta"),
            ("consultation", "ratkaistu konsultaatio"),
            ("story", "onnistumistarina"),
        ]
        assert registry.doc_type_label("unknown") == "unknown"

    def test_a_new_source_adds_its_type_and_label(self, isolated_registry):
        @registry.register
        class Groups(Source):
            model = Group
            label = "tests.groups"
            doc_types = ("group",)
            doc_type_labels = {"group": "ryhmä"}
            position = 15

        assert registry.doc_types() == ["service", "offer", "group", "consultation", "story"]
        assert registry.doc_type_label("group") == "ryhmä"

    def test_the_catalogue_registers_its_municipalities_as_places(self):
        assert registry.places() == [
            registry.Places(
                table=Municipality._meta.db_table, code="code", names=("name_fi", "name_sv")
            )
        ]

    def test_the_catalogue_registers_the_municipality_and_line_filters(self):
        facets = registry.facets()
        assert [m.code for m in facets.municipalities()] == [
            m.code for m in Municipality.objects.order_by("name_fi")
        ]
        assert {line.key for line in facets.lines()} == set(
            ServiceLine.objects.values_list("key", flat=True)
        )

    def test_without_registered_filters_there_is_nothing_to_filter_by(self, monkeypatch, rf):
        monkeypatch.setattr(registry, "_FACETS", [])
        facets = registry.facets()
        assert (facets.municipalities(), facets.lines()) == ([], [])
        assert facets.current_municipality(rf.get("/")) is None
        assert facets.query_param == ""

    def test_the_municipality_parameter_is_named_by_the_catalogue(self):
        """Search names no parameter of its own: ``?kunta=`` is the one the catalogue's
        parser reads (``catalogue.selectors.MUNICIPALITY_PARAM``), through the facets."""
        assert registry.facets().query_param == MUNICIPALITY_PARAM == "kunta"
        search = Path(registry.__file__).parent
        literals = {
            (path.name, node.value)
            for path in search.glob("*.py")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and node.value == MUNICIPALITY_PARAM
        }
        assert literals == set()
