"""Errors found in a batch: each names the file, the line and the field, and says what is wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError

MAX_ERRORS = 1000
MAX_SHOWN_INPUT = 60


@dataclass(frozen=True)
class BatchError:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ErrorList:
    """Collects errors up to `limit`; counts the rest so a report stays readable."""

    limit: int = MAX_ERRORS
    errors: list[BatchError] = field(default_factory=list)
    omitted: int = 0

    def add(self, file: str, line: int | None, field_name: str, message: str) -> None:
        if len(self.errors) < self.limit:
            self.errors.append(BatchError(file, line, field_name, message))
        else:
            self.omitted += 1

    def add_validation_error(self, file: str, line: int, exc: ValidationError) -> None:
        for error in exc.errors(include_url=False):
            self.add(file, line, location(error["loc"]), describe(error))

    def sort(self, key: Callable[[BatchError], Any]) -> None:
        self.errors.sort(key=key)

    def __len__(self) -> int:
        return len(self.errors) + self.omitted

    def __bool__(self) -> bool:
        return bool(self.errors)

    def as_list(self) -> list[dict[str, Any]]:
        items = [error.as_dict() for error in self.errors]
        if self.omitted:
            message = f"{self.omitted} more errors not listed"
            items.append({"file": "", "line": None, "field": "", "message": message})
        return items


def location(loc: tuple[int | str, ...]) -> str:
    """("lines", 0, "vat_rate") -> "lines[0].vat_rate"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def describe(error: Any) -> str:
    if error["type"] == "json_invalid":
        return f"not valid JSON ({error.get('ctx', {}).get('error', 'syntax error')})"
    message = error["msg"]
    if error["type"] not in {"missing", "extra_forbidden"} and "input" in error:
        shown = repr(error["input"])
        if len(shown) > MAX_SHOWN_INPUT:
            shown = shown[: MAX_SHOWN_INPUT - 1] + "…"
        message = f"{message} (got {shown})"
    return message


class DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A json.loads object_pairs_hook: one JSON object may not name a key twice (JSON parsers
    differ on which value wins, so ZIS and the portal could read different records)."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(key)
        seen[key] = value
    return seen


_KEY = re.compile(rb'"([A-Za-z_][A-Za-z0-9_]*)"\s*:')


def duplicate_key(line: bytes) -> str | None:
    """The key one object of this JSON line names twice, or None.

    A quick look first: the keys of a flat record are all different, so only a line in which a
    key's name appears twice (records with nested lists, or a real duplicate) is parsed again.
    """
    keys = _KEY.findall(line)
    if len(keys) == len(set(keys)):
        return None
    try:
        json.loads(line, object_pairs_hook=refuse_duplicate_keys)
    except DuplicateKeyError as exc:
        return exc.key
    except ValueError:
        return None
    return None
