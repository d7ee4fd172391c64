"""Create (or refresh) the demo logins: an admin and one user per role, and print them."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import roles

DEMO_USERS = [
    # username, first, last, role (None = superuser)
    ("admin", "Ylläpitäjä", "", None),
    ("neuvoja", "Niina", "Neuvoja", roles.ADVISOR),
    ("sisalto", "Sanna", "Virtanen", roles.EDITOR),
    ("esihenkilo", "Eero", "Esihenkilö", roles.MANAGER),
]


class Command(BaseCommand):
    help = "Create the demo logins (admin + one per role) with fresh passwords and print them."

    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        lines = []
        with transaction.atomic():
            for username, first, last, role in DEMO_USERS:
                user, _ = User.objects.select_for_update().get_or_create(username=username)
                password = secrets.token_urlsafe(9)
                user.first_name, user.last_name = first, last
                user.email = f"{username}@example.org"
                user.is_active = True
                user.is_staff = role is None
                user.is_superuser = role is None
                user.set_password(password)
                user.save()
                if role:
                    user.groups.set([Group.objects.get(name=role)])
                lines.append((username, password, role or "superuser"))
        self.stdout.write("\nDemo logins (passwords are new on every run):")
        for username, password, role in lines:
            self.stdout.write(f"  {username:<12} {password:<14} {role}")
        self.stdout.write("")
