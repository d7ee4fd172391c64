from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from .models import Contact, Entry, Municipality, Organisation, ServiceLine


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi",)


@register(ServiceLine)
class ServiceLineTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi",)


@register(Entry)
class EntryTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "eligibility", "how_to_apply", "fees")
    required_languages = {"fi": ("title", "summary")}


@register(Contact)
class ContactTranslation(TranslationOptions):
    fields = ("label", "hours")
