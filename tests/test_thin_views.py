"""Views run no queries of their own beyond get_object_or_404: every read goes through the
app's selectors (style.md, "Views"). Checked on the views' source."""

from __future__ import annotations

import re
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "apps"

# A manager used directly (Model.objects.…), or a queryset shaped or read through a
# related manager (request.user.service_lines.order_by(…), thread.answers.all()).
QUERY = re.compile(
    r"\.(?:objects|_default_manager|_base_manager)\b"
    r"|\.(?:all|filter|exclude|order_by|annotate|aggregate|values|values_list|exists"
    r"|select_related|prefetch_related)\("
)

# (file relative to apps/, the line's code) → why that line runs no query of the view's own.
ALLOWED: dict[tuple[str, str], str] = {
    (
        "consultations/views.py",
        "answers = list(thread.answers.all())",
    ): "reads the answers selectors.thread_detail prefetched (no query)",
    (
        "core/views.py",
        "ready = all(state == checks.OK for state in states.values())",
    ): "reads a dict of check results (health.readiness), not a queryset",
}


def _view_modules() -> list[Path]:
    return sorted([*APPS.glob("*/views.py"), *APPS.glob("*/views/*.py")])


def test_views_run_no_queries_of_their_own():
    found = []
    for path in _view_modules():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0].strip()
            if QUERY.search(code) and (str(path.relative_to(APPS)), code) not in ALLOWED:
                found.append(f"apps/{path.relative_to(APPS)}:{number}: {code}")
    assert found == [], "views query through the app's selectors:\n" + "\n".join(found)


def test_the_check_sees_every_app_with_views():
    modules = {p.relative_to(APPS).parts[0] for p in _view_modules()}
    assert {"catalogue", "consultations", "contacts", "stories"} <= modules
