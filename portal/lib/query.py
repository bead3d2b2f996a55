"""GET parameters as anybody may type them: whole numbers in a range, text without control
characters. A value that does not fit reads as "not given", so the page shows its default."""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 control characters (NUL among them: PostgreSQL refuses it in any text) and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Primary keys are 64-bit; a larger number cannot select anything (and overflows the database).
MAX_ID = 2**63 - 1
# Years a filter may ask for: anything else cannot match a date the database stores.
MIN_YEAR, MAX_YEAR = 1900, 2200


def int_param(value: Any, minimum: int, maximum: int) -> int | None:
    """`value` as a whole number within [minimum, maximum]; None when missing or not one."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 20 or not text.lstrip("-").isascii():
        return None
    try:
        number = int(text)
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None


def id_param(value: Any) -> int | None:
    """A primary key from a GET parameter: a positive 64-bit number, or None."""
    return int_param(value, 1, MAX_ID)


def year_param(value: Any) -> int | None:
    """A calendar year from a GET parameter (1900–2200), or None."""
    return int_param(value, MIN_YEAR, MAX_YEAR)


def text_param(value: Any, max_length: int) -> str:
    """Search text: control characters become spaces, runs of white space one space, at most
    `max_length` characters ("" when nothing is left)."""
    text = CONTROL_CHARACTERS.sub(" ", str(value or ""))
    return " ".join(text.split())[:max_length]


def any_ignored(query: Any, parsed: dict[str, Any]) -> bool:
    """Whether a parameter of `query` was given (not empty) but `parsed` dropped it."""
    return any(
        query.get(name) not in (None, "") and value in (None, "") for name, value in parsed.items()
    )


def has_control_characters(value: Any) -> bool:
    return bool(CONTROL_CHARACTERS.search(str(value or "")))
