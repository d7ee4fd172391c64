from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.services import notify

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
MARK_ALL = reverse("notifications:mark_all_read")
BADGE = reverse("notifications:badge")


def _notify(recipients, text="Ilmoitus.", url="/palvelut/", **extra):
    return notify(recipients=recipients, verb="answer", text=text, url=url, email=False, **extra)


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    "url",
    [
        INBOX,
        BADGE,
        reverse("notifications:open", args=[1]),
    ],
)
def test_notification_pages_require_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_mark_all_read_requires_login(client, alice):
    _notify([alice])

    response = client.post(MARK_ALL)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


class TestInbox:
    def test_inbox_lists_own_notifications_newest_first_with_unread_marked(
        self, alice_client, alice, bob
    ):
        (older,) = _notify([alice], "Vanhempi ilmoitus")
        _notify([alice], "Uudempi ilmoitus")
        _notify([bob], "Bobin ilmoitus")
        older.read_at = timezone.now()
        older.save(update_fields=["read_at"])

        html = alice_client.get(INBOX).text

        assert html.index("Uudempi ilmoitus") < html.index("Vanhempi ilmoitus")
        assert "Bobin ilmoitus" not in html
        assert html.count("notification-unread") == 1
        assert "Merkitse kaikki luetuiksi" in html

    def test_inbox_header_shows_the_unread_count(self, alice_client, alice):
        _notify([alice])
        _notify([alice])

        html = alice_client.get(INBOX).text

        assert 'id="unread-badge"' in html
        assert 'hx-trigger="live:unread.changed from:body, every 30s"' in html
        assert '>2<span class="visually-hidden"> lukematonta</span>' in html

    def test_inbox_without_notifications_says_so(self, alice_client):
        html = alice_client.get(INBOX).text

        assert "Sinulla ei ole ilmoituksia." in html
        assert "Merkitse kaikki luetuiksi" not in html

    def test_inbox_for_htmx_returns_only_the_list(self, alice_client, alice):
        _notify([alice], "Listan ilmoitus")

        response = alice_client.get(INBOX, headers={"HX-Request": "true"})

        assert "<html" not in response.text
        assert 'id="notification-list"' in response.text
        assert "Listan ilmoitus" in response.text

    def test_inbox_pages_long_lists(self, alice_client, alice):
        for number in range(35):
            _notify([alice], f"Ilmoitus numero {number:02d}")

        first = alice_client.get(INBOX).text
        second = alice_client.get(INBOX, {"sivu": 2}).text

        assert "Ilmoitus numero 34" in first and "Ilmoitus numero 00" not in first
        assert "Ilmoitus numero 00" in second and "Ilmoitus numero 34" not in second


class TestOpenNotification:
    def test_open_notification_marks_it_read_and_redirects(self, alice_client, alice):
        (notification,) = _notify([alice], url="/palvelut/kortti/toimeentulotuki/")

        response = alice_client.get(reverse("notifications:open", args=[notification.pk]))

        assert response.status_code == 302
        assert response.url == "/palvelut/kortti/toimeentulotuki/"
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_open_notification_of_another_user_is_not_found(self, alice_client, bob):
        (theirs,) = _notify([bob])

        response = alice_client.get(reverse("notifications:open", args=[theirs.pk]))

        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None

    @pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
    def test_open_notification_never_redirects_off_site(self, alice_client, alice, url):
        # notify() refuses such urls; a row written some other way still must not escape.
        notification = Notification.objects.create(
            recipient=alice, verb="answer", text="x", url=url
        )

        response = alice_client.get(reverse("notifications:open", args=[notification.pk]))

        assert response.status_code == 302
        assert response.url == INBOX

    def test_open_notification_refuses_post(self, alice_client, alice):
        (notification,) = _notify([alice])

        response = alice_client.post(reverse("notifications:open", args=[notification.pk]))

        assert response.status_code == 405


class TestMarkAllRead:
    def test_mark_all_read_marks_own_and_redirects(self, alice_client, alice, bob):
        _notify([alice, bob])
        _notify([alice])

        response = alice_client.post(MARK_ALL, follow=True)

        assert response.redirect_chain == [(INBOX, 302)]
        assert "Kaikki ilmoitukset on merkitty luetuiksi." in response.text
        assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
        assert Notification.objects.get(recipient=bob).read_at is None

    def test_mark_all_read_for_htmx_returns_the_list_and_a_fresh_badge(self, alice_client, alice):
        _notify([alice], "Luettava")

        response = alice_client.post(MARK_ALL, headers={"HX-Request": "true"})

        assert response.status_code == 200
        assert "<html" not in response.text
        assert 'id="notification-list"' in response.text
        assert 'hx-swap-oob="true"' in response.text
        assert "lukematonta" not in response.text
        assert "notification-unread" not in response.text

    def test_mark_all_read_refuses_get(self, alice_client, alice):
        _notify([alice])

        assert alice_client.get(MARK_ALL).status_code == 405
        assert Notification.objects.get().read_at is None


class TestBadge:
    def test_badge_shows_the_count_as_a_fragment(self, alice_client, alice):
        _notify([alice])

        response = alice_client.get(BADGE, headers={"HX-Request": "true"})

        assert "<html" not in response.text
        assert '1<span class="visually-hidden"> lukematonta</span>' in response.text
        assert 'hx-trigger="live:unread.changed from:body, every 30s"' in response.text
        assert "no-cache" in response["Cache-Control"]

    def test_badge_with_nothing_unread_is_empty_but_keeps_polling(self, alice_client):
        response = alice_client.get(BADGE, headers={"HX-Request": "true"})

        assert "lukematonta" not in response.text
        assert 'hx-trigger="live:unread.changed from:body, every 30s"' in response.text

    def test_badge_stops_polling_when_the_session_has_ended(self, client):
        response = client.get(BADGE, headers={"HX-Request": "true"})

        assert response.status_code == 286
        assert response.content == b""


def test_badge_polling_costs_one_query_beyond_session_and_user(
    alice_client, alice, django_assert_num_queries
):
    _notify([alice])
    # The first request after sign-in stores the session's activity time (the idle-session
    # middleware writes it at most once a minute); the polls after it only read.
    alice_client.get(BADGE, headers={"HX-Request": "true"})

    with django_assert_num_queries(3):  # session, user, the count
        alice_client.get(BADGE, headers={"HX-Request": "true"})
