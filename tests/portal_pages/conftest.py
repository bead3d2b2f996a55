"""The portal page tests look at the recorded ZIS batch (`recorded_batch`), imported by the real
importer, through the shared personas:

- `customer`: linked to 100001 Jana Nováková (household; meter replaced by a remote-read one);
- `other_customer`: linked to 100003 Petr Svoboda (SIPO, an unmatched payment);
- `business_customer`: linked to 100002 Pekárna U Mlýna s.r.o. (business; rainwater charged);
- `property_manager`: linked to 100001 and 100002 (the customer switcher);
- `outsider`: signed up, nothing linked.
"""

from __future__ import annotations

import pytest

from portal.models import Customer, CustomerLink
from tests.factories.accounts import UserFactory


@pytest.fixture
def customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100001")


@pytest.fixture
def other_customer_record(recorded_batch) -> Customer:
    return Customer.objects.get(number="100003")


@pytest.fixture
def property_manager(recorded_batch):
    """Looks after Jana's household and the bakery: linked to 100001 and 100002."""
    user = UserFactory(email="spravce@example.cz")
    for number in ("100001", "100002"):
        CustomerLink.objects.create(user=user, customer=Customer.objects.get(number=number))
    return user


NBSP = "\u00a0"


def czech(text: str) -> str:
    """Write figures with plain spaces in tests; pages use non-breaking ones ("1 234,50 Kč")."""
    return text.replace(" ", NBSP)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def table_rows(response, index: int = 0) -> list[list[str]]:
    """The body rows of the `index`-th table of the page, as lists of cell texts."""
    from lxml import html as lxml_html

    document = lxml_html.fromstring(html(response))
    table = document.xpath("//main//table")[index]
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in table.xpath("./tbody/tr")
    ]
