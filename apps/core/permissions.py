"""The one way a view refuses someone: a predicate from the app's ``permissions.py``.

Two shapes, nothing else (no ``@permission_required("app.perm")`` strings, no private
decorators, no hand-written ``if …: raise PermissionDenied`` in views):

- page-level rights, ``predicate(user) -> bool``, decorate the view::

      @require(permissions.can_view_reports)
      def report_list(request: AuthenticatedHttpRequest) -> HttpResponse: ...

- object-level rights, ``predicate(user, obj) -> bool``, are one call after the object
  is loaded (a 404 for a missing object comes first, as before)::

      entry = get_object_or_404(Entry, key=key)
      ensure(permissions.can_edit_entry(request.user, entry))

Both raise ``PermissionDenied`` (403). Services keep their own checks where they are
invariants under a row lock; those are not view checks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase

if TYPE_CHECKING:
    from apps.accounts.models import User

    from .http import AuthenticatedHttpRequest


def ensure(allowed: bool) -> None:
    """Refuse (403) unless ``allowed``: the object-level check, ``ensure(can_x(user, obj))``."""
    if not allowed:
        raise PermissionDenied


def require[**P, R: HttpResponseBase](
    predicate: Callable[[User], bool],
) -> Callable[
    [Callable[Concatenate[AuthenticatedHttpRequest, P], R]],
    Callable[Concatenate[AuthenticatedHttpRequest, P], R],
]:
    """Refuse the view (403) unless ``predicate(request.user)`` holds: page-level rights."""

    def decorator(
        view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
    ) -> Callable[Concatenate[AuthenticatedHttpRequest, P], R]:
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            ensure(predicate(request.user))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
