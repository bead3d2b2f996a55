"""Errors found in a batch: each names the file, the line and the field, and says what is wrong."""

from __future__ import annotations

import functools
import json
import re
import typing
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

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


def keys_named(record: BaseModel) -> int:
    """How many keys the objects of a validated record named, its nested records' included: a
    key named twice in one object counts once (it sets one field)."""
    fields = record.model_fields_set
    count = len(fields)
    for name in _nested_fields(type(record)):
        if name not in fields:
            continue
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            count += keys_named(value)
        elif isinstance(value, (list, tuple)):
            count += sum(keys_named(item) for item in value if isinstance(item, BaseModel))
    return count


@functools.cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that may hold records (alone or in a list)."""

    def holds_records(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_records(argument) for argument in typing.get_args(annotation))

    return tuple(
        name for name, info in model.model_fields.items() if holds_records(info.annotation)
    )


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
_LOOSE_KEY = re.compile(rb'"\s+:')  # a key, or a quote in a text, with space before a colon


def duplicate_key(line: bytes, named: int | None = None) -> str | None:
    """The key one object of this JSON line names twice, or None.

    Quick looks first. Every key written `"key":` (none with a space before its colon) and no
    more of them than the record holds keys (`named`, from keys_named; nested objects included):
    none is named twice (text can only add to that count, as an escaped quote before a colon).
    Else, the keys of a flat record all differ: none either. Only the other lines are parsed
    again.
    """
    if named is not None and line.count(b'":') == named and not _LOOSE_KEY.search(line):
        return None
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
