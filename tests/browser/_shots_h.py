from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from apps.consultations import services
from apps.consultations.models import Urgency
from tests.conftest import make_user
from tests.consultations import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_shots(page, advisor, django_user_model):
    colleague = make_user(django_user_model, "kollega", "Neuvoja")
    line = factories.line("ikaihmiset")
    advisor.service_lines.add(line)
    t1 = services.thread_create(author=colleague, title="Asiakas odottaa: kotihoidon maksu", body="Miten **lasketaan**?", service_line=line, urgency=Urgency.WAITING)
    t2 = services.thread_create(author=advisor, title="Kela-taksin tilaus", body="x", service_line=factories.line(), urgency=Urgency.TODAY)
    services.thread_claim(thread=t2, user=colleague)
    t3 = services.thread_create(author=advisor, title="Vastattu kysymys", body="x", service_line=line)
    a = services.answer_post(thread=t3, author=colleague, body="Näin. @advisor")
    services.answer_post(thread=t3, author=advisor, body="Kiitos!", kind="comment")
    services.callback_create(requester=colleague, assignee=advisor, due_at=timezone.now()-datetime.timedelta(minutes=10), reason="Kysyy omaishoidon tuesta", phone="040 123 4567")
    login(page, "advisor")
    page.goto("/kysymykset/")
    page.wait_for_timeout(1500)
    page.screenshot(path="/tmp/h_board.png", full_page=True)
    page.goto(t3.get_absolute_url())
    page.screenshot(path="/tmp/h_thread.png", full_page=True)
    page.goto("/kysymykset/uusi/")
    page.get_by_label("Otsikko").fill("Kela")
    page.get_by_label("Kysymys:").fill("Soita 040 123 4567")
    page.get_by_role("button", name="Lähetä kysymys").click()
    page.screenshot(path="/tmp/h_ask.png", full_page=True)
    page.goto("/kysymykset/soittopyynnot/1/")
    page.screenshot(path="/tmp/h_callback.png", full_page=True)
    page.goto("/kysymykset/soittopyynnot/uusi/")
    page.screenshot(path="/tmp/h_callback_form.png", full_page=True)
