"""Django admin for the catalogue: how superusers and staff keep entries up to date.

Localised fields use django-modeltranslation's plain ``TranslationAdmin`` (one input per
language). Its tabbed variant loads jQuery UI from a CDN, which our CSP (and an
intranet) does not allow.

Every write goes through ``services``, as on the editing pages: an entry's save (form and
inlines) through ``entry_save_with`` (lock, edit conflict, version, search index), the bulk
"mark reviewed" through ``entries_mark_reviewed``, deletes through ``entry_delete`` and an
organisation's change re-indexes its entries through ``organisation_reindex_entries``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Field, Func, ManyToManyField, QuerySet, TextField, Value
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from apps.audit import services as audit
from apps.core import limits
from apps.core.http import signed_in_user
from apps.core.privacy import ensure_no_personal_data

from . import interchange, opening_hours
from .citations import entry_citers
from .edit_forms import OpeningHoursField
from .models import (
    Contact,
    Entry,
    EntryVersion,
    Municipality,
    Organisation,
    OwnerReminder,
    ProblemReport,
    ServiceLine,
)
from .permissions import can_edit_entry
from .selectors import annotate_review_due, overdue_q
from .services import (
    PTV_OWNED_FIELDS,
    EditConflict,
    entries_mark_reviewed,
    entry_delete,
    entry_save_with,
    helsinki_today,
    organisation_reindex_entries,
    problem_report_resolve,
)

# --- Forms ---------------------------------------------------------------------------------


class PrivacyGuardedForm(forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time
    """Refuses a henkilötunnus in any text the admin posts (``apps.core.privacy``)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean() returns cleaned_data
        texts: dict[str, str] = {}
        for name, value in cleaned.items():
            if isinstance(value, str):
                texts[name] = value
            elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                texts[name] = "\n".join(value)
        ensure_no_personal_data(texts)
        return cleaned


class ListField(SimpleArrayField):
    """An ArrayField typed as text: blank items (a trailing comma, an empty line) are
    dropped instead of failing, and surrounding spaces are trimmed."""

    # As in the stubs' SimpleArrayField: a list, where CharField's gives a string.
    def to_python(self, value: Any) -> Sequence[Any]:  # type: ignore[override]
        if isinstance(value, str):
            items = value.splitlines() if self.delimiter == "\n" else value.split(self.delimiter)
            value = self.delimiter.join(item.strip() for item in items if item.strip())
        return super().to_python(value)


class EntryAdminForm(PrivacyGuardedForm):
    # The version the form was opened at: a save on top of someone else's is refused.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Entry
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
            self.fields["base_version"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        base_version = cleaned.get("base_version")
        if self.instance.pk and base_version is not None and base_version != self.instance.version:
            raise ValidationError(_conflict_message(), code="edit_conflict")
        # The interchange format's rules, so that every entry can be exported and imported.
        kind = cleaned.get("kind")
        if (
            kind == Entry.Kind.SERVICE
            and "service_lines" in cleaned
            and not cleaned["service_lines"]
        ):
            self.add_error("service_lines", _("Palvelulla on oltava vähintään yksi palvelulinja."))
        if kind == Entry.Kind.OFFER and "organisation" in cleaned and not cleaned["organisation"]:
            self.add_error("organisation", _("Tarjonnalla on oltava organisaatio."))
        return cleaned


def _conflict_message() -> str:
    return gettext(
        "Joku muu tallensi tämän kortin sillä välin, kun muokkasit sitä. Muutoksiasi ei "
        "tallennettu: avaa kortti uudelleen ja tee muutokset sen uusimpaan versioon."
    )


# --- Shared helpers ------------------------------------------------------------------------


def _names(objects: Any) -> str:
    return ", ".join(str(o) for o in objects)


def export_response(entries: QuerySet[Entry], filename: str) -> HttpResponse:
    """The entries as a ``sote-catalogue/1`` file download.

    The file holds the chosen entries, the organisations they (and only they) refer to,
    and all municipalities and service lines, so that it imports on its own.
    """
    data = interchange.export_catalogue()
    keys = set(entries.values_list("key", flat=True))
    sections = {}
    for section in interchange.ENTRY_SECTIONS:
        sections[section] = [item for item in data.get(section, []) if item["key"] in keys]
    referenced = {
        item["organisation"]
        for items in sections.values()
        for item in items
        if item.get("organisation")
    }
    data["organisations"] = [
        org for org in data.get("organisations", []) if org["key"] in referenced
    ]
    data.update(sections)
    response = HttpResponse(interchange.dumps(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Reference data ------------------------------------------------------------------------


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin[Municipality]):
    form = PrivacyGuardedForm
    list_display = ("code", "name_fi", "name_sv")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    ordering = ("name_fi",)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Municipality | None = None
    ) -> tuple[str, ...]:
        # The code is the primary key and what files and filters refer to.
        return ("code",) if obj is not None else ()


@admin.register(ServiceLine)
class ServiceLineAdmin(TranslationAdmin[ServiceLine]):
    form = PrivacyGuardedForm
    list_display = ("name_fi", "key", "position")
    list_editable = ("position",)
    search_fields = ("key", "name_fi", "name_sv", "name_en")
    ordering = ("position", "key")


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin[Organisation]):
    form = PrivacyGuardedForm
    list_display = ("name_fi", "key", "kind", "municipality_names", "website")
    list_filter = ("kind", "municipalities")
    search_fields = ("key", "name_fi", "name_sv", "name_en")
    ordering = ("name_fi",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).prefetch_related("municipalities")

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("kunnat"))
    def municipality_names(self, obj: Organisation) -> str:
        return _names(obj.municipalities.all()) or gettext("koko alue")

    def save_model(
        self,
        request: HttpRequest,
        obj: Organisation,
        form: forms.ModelForm[Organisation],
        change: bool,
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                organisation_reindex_entries(organisations=[obj])


# --- Entries -------------------------------------------------------------------------------


CONTACT_ADMIN_FIELDS = (
    "position",
    "label",
    "phone",
    "email",
    "address",
    "opening_hours",
    "hours",
    "municipalities",
)


class ContactAdminForm(PrivacyGuardedForm):
    """Opening hours in the editors' syntax, municipalities as checkboxes (as the
    intranet's edit form)."""

    opening_hours = OpeningHoursField()

    class Meta:
        model = Contact
        fields = CONTACT_ADMIN_FIELDS
        widgets = {"municipalities": forms.CheckboxSelectMultiple}


class ContactInline(TranslationStackedInline[Contact, Entry]):
    """An entry's contacts; those of an entry imported from Suomi.fi (PTV) are read-only
    (they are edited in PTV): no field, no adding, no deleting."""

    model = Contact
    form = ContactAdminForm
    extra = 0
    max_num = limits.ENTRY_CONTACTS  # as the edit form and the importer
    fields = CONTACT_ADMIN_FIELDS
    verbose_name = _("yhteystieto")
    verbose_name_plural = _("yhteystiedot")

    # An inline's ``obj`` is the parent entry (the stubs type it as the inline's model).

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        if _from_ptv(obj):
            return ["opening_hours_text" if f == "opening_hours" else f for f in fields]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _from_ptv(obj):
            return [
                "opening_hours_text" if f == "opening_hours" else f
                for f in self.replace_orig_field(CONTACT_ADMIN_FIELDS)
            ]
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _from_ptv(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _from_ptv(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("aukioloajat"))
    def opening_hours_text(self, obj: Contact) -> str:
        return opening_hours.to_text(obj.opening_hours) or "–"


def _from_ptv(entry: Entry | None) -> bool:
    return entry is not None and entry.ptv_id is not None


def ptv_admin_fields() -> tuple[str, ...]:
    """The admin's fields (translated columns) that hold ``PTV_OWNED_FIELDS``; read-only
    for an entry imported from Suomi.fi. Its contacts: see ContactInline."""
    names: list[str] = []
    for name in PTV_OWNED_FIELDS:
        if name in interchange.ENTRY_LOCALISED:
            names += [f"{name}_{lang}" for lang in ("fi", "sv", "en")]
        elif name != "contacts":
            names.append(name)
    return tuple(names)


class ReviewOverdueFilter(admin.SimpleListFilter):
    """Overdue for review, computed in the database (see ``selectors.overdue_q``)."""

    title = _("tarkistus")
    parameter_name = "tarkistus"
    OVERDUE = "myohassa"
    UP_TO_DATE = "ajan-tasalla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(self.OVERDUE, _("Myöhässä")), (self.UP_TO_DATE, _("Ajan tasalla"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> QuerySet[Entry]:
        if self.value() == self.OVERDUE:
            return queryset.filter(overdue_q(helsinki_today()))
        if self.value() == self.UP_TO_DATE:
            return queryset.exclude(overdue_q(helsinki_today()))
        return queryset


LOCALISED = ("title", "summary", "body", "eligibility", "how_to_apply", "fees")


def _in(lang: str) -> tuple[str, ...]:
    return tuple(f"{name}_{lang}" for name in LOCALISED)


@admin.register(Entry)
class EntryAdmin(TranslationAdmin[Entry]):
    form = EntryAdminForm
    inlines = (ContactInline,)
    list_display = (
        "title_column",
        "kind",
        "organisation",
        "line_names",
        "municipality_names",
        "owner",
        "last_reviewed",
        "overdue",
    )
    list_filter = (
        "service_lines",
        "municipalities",
        "kind",
        ("owner", admin.RelatedOnlyFieldListFilter),
        ReviewOverdueFilter,
    )
    list_select_related = ("organisation", "owner")
    list_per_page = 50
    search_fields = (
        "key",
        "title_fi",
        "title_sv",
        "title_en",
        "summary_fi",
        "keywords_text",
        "organisation__name_fi",
    )
    search_help_text = _(
        "Hakee tunnisteesta, otsikosta, tiivistelmästä, hakusanoista ja organisaation nimestä."
    )
    autocomplete_fields = ("organisation", "owner")
    readonly_fields = ("last_reviewed", "version", "version_history", "public_link")
    actions = ("delete_selected", "mark_reviewed", "export_selected")
    fieldsets = (
        (None, {"fields": ("kind", "key", "organisation", "owner", "base_version")}),
        (_("Suomeksi"), {"fields": _in("fi")}),
        (_("Ruotsiksi"), {"fields": _in("sv"), "classes": ("collapse",)}),
        (_("Englanniksi"), {"fields": _in("en"), "classes": ("collapse",)}),
        (
            _("Luokittelu"),
            {
                "fields": (
                    "service_lines",
                    "municipalities",
                    "target_groups",
                    "keywords",
                    "legal_basis",
                )
            },
        ),
        (
            _("Tarkistus ja versiot"),
            {
                "fields": (
                    "review_interval_days",
                    "last_reviewed",
                    "version",
                    "version_history",
                    "public_link",
                )
            },
        ),
    )

    def get_readonly_fields(
        self, request: HttpRequest, obj: Entry | None = None
    ) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if _from_ptv(obj):
            # Edited in Suomi.fi (PTV); the sync (services.entry_sync_from_ptv) writes them.
            return (*fields, *ptv_admin_fields(), "ptv_source")
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Entry | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if _from_ptv(obj):
            source: Any = (
                _("Suomi.fi (PTV)"),
                {
                    "fields": ("ptv_source",),
                    "description": _(
                        "Nimi, kuvaukset, kunnat, organisaatio, lakiperusta ja yhteystiedot "
                        "tulevat Suomi.fi-palvelutietovarannosta (PTV): ne muokataan PTV:ssä, "
                        "ja täällä ne näkyvät vain luettavina."
                    ),
                },
            )
            fieldsets.insert(0, source)
        return fieldsets

    @admin.display(description=_("lähde"))
    def ptv_source(self, obj: Entry) -> str:
        return format_html(
            '<span class="badge badge-ptv">{}</span> <a href="{}" rel="noopener noreferrer" '
            'target="_blank">{}</a>',
            gettext("Suomi.fi:stä"),
            obj.suomifi_url,
            gettext("Palvelu Suomi.fi:ssä"),
        )

    # Lists

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        qs = super().get_queryset(request).prefetch_related("service_lines", "municipalities")
        return annotate_review_due(qs, helsinki_today())

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Entry], search_term: str
    ) -> tuple[QuerySet[Entry], bool]:
        # Keywords are a text[]: search them as one string.
        queryset = queryset.alias(
            keywords_text=Func(
                F("keywords"), Value(" "), function="array_to_string", output_field=TextField()
            )
        )
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("otsikko"), ordering="title_fi")
    def title_column(self, obj: Entry) -> str:
        return obj.title

    @admin.display(description=_("palvelulinjat"))
    def line_names(self, obj: Entry) -> str:
        return _names(obj.service_lines.all())

    @admin.display(description=_("kunnat"))
    def municipality_names(self, obj: Entry) -> str:
        return _names(obj.municipalities.all()) or gettext("koko alue")

    @admin.display(
        description=_("myöhässä"), boolean=True, ordering=F("review_due_on").asc(nulls_first=True)
    )
    def overdue(self, obj: Entry) -> bool:
        return bool(obj.review_overdue)  # type: ignore[attr-defined]  # get_queryset annotates

    # Form

    def has_change_permission(self, request: HttpRequest, obj: Entry | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return can_edit_entry(request.user, obj)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "legal_basis":
            kwargs.update(
                form_class=ListField,
                delimiter="\n",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Yksi säädös riville."),
            )
        elif db_field.name in ("keywords", "target_groups"):
            kwargs.update(form_class=ListField, help_text=_("Pilkuilla erotettuina."))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("versiot"))
    def version_history(self, obj: Entry) -> str:
        if not obj.pk:
            return "–"
        url = reverse("admin:catalogue_entryversion_changelist") + f"?entry__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("Näytä versiohistoria"))

    @admin.display(description=_("kortti"))
    def public_link(self, obj: Entry) -> str:
        if not obj.pk:
            return "–"
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:  # a form with errors shows the invalid key being typed
            return "–"
        return format_html('<a href="{}">{}</a>', url, gettext("Avaa kortti intranetissä"))

    # Saving: lock, keep a version, update the search index

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # The admin's transaction has been rolled back: nothing was written.
            self.message_user(request, _conflict_message(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as exc:
            # A Suomi.fi (PTV) field changed after all (services.ensure_ptv_fields_unchanged):
            # rolled back, nothing was written.
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except IntegrityError:
            # Two people adding the same key at once: the unique key lets one through.
            key = request.POST.get("key", "")
            if object_id is not None or not Entry.objects.filter(key=key).exists():
                raise
            self.message_user(request, gettext("Tällä tunnisteella on jo kortti."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(
        self, request: HttpRequest, obj: Entry, form: EntryAdminForm, change: bool
    ) -> None:
        """Nothing here: the entry is saved with its inlines in ``save_related``."""

    def save_related(
        self, request: HttpRequest, form: EntryAdminForm, formsets: Any, change: bool
    ) -> None:
        def write(entry: Entry) -> None:
            super(EntryAdmin, self).save_model(request, entry, form, change)
            super(EntryAdmin, self).save_related(request, form, formsets, change)

        # One service for every save: lock, conflict check, version and search index.
        entry_save_with(
            entry=form.instance,
            base_version=form.cleaned_data.get("base_version") if change else 0,
            author=signed_in_user(request),
            comment=gettext("Muokattu ylläpidossa") if change else gettext("Luotu ylläpidossa"),
            write=write,
        )

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # The version history cannot be deleted on its own, but it goes with its entry.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(EntryVersion._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        for citer in entry_citers():
            count = citer.count(entries=[context["object"]])
            if count:
                messages.warning(request, citer.delete_warning(count=count, selected=False))
        return super().render_delete_form(request, context)

    @admin.action(
        permissions=["delete"],
        # set by @admin.action at run time; not in the stubs
        description=django_delete_selected.short_description,  # type: ignore[attr-defined]
    )
    def delete_selected(self, request: HttpRequest, queryset: QuerySet[Entry]) -> Any:
        """Django's bulk delete, whose confirmation page also says what happens to the
        contacts that cite the selected entries."""
        if not request.POST.get("post"):
            for citer in entry_citers():
                count = citer.count(entries=queryset)
                if count:
                    messages.warning(request, citer.delete_warning(count=count, selected=True))
        return django_delete_selected(self, request, queryset)

    def delete_model(self, request: HttpRequest, obj: Entry) -> None:
        entry_delete(entry=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
        with transaction.atomic():
            for obj in queryset:
                entry_delete(entry=obj)

    # Actions

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("catalogue.review_entry")

    @admin.action(description=_("Merkitse tarkistetuksi"), permissions=["review"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
        count = entries_mark_reviewed(entries=queryset, user=signed_in_user(request))
        self.message_user(
            request,
            ngettext(
                "%(count)d kortti merkitty tarkistetuksi.",
                "%(count)d korttia merkitty tarkistetuksi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Vie valitut (JSON)"), permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Entry]) -> HttpResponse:
        filename = f"neuvokas-valitut-{helsinki_today().isoformat()}.json"
        response = export_response(queryset, filename)
        audit.record(
            audit.Kind.EXPORT,
            request.user,
            audit.Target(type="catalogue.entry", label=filename),
            what="catalogue",
            via="admin",
            entries=queryset.count(),
        )
        return response


@admin.register(EntryVersion)
class EntryVersionAdmin(admin.ModelAdmin[EntryVersion]):
    """The history is written only by saves; here it can be read, never changed."""

    list_display = ("entry_link", "number", "author", "created_at", "comment")
    list_select_related = ("entry", "author")
    list_filter = (("author", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("entry__key", "entry__title_fi", "comment")
    date_hierarchy = "created_at"
    fields = ("entry_link", "number", "author", "created_at", "comment", "snapshot_pretty")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("kortti"), ordering="entry__title_fi")
    def entry_link(self, obj: EntryVersion) -> str:
        url = reverse("admin:catalogue_entry_change", args=[obj.entry_id])
        return format_html('<a href="{}">{}</a>', url, obj.entry)

    @admin.display(description=_("sisältö"))
    def snapshot_pretty(self, obj: EntryVersion) -> str:
        text = json.dumps(obj.snapshot, ensure_ascii=False, indent=2)
        return format_html("<pre>{}</pre>", text)


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin[ProblemReport]):
    """Reports come from readers (``services.problem_report_create``); here they are
    read and marked handled."""

    list_display = ("entry", "short_text", "status", "reporter", "created_at")
    list_filter = ("status",)
    list_select_related = ("entry", "reporter")
    search_fields = ("entry__key", "entry__title_fi", "what_is_wrong")
    fields = (
        "entry",
        "what_is_wrong",
        "what_tried",
        "reporter",
        "created_at",
        "status",
        "resolved_by",
        "resolved_at",
    )
    readonly_fields = (
        "entry",
        "what_is_wrong",
        "what_tried",
        "reporter",
        "created_at",
        "resolved_by",
        "resolved_at",
    )
    actions = ("mark_resolved",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("mikä on väärin"))
    def short_text(self, obj: ProblemReport) -> str:
        return obj.what_is_wrong[:80]

    def save_model(self, request: HttpRequest, obj: ProblemReport, form: Any, change: bool) -> None:
        if "status" in form.changed_data and obj.status == ProblemReport.Status.RESOLVED:
            obj.status = ProblemReport.Status.OPEN  # the service sets it, with who and when
            resolved = problem_report_resolve(report=obj, user=signed_in_user(request))
            obj.status, obj.resolved_by, obj.resolved_at = (
                resolved.status,
                resolved.resolved_by,
                resolved.resolved_at,
            )
            return
        if obj.status == ProblemReport.Status.OPEN:
            obj.resolved_by, obj.resolved_at = None, None
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Merkitse käsitellyksi"), permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[ProblemReport]) -> None:
        count = 0
        for report in queryset.filter(status=ProblemReport.Status.OPEN):
            problem_report_resolve(report=report, user=signed_in_user(request))
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d virheilmoitus merkitty käsitellyksi.",
                "%(count)d virheilmoitusta merkitty käsitellyksi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OwnerReminder)
class OwnerReminderAdmin(admin.ModelAdmin[OwnerReminder]):
    list_display = ("owner", "week_start", "entry_count", "sent_at")
    raw_id_fields = ("owner",)
