"""The parties of a document (the utility, the customer, the supply point) and the QR Platba
that pays the utility."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from cms_pages.models import UtilitySettings
from portal.billing.models import Customer, SupplyPoint
from portal.lib.money import round_money

from . import spayd
from .qr import QrPayment, qr_payment

logger = logging.getLogger(__name__)


# --- Parties ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostalAddress:
    """The parts of an address that ISDOC asks for separately."""

    street: str
    building_number: str
    city: str
    postcode: str
    country: str = "CZ"


@dataclass(frozen=True)
class Party:
    name: str
    address_lines: tuple[str, ...]
    postal: PostalAddress
    ico: str = ""
    dic: str = ""
    number: str = ""  # the customer number
    phone: str = ""
    email: str = ""
    # Where documents go when it is not the address above (a business identified by its seat).
    delivery_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Supplier(Party):
    legal_name: str = ""
    iban: str = ""
    iban_display: str = ""
    account: str = ""  # the Czech account number, e.g. 19-2000145399/0800

    @property
    def can_be_paid(self) -> bool:
        return bool(self.iban)


def supplier_from(utility: UtilitySettings) -> Supplier:
    town = f"{utility.postcode_display} {utility.municipality}".strip()
    iban = utility.iban.replace(" ", "")
    street, _space, number = utility.street.rpartition(" ")
    if not street or not any(char.isdigit() for char in number):
        street, number = utility.street, ""
    return Supplier(
        name=utility.legal_name or utility.name,
        legal_name=utility.legal_name,
        address_lines=tuple(line for line in (utility.street, town) if line),
        postal=PostalAddress(street, number, utility.municipality, utility.postcode),
        ico=utility.ico,
        dic=utility.dic,
        phone=utility.phone,
        email=utility.email,
        iban=iban,
        iban_display=utility.iban_display,
        account=spayd.iban_to_czech_account(iban) if iban else "",
    )


def customer_party(customer: Customer) -> Party:
    """The customer as a tax document names it: a business by its registered seat (sídlo), with
    the mailing address as the delivery address; anyone else by the mailing address."""
    mailing = customer.mailing_address
    seat = customer.seat_address if customer.is_business else None
    address = seat or mailing
    number = address.house_number
    if address.orientation_number:
        number = f"{number}/{address.orientation_number}"
    return Party(
        name=customer.name,
        address_lines=tuple(address.lines()),
        postal=PostalAddress(
            street=address.street or address.part_of_municipality or address.municipality,
            building_number=number,
            city=address.municipality,
            postcode=address.postcode,
        ),
        ico=customer.ico,
        dic=customer.dic,
        number=customer.number,
        delivery_lines=tuple(mailing.lines()) if seat is not None and seat != mailing else (),
    )


@dataclass(frozen=True)
class Place:
    number: str
    address: str


def place_of(point: SupplyPoint | None) -> Place | None:
    return Place(point.number, str(point.address)) if point is not None else None


def payment_qr(
    supplier: Supplier, amount: Decimal, variable_symbol: str, message: str
) -> QrPayment | None:
    """A QR Platba for `amount` to the utility's account; None when nothing is due or the
    utility has no account (a code that cannot be paid is worse than none)."""
    if amount <= 0 or not supplier.iban:
        return None
    payment = spayd.Payment(
        iban=supplier.iban,
        amount=round_money(amount),
        variable_symbol=variable_symbol,
        message=message,
    )
    try:
        return qr_payment(spayd.build_spayd(payment))
    except spayd.SpaydError as error:  # e.g. a symbol with letters from ZIS: print without QR
        logger.warning("No QR Platba for VS %s: %s", variable_symbol, error)
        return None
