from __future__ import annotations

from django.utils.safestring import SafeString

from apps.catalogue.diffing import inline_diff, version_diff

OLD = {
    "key": "kuljetus",
    "title": {"fi": "Kuljetuspalvelu", "sv": "Färdtjänst"},
    "summary": {"fi": "Taksimatkat."},
    "body": {"fi": "Matkoja saa 18 yhdensuuntaista matkaa kuukaudessa asiointiin ja vapaa-aikaan."},
    "service_lines": ["vammaispalvelut"],
    "municipalities": ["285", "286"],
    "keywords": ["taksi", "kela-kyyti"],
    "contacts": [{"label": {"fi": "Asiakasohjaus"}, "phone": "05 000 2000"}],
    "owner": "sanna",
}


def test_version_diff_of_equal_snapshots_is_empty():
    assert version_diff(OLD, dict(OLD)) == []


def test_version_diff_compares_localised_fields_per_language():
    new = OLD | {"title": {"fi": "Kuljetuspalvelu", "en": "Transport service"}}
    changes = version_diff(OLD, new)
    assert [(c.path, c.label, c.old, c.new) for c in changes] == [
        ("title.sv", "Otsikko (ruotsi)", "Färdtjänst", ""),
        ("title.en", "Otsikko (englanti)", "", "Transport service"),
    ]


def test_version_diff_lists_show_added_and_removed_with_names():
    new = OLD | {"municipalities": ["286", "075"], "keywords": ["taksi", "kela-kyyti"]}
    labels = {"municipalities": {"285": "Kotka", "286": "Kouvola", "075": "Hamina"}}
    [change] = version_diff(OLD, new, labels=labels)
    assert change.path == "municipalities"
    assert change.removed == ("Kotka (285)",)
    assert change.added == ("Hamina (075)",)
    assert change.is_list


def test_version_diff_contacts_by_position_and_field():
    new = OLD | {
        "contacts": [
            {"label": {"fi": "Asiakasohjaus"}, "phone": "05 000 3000"},
            {"email": "uusi@example.org"},
        ]
    }
    changes = version_diff(OLD, new)
    assert [(c.path, c.label, c.old, c.new) for c in changes] == [
        ("contacts[0].phone", "Yhteystieto 1: puhelin", "05 000 2000", "05 000 3000"),
        ("contacts[1].email", "Yhteystieto 2: sähköposti", "", "uusi@example.org"),
    ]


def test_version_diff_values_and_unknown_fields():
    new = OLD | {"owner": "matti", "review_interval_days": 180, "extra": "x"}
    changes = {c.path: (c.old, c.new) for c in version_diff(OLD, new)}
    assert changes == {
        "owner": ("sanna", "matti"),
        "review_interval_days": ("", "180"),
        "extra": ("", "x"),
    }


def test_version_diff_long_text_has_word_level_inline_diff():
    new = OLD | {"body": {"fi": OLD["body"]["fi"].replace("18", "16")}}
    [change] = version_diff(OLD, new)
    assert isinstance(change.inline, SafeString)
    assert "<del>" in change.inline and "18</del>" in change.inline
    assert "16</ins>" in change.inline
    assert "kuukaudessa asiointiin" in change.inline  # unchanged words kept as they were


def test_version_diff_short_text_has_no_inline_diff():
    new = OLD | {"summary": {"fi": "Taksimatkoja."}}
    [change] = version_diff(OLD, new)
    assert change.inline is None


def test_inline_diff_escapes_everything_it_did_not_build():
    html = inline_diff("Lue <b>ohje</b> & soita", "Lue <script>alert(1)</script> & soita")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; soita" in html
    assert "<b>" not in html and "&lt;b&gt;ohje&lt;/b&gt;" in html
    assert html.count("<ins>") == 1 and html.count("<del>") == 1


def test_version_diff_from_nothing_lists_every_filled_field():
    changes = version_diff(None, {"title": {"fi": "Uusi"}, "keywords": ["a"]})
    assert {c.path for c in changes} == {"title.fi", "keywords"}


def test_contact_in_the_earlier_shape_compares_equal_to_its_set():
    """A snapshot saved before contacts served several municipalities shows no change
    against the same contact in the extended shape."""
    old = {"contacts": [{"phone": "1", "municipality": "075"}]}
    new = {"contacts": [{"phone": "1", "municipalities": ["075"]}]}
    assert version_diff(old, new) == []


def test_contact_municipalities_and_opening_hours_changes_in_words():
    old = {"contacts": [{"phone": "1", "municipality": "075"}]}
    new = {
        "contacts": [
            {
                "phone": "1",
                "municipalities": ["075", "935"],
                "opening_hours": {"weekly": [{"days": {"mon": ["08:00-16:00"]}}]},
            }
        ]
    }
    changes = {
        c.path: c for c in version_diff(old, new, labels={"municipalities": {"935": "Virolahti"}})
    }
    assert changes["contacts[0].municipalities"].added == ("Virolahti (935)",)
    assert (changes["contacts[0].opening_hours"].old, changes["contacts[0].opening_hours"].new) == (
        "",
        "ma 8-16",
    )
