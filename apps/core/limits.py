"""Maximum lengths (in characters) of the free-text fields staff write.

Every number is enforced by the model field (``max_length`` plus a
``MaxLengthValidator`` for a ``TextField``, whose column stays ``text``), so
``full_clean`` (services, ModelForms, the Django admin) and the catalogue importer
refuse longer text, and forms render it as the ``maxlength`` attribute. Short one-line
fields (titles, names, labels) keep their ``CharField`` ``max_length`` in the model.

The numbers leave generous headroom over the largest legitimate texts: the demo
catalogue (``demo/catalogue.json``) and the 2026 development catalogue
(``../shared/search-eval/dev-catalogue.json``, the real catalogue's shape). They exist so
that one paste of a whole document (or a hostile 1 MB answer) cannot slow search, the
snippets and the index for everyone.
"""

from __future__ import annotations

# Catalogue entries. Largest seen: body 1 693, summary 190, eligibility 290,
# how to apply 275, fees 203 characters.
ENTRY_SUMMARY = 2_000  # a summary is a paragraph or two
ENTRY_BODY = 20_000  # ~12× the longest description: a long service described in full
ENTRY_DETAIL = 5_000  # eligibility, how to apply, fees: ~17× the longest
PROBLEM_REPORT = 4_000  # "what is wrong" / "what did you try": a few paragraphs

# How many items an entry's lists may hold. Largest seen: 7 keywords, 3 target groups,
# 3 legal references, 5 contacts.
ENTRY_LIST_ITEMS = 50  # keywords, target groups, legal basis: ~7× the longest list
ENTRY_CONTACTS = 50  # the edit form's contact rows (its formset's max_num)

# Colleague consultations.
THREAD_BODY = 10_000  # a question with its background: a few screens of text
ANSWER_BODY = 10_000  # an answer with steps, links and quoted rules
CALLBACK_REASON = 2_000  # what the customer needs: a short note
FAQ_ANSWER = 10_000  # an answer turned into an FAQ item: as long as an answer

# Success stories.
STORY_BODY = 20_000  # a story of a few pages; the demo stories are under 2 000
COMMENT = 2_000  # a comment on a story, a return or publishing comment

# Search synonyms: a group of words or phrases, edited in the admin.
SYNONYM_TERMS = 2_000
