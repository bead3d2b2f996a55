"""The invoice's meter table shows what the invoice bills, for every invoice of a generated demo
utility (imported by the real importer): per meter, the readings that open and close the billed
interval, with their kinds, and consumption that adds up to the billed water to the litre, also
across meter replacements, estimated and remote readings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from portal.documents.content import meter_rows
from portal.models import Customer, CustomerLink, Invoice, InvoiceLine
from zis.demo import generate_batch
from zis.importer import import_batch
from zis.models import SyncRun

pytestmark = pytest.mark.django_db

OLD_METER = "konečný stav starého vodoměru"
NEW_METER = "počáteční stav nového vodoměru"


@pytest.fixture
def demo_user(tmp_path):
    """A user linked to every customer of a small generated utility (3 years, to mid-2024)."""
    folder = generate_batch(
        tmp_path, supply_points=30, years=3, seed=7, end_date=date(2024, 6, 30), remote_share=0.2
    )
    run = import_batch(folder, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    user = get_user_model().objects.create_user("sweep@example.com", "sweep@example.com", "x")
    CustomerLink.objects.bulk_create(
        CustomerLink(user=user, customer=customer) for customer in Customer.objects.all()
    )
    return user


def test_every_invoices_meter_table_adds_up_to_the_billed_water(demo_user):
    invoices = list(Invoice.objects.select_related("supply_point").order_by("number"))
    assert len(invoices) > 20
    water = {}
    for line in InvoiceLine.objects.filter(kind="water"):
        water[line.invoice_id] = water.get(line.invoice_id, Decimal(0)) + line.quantity
    kinds: set[str] = set()
    replaced = 0
    for invoice in invoices:
        rows = meter_rows(demo_user, invoice)
        assert rows, invoice.number
        closing = invoice.period_end + timedelta(days=1)  # the settlement reading's day
        for row in rows:
            opened_in_period = row.start.kind == NEW_METER
            assert row.start.date <= invoice.period_start or opened_in_period, invoice.number
            assert row.start.date < row.end.date <= closing, invoice.number
            assert row.end.date == closing or row.end.kind == OLD_METER, invoice.number
            assert row.consumption >= 0
            kinds |= {row.start.kind, row.end.kind}
        replaced += any(row.end.kind == OLD_METER for row in rows)
        assert sum(row.consumption for row in rows) == water[invoice.pk], invoice.number
    # the sweep met the hard cases: replacements, estimates and remote reads
    assert replaced > 0
    assert {OLD_METER, NEW_METER} <= kinds
    assert {"odhad", "dálkový odečet", "pravidelný odečet"} <= kinds
