"""The "Download my data" ZIP: everything kept about a user and their linked customers.

The ZIP holds `account.json` (the account, its e-mail addresses, MFA methods, preferences) and,
for every portal model with a `for_user()` query path, `json/<entity>.json` and `csv/<entity>.csv`.
Models are discovered, so a model added to the portal later is exported without touching this
file; `NOT_EXPORTED` lists the deliberate exceptions. Every row is read through `for_user(user)`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

# Secrets (code hashes) and price lists that are not about anyone.
NOT_EXPORTED = {"portal.activationcode", "portal.tariff", "portal.tariffprice"}
# The order of the files in the ZIP; models not listed follow in alphabetical order.
ORDER = [
    "portal.accountprofile",
    "portal.customerlink",
    "portal.linkattempt",
    "portal.customer",
    "portal.supplypoint",
    "portal.meter",
    "portal.reading",
    "portal.dailyconsumption",
    "portal.invoice",
    "portal.invoiceline",
    "portal.vatsummaryline",
    "portal.advanceschedule",
    "portal.advance",
    "portal.payment",
    "portal.rainwaterassessment",
]


def exported_models() -> list[type[models.Model]]:
    """Portal models reachable through `for_user`, in export order."""
    found = [
        model
        for model in apps.get_app_config("portal").get_models()
        if hasattr(model._default_manager, "for_user")
        and model._meta.label_lower not in NOT_EXPORTED
    ]

    def position(model: type[models.Model]) -> tuple[int, str]:
        label = model._meta.label_lower
        return (ORDER.index(label) if label in ORDER else len(ORDER), label)

    return sorted(found, key=position)


def entity_name(model: type[models.Model]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def _columns(model: type[models.Model]) -> list[str]:
    """The model's columns, less those it names in `export_exclude` (secrets such as hashes)."""
    excluded = set(getattr(model, "export_exclude", ()))
    return [field.attname for field in model._meta.concrete_fields if field.name not in excluded]


def _rows(model: type[models.Model], user: Any) -> list[dict[str, Any]]:
    queryset = model._default_manager.for_user(user).order_by("pk")
    return list(queryset.values(*_columns(model)))


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def _write_csv(archive: zipfile.ZipFile, name: str, columns: list[str], rows: Iterable[dict]):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row[column]) for column in columns])
    archive.writestr(name, buffer.getvalue().encode("utf-8-sig"))  # BOM: Excel reads UTF-8


def _write_json(archive: zipfile.ZipFile, name: str, data: Any) -> None:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    archive.writestr(name, text.encode("utf-8"))


def account_data(user: Any) -> dict[str, Any]:
    """The account itself: identity, e-mail addresses, MFA methods (never their secrets)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "user": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "mfa": list(
            Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")
        ),
        "exported_at": timezone.now(),
    }


def _readme(names: list[str]) -> str:
    lines = [
        _("Your data kept by the customer portal."),
        "",
        _("account.json: your account, e-mail addresses, two-factor methods and preferences."),
        _("json/ and csv/: the same records in two formats, one file per kind of record:"),
        *(f"  {name}" for name in names),
        "",
        _("Columns ending in _id refer to the id column of another file."),
    ]
    return "\n".join(lines) + "\n"


def export_user_data(user: Any) -> bytes:
    """A ZIP (JSON + CSV) of the user's account and of the customers linked to them."""
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_json(archive, "account.json", account_data(user))
        for model in exported_models():
            name, columns = entity_name(model), _columns(model)
            rows = _rows(model, user)
            _write_json(archive, f"json/{name}.json", rows)
            _write_csv(archive, f"csv/{name}.csv", columns, rows)
            names.append(name)
        archive.writestr("README.txt", _readme(names).encode("utf-8"))
    return buffer.getvalue()
