"""QR Platba: the Czech Banking Association's Short Payment Descriptor (SPAYD 1.2).

A payment is written as ``SPD*1.0*ACC:<IBAN>[+<BIC>]*AM:<amount>*CC:CZK*…`` — key:value pairs
joined by ``*``. The rules we apply (and test):

- keys are ``[A-Z-]`` only; ``X-`` keys are the Czech extensions (symbols);
- ``ACC`` is a valid IBAN (mod-97 checked), optionally ``+BIC``;
- ``AM`` has a decimal point and exactly two decimals, at most 10 characters (≤ 9 999 999.99);
- ``CC`` is an ISO 4217 code (CZK);
- ``X-VS``, ``X-SS`` and ``X-KS`` are digits only, at most 10 of them;
- ``MSG`` is at most 60 characters, ``RN`` (the payee's name) at most 35;
- ``DT`` is the *execution* date (YYYYMMDD) — we never put a due date there;
- a value never carries a raw ``*``: it is escaped as ``%2A`` (and ``%`` itself as ``%25``).
  Values are transliterated to ASCII (diacritics removed) and anything else outside printable
  ASCII is percent-encoded, so the string reads the same in every banking app.

The string ends without a trailing ``*``, as in the specification's examples.
A Czech account number ("19-2000145399/0800") converts deterministically to its IBAN.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from stdnum import iban as stdnum_iban
from stdnum.cz import bankaccount
from stdnum.exceptions import ValidationError as StdnumError

HEADER = "SPD*1.0"
KEY_RE = re.compile(r"^[A-Z-]+$")
ACCOUNT_RE = re.compile(r"^(?:(?P<prefix>\d{1,6})-)?(?P<number>\d{2,10})/(?P<bank>\d{4})$")
BIC_RE = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
MAX_AMOUNT_CHARS = 10
MAX_SYMBOL_DIGITS = 10
MAX_MESSAGE = 60
MAX_RECIPIENT = 35


class SpaydError(ValueError):
    """A value that cannot go into a QR Platba; the message says which and why."""


@dataclass(frozen=True)
class Payment:
    """What a QR Platba asks the payer's bank to pay."""

    iban: str
    amount: Decimal
    currency: str = "CZK"
    variable_symbol: str = ""
    specific_symbol: str = ""
    constant_symbol: str = ""
    message: str = ""
    recipient: str = ""
    bic: str = ""
    execution_date: dt.date | None = None


def build_spayd(payment: Payment) -> str:
    """The SPAYD string of `payment`; raises SpaydError for anything the specification forbids."""
    account = validate_iban(payment.iban)
    if payment.bic:
        bic = payment.bic.replace(" ", "").upper()
        if not BIC_RE.match(bic):
            raise SpaydError(f"BIC {payment.bic!r} is not 8 or 11 letters and digits.")
        account = f"{account}+{bic}"
    pairs: list[tuple[str, str]] = [
        ("ACC", account),
        ("AM", format_amount(payment.amount)),
        ("CC", _currency(payment.currency)),
    ]
    if payment.execution_date is not None:
        pairs.append(("DT", payment.execution_date.strftime("%Y%m%d")))
    if payment.recipient:
        pairs.append(("RN", _text("RN", payment.recipient, MAX_RECIPIENT)))
    if payment.message:
        pairs.append(("MSG", _text("MSG", payment.message, MAX_MESSAGE)))
    for key, value in (
        ("X-VS", payment.variable_symbol),
        ("X-SS", payment.specific_symbol),
        ("X-KS", payment.constant_symbol),
    ):
        if value:
            pairs.append((key, validate_symbol(key, value)))
    return "*".join([HEADER, *(_pair(key, value) for key, value in pairs)])


def _pair(key: str, value: str) -> str:
    if not KEY_RE.match(key):
        raise SpaydError(f"SPAYD key {key!r} may contain only capital letters and '-'.")
    return f"{key}:{value}"


def validate_iban(value: str) -> str:
    """`value` as a compact IBAN (no spaces, capitals) if its check digits are right."""
    try:
        return stdnum_iban.validate(value)
    except StdnumError as error:
        raise SpaydError(f"IBAN {value!r} is not valid: {error}") from error


def format_amount(value: Decimal | int | str) -> str:
    """1234.5 → "1234.50": a dot and two decimals, at most 10 characters, positive."""
    if isinstance(value, float):
        raise SpaydError("An amount must be a Decimal, not a float.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise SpaydError(f"Amount {value!r} is not a number.") from error
    if not amount.is_finite() or amount <= 0:
        raise SpaydError(f"Amount {value} must be greater than zero.")
    text = f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    if len(text) > MAX_AMOUNT_CHARS:
        raise SpaydError(f"Amount {text} is longer than {MAX_AMOUNT_CHARS} characters.")
    return text


def validate_symbol(key: str, value: str | int) -> str:
    """A payment symbol (VS, SS, KS): digits only, at most 10 of them."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise SpaydError(f"{key} {value!r} must contain digits only.")
    if len(text) > MAX_SYMBOL_DIGITS:
        raise SpaydError(f"{key} {value!r} has more than {MAX_SYMBOL_DIGITS} digits.")
    return text


def _currency(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise SpaydError(f"Currency {value!r} is not a three-letter ISO 4217 code.")
    return code


def escape_value(text: str) -> str:
    """Transliterate to ASCII and percent-encode what could break the string (``*`` → %2A)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = []
    for char in ascii_text:
        if char == "%":
            out.append("%25")
        elif char == "*":
            out.append("%2A")
        elif 32 <= ord(char) < 127:
            out.append(char)
        else:  # control characters (new lines, tabs)
            out.append(f"%{ord(char):02X}")
    return "".join(out)


def _text(key: str, value: str, limit: int) -> str:
    """A free-text value, cleaned of line breaks, escaped and cut to `limit` characters
    (never in the middle of an escape)."""
    text = escape_value(" ".join(value.split()))
    if len(text) <= limit:
        return text
    cut = text[:limit]
    escape_start = cut.rfind("%", max(0, limit - 2))
    return cut[:escape_start] if escape_start != -1 else cut


# --- Czech account numbers --------------------------------------------------------------------


def czech_account_to_iban(account: str) -> str:
    """ "19-2000145399/0800" → "CZ6508000000192000145399".

    The account is ``[prefix-]number/bank code``; prefix and number are checked with the Czech
    National Bank's weighted mod-11 rule, then the IBAN is CZ + check digits + bank code +
    prefix (6 digits) + number (10 digits), its check digits computed mod 97 (ISO 7064).
    """
    match = ACCOUNT_RE.match(account.replace(" ", ""))
    if not match:
        raise SpaydError(
            f"Account {account!r} is not a Czech account number (prefix-number/bank code)."
        )
    try:
        bankaccount.validate(account.replace(" ", ""))
    except StdnumError as error:
        raise SpaydError(f"Account {account!r} is not valid: {error}") from error
    bban = f"{match['bank']}{(match['prefix'] or '').zfill(6)}{match['number'].zfill(10)}"
    check = 98 - int(_iban_digits(f"{bban}CZ00")) % 97
    return validate_iban(f"CZ{check:02d}{bban}")


def _iban_digits(text: str) -> str:
    return "".join(str(int(char, 36)) for char in text)


def iban_to_czech_account(value: str) -> str:
    """ "CZ6508000000192000145399" → "19-2000145399/0800" ("" for a non-Czech IBAN)."""
    compact = validate_iban(value)
    if not compact.startswith("CZ"):
        return ""
    bank, prefix, number = compact[4:8], compact[8:14].lstrip("0"), compact[14:].lstrip("0")
    return f"{prefix}-{number}/{bank}" if prefix else f"{number}/{bank}"
