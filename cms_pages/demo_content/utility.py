"""The fictional utility of the demo: its identity for the site settings.

Every number here is made up but valid: the IČO has a correct check digit and the IBAN is derived from a
Czech account number by the loader (`loader.czech_iban`), so forms and documents accept them.
"""

from __future__ import annotations

SITE_NAME = "Vodárna Pramenov"

# A fictional account at Česká spořitelna (bank code 0800); the IBAN is computed from it.
BANK_ACCOUNT = "2000145399/0800"

UTILITY = {
    "name": "Vodárna Pramenov",
    "legal_name": "Vodárna Pramenov, a.s.",
    "ico": "27195481",
    "dic": "CZ27195481",
    "street": "Na Prameni 1250/4",
    "municipality": "Pramenov",
    "postcode": "53901",
    "phone": "+420 469 600 100",
    "email": "info@pramenov.example",
    "office_hours": "\n".join(
        [
            "Pondělí a středa 8:00–17:00",
            "Úterý a čtvrtek 8:00–14:00",
            "Pátek 8:00–12:00",
        ]
    ),
}

# Round-the-clock line for burst pipes and outages; quoted in texts, not a settings field.
EMERGENCY_PHONE = "+420 469 600 111"
