"""Czech customers and addresses for the demo utility: names, companies, IČO/DIČ, municipalities.

Everything is drawn from two seeded sources, ``random.Random`` for structure and ``Faker("cs_CZ")``
for names and street names, so a given seed yields the same people on every run (with the same
Faker version).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from faker import Faker
from stdnum.cz import dic

EMAIL_DOMAINS = ("seznam.cz", "email.cz", "gmail.com", "centrum.cz", "volny.cz", "post.cz")
TITLES = ("Ing.", "Mgr.", "Bc.", "MUDr.", "JUDr.", "PhDr.", "RNDr.")
BUSINESS_KINDS = (
    "Pekárna",
    "Autoservis",
    "Truhlářství",
    "Restaurace",
    "Penzion",
    "Stavební firma",
    "Zahradnictví",
    "Kadeřnictví",
    "Prádelna",
    "Řeznictví",
    "Pneuservis",
    "Lékárna",
    "Sklenářství",
    "Instalatérství",
    "Hotel",
    "Myčka",
)
COMPANY_SUFFIXES = ("s.r.o.", "s.r.o.", "s.r.o.", "s.r.o.", "a.s.", "v.o.s.", "k.s.")


@dataclass(slots=True)
class Municipality:
    """A municipality the utility serves, with its post code, streets and precipitation normal."""

    name: str
    postcode: str
    streets: tuple[str, ...]
    precipitation_normal: str  # m/year, three decimals, e.g. "0.686"
    is_town: bool
    next_house_number: int = 1


@dataclass(slots=True)
class Address:
    """A Czech address: ``street house_number[/orientation_number]``, municipality, post code."""

    street: str
    house_number: str
    orientation_number: str
    municipality: str
    postcode: str

    @property
    def street_line(self) -> str:
        number = self.house_number
        if self.orientation_number:
            number = f"{number}/{self.orientation_number}"
        return f"{self.street} {number}" if self.street else f"č. p. {number}"


@dataclass(slots=True)
class Person:
    """A customer's identity: a household (a person) or a business (a company)."""

    is_business: bool
    name: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company_id: str = ""  # IČO
    vat_id: str = ""  # DIČ
    email: str = ""
    phone: str = ""


def make_faker(seed: int) -> Faker:
    """A ``Faker("cs_CZ")`` seeded for this instance only (not the class-wide shared seed)."""
    fake = Faker("cs_CZ")
    fake.seed_instance(seed)
    return fake


def build_region(rng: random.Random, fake: Faker, supply_points: int) -> list[Municipality]:
    """The municipalities of the utility: one town and villages, about one per 400 supply points."""
    count = max(2, min(40, 2 + supply_points // 400))
    names: list[str] = []
    while len(names) < count:
        name = fake.city_name()
        if name not in names:
            names.append(name)
    region_digit = rng.randint(2, 7)
    used_postcodes: set[str] = set()
    municipalities = []
    for index, name in enumerate(names):
        is_town = index == 0 or rng.random() < 0.15
        postcode = _postcode(rng, region_digit, used_postcodes)
        street_count = rng.randint(30, 120) if is_town else rng.randint(4, 18)
        streets = _streets(fake, street_count)
        normal = f"{rng.uniform(0.5, 0.8):.3f}"
        municipalities.append(Municipality(name, postcode, streets, normal, is_town))
    return municipalities


def _postcode(rng: random.Random, region_digit: int, used: set[str]) -> str:
    while True:
        postcode = f"{region_digit}{rng.randint(0, 99):02d}{rng.choice(('01', '01', '02', '11'))}"
        if postcode not in used:
            used.add(postcode)
            return postcode


def _streets(fake: Faker, count: int) -> tuple[str, ...]:
    streets: list[str] = []
    attempts = 0
    while len(streets) < count and attempts < count * 5:
        attempts += 1
        street = fake.street_name()
        if street not in streets:
            streets.append(street)
    return tuple(streets)


def pick_municipality(rng: random.Random, region: list[Municipality]) -> Municipality:
    """Half of the supply points lie in the main town, the rest spread over the others."""
    if rng.random() < 0.5:
        return region[0]
    return rng.choice(region)


def new_address(rng: random.Random, municipality: Municipality) -> Address:
    """A fresh address in the municipality; house numbers are never reused within it."""
    house_number = municipality.next_house_number
    municipality.next_house_number += rng.randint(1, 3)
    orientation = str(rng.randint(1, 80)) if municipality.is_town and rng.random() < 0.7 else ""
    return Address(
        street=rng.choice(municipality.streets),
        house_number=str(house_number),
        orientation_number=orientation,
        municipality=municipality.name,
        postcode=municipality.postcode,
    )


def new_household(rng: random.Random, fake: Faker) -> Person:
    """A person with a Czech name (surname agreeing with gender), maybe title, e-mail, phone."""
    if rng.random() < 0.5:
        first, last = fake.first_name_female(), fake.last_name_female()
    else:
        first, last = fake.first_name_male(), fake.last_name_male()
    title = rng.choice(TITLES) if rng.random() < 0.08 else ""
    name = f"{title} {first} {last}" if title else f"{first} {last}"
    email = ""
    if rng.random() < 0.75:
        local = f"{_ascii(first)}.{_ascii(last)}"
        if rng.random() < 0.5:
            local += str(rng.randint(1, 99))
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    return Person(
        is_business=False,
        name=name,
        first_name=first,
        last_name=last,
        title=title,
        email=email,
        phone=_phone(fake) if rng.random() < 0.8 else "",
    )


def new_business(rng: random.Random, fake: Faker) -> Person:
    """A company with a valid IČO and, for most (VAT payers), DIČ ``CZ`` + IČO."""
    surname = fake.last_name_male()
    name = f"{rng.choice(BUSINESS_KINDS)} {surname} {rng.choice(COMPANY_SUFFIXES)}"
    company_id = new_company_id(rng)
    vat_id = f"CZ{company_id}" if rng.random() < 0.85 else ""
    domain = _ascii(surname) + rng.choice(("", "-servis", "-cz", "-firma"))
    return Person(
        is_business=True,
        name=name,
        company_id=company_id,
        vat_id=vat_id,
        email=f"info@{domain}.cz",
        phone=_phone(fake),
    )


def new_company_id(rng: random.Random) -> str:
    """An 8-digit IČO whose check digit is right (weights 8…2, modulo 11)."""
    body = f"{rng.randint(0, 8)}{rng.randint(0, 999_999):06d}"
    return body + dic.calc_check_digit_legal(body)


def _phone(fake: Faker) -> str:
    return "+420 " + fake.phone_number().removeprefix("00420 ").removeprefix("+420 ")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-"))
