"""A visitor's journey through the public website, in a real browser."""

import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from cms_pages.models import FAQPage, FormPage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_reads_the_faq_and_sends_the_form(page, live_server, demo_site):
    page.goto(live_server.url + "/")
    faq = FAQPage.objects.live().get()
    form_page = FormPage.objects.live().get()

    page.get_by_role("navigation", name="Hlavní navigace").get_by_role(
        "link", name=faq.title
    ).click()
    page.wait_for_url(f"**{faq.url}")
    first_question = page.locator("details.faq-item").first
    first_question.locator("summary").click()
    assert first_question.get_attribute("open") is not None
    assert first_question.locator(".faq-item__answer").is_visible()

    page.goto(live_server.url + form_page.url)
    page.get_by_label("Jméno a příjmení").fill("Jana Nováková")
    page.get_by_label("E-mail").fill("jana.novakova@example.cz")
    page.get_by_label("Zpráva").fill("Dobrý den, kdy budete měnit vodoměr v Lipové ulici?")
    # Answering a question needs no consent: the page states the legal basis instead.
    assert page.locator("form.form input[type=checkbox]").count() == 0
    assert "Souhlas k tomu nepotřebujeme" in page.locator("main").inner_text()
    page.get_by_role("button", name="Odeslat").click()

    page.get_by_role("heading", name="Děkujeme, zpráva byla odeslána").wait_for()
    submission = FormSubmission.objects.get(page=form_page)
    assert "Lipové ulici" in str(submission.form_data)
    assert {m.to[0] for m in mail.outbox} >= {"jana.novakova@example.cz"}
