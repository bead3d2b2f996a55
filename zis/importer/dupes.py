"""Duplicate ids and natural keys of a large file, found on disk instead of in memory.

A set of every id (and of every natural key's hash) of a file grows with the file: about
100 bytes per record, 1 GB for the 10 million daily consumption records of a 500,000-point
utility. In a full batch the files nothing refers to (readings, daily consumption, payments, …)
need those sets only to find duplicates, so for a large one the checker hands them to a
`Duplicates`: each (value, line) goes to one of B bucket files on disk chosen by the value's
hash (B from the file's record count, so that a bucket holds about `bucket_entries()` of them;
buffers written with marshal, as spool.py does). Equal values land in the same bucket, in the
order of their lines, so checking one bucket at a time with a set in memory finds every
duplicate, at the same line as the in-memory check would. Delta batches keep the in-memory sets:
their other checks look ids up (RecordChecker.known).

The duplicates are only known at the end of the file, while the file's other errors were found
line by line. `FileErrors` holds those until then and `merge_errors` adds both to the batch's
ErrorList in the order of the in-memory check (by line, and within a line in the order the
checks run), so that the errors kept under its cap, and the number left out, stay the same.
"""

from __future__ import annotations

import heapq
import marshal
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings

from .errors import ErrorList
from .spool import spool_folder

DEFAULT_BUCKET_ENTRIES = 250_000
FLUSH_ENTRIES = 65_536  # entries buffered over all buckets before they are written

# Where a duplicate's error goes among the errors of its line (the order of check_file):
BEFORE_ID = 0  # the record's own problems (fields new in format 1.1, arithmetic)
DUPLICATE_ID = 1
DUPLICATE_KEY = 3
DUPLICATE_ADVANCE = 4  # a schedule's advances, in their order (duplicate_advance_place)
AFTER_KEY = 5  # references
ADVANCE_REFERENCE = 6  # a payment's advance, its last reference

# The fewest bytes an advance takes in a schedule's list ({"id":"a","due_on":"2025-01-01",
# "amount":"0","vat_rate":"0"}): a file of n bytes lists at most n / this many.
MIN_ADVANCE_BYTES = 60


def bucket_entries() -> int:
    """Entries a bucket holds at most, about (ZIS_IMPORT_BUCKET_ENTRIES); a file of no more
    records than that is checked in memory."""
    value = getattr(settings, "ZIS_IMPORT_BUCKET_ENTRIES", DEFAULT_BUCKET_ENTRIES)
    return max(1, int(value))


class Partition:
    """Groups of `width` values spread over `buckets` temporary files by the hash of each
    group's first value; a bucket gives its groups back in the order they were added."""

    def __init__(self, buckets: int, width: int = 2) -> None:
        self.buffers: list[list[Any]] = [[] for _ in range(buckets)]  # flat: the groups' values
        self.files: list[IO[bytes] | None] = [None] * buckets
        self.width = width
        self.buffered = 0

    def add(self, *values: Any) -> None:
        self.buffers[hash(values[0]) % len(self.buffers)].extend(values)
        self.buffered += 1
        if self.buffered >= FLUSH_ENTRIES:
            self.flush()

    def flush(self) -> None:
        for index, buffer in enumerate(self.buffers):
            if not buffer:
                continue
            file = self.files[index]
            if file is None:
                file = self.files[index] = tempfile.TemporaryFile(  # noqa: SIM115 - closed in close()
                    prefix="zis-keys-", dir=spool_folder()
                )
            data = marshal.dumps(buffer)
            file.seek(0, 2)  # a bucket read and kept (keep=True) is appended to
            file.write(len(data).to_bytes(8, "little"))
            file.write(data)
            self.buffers[index] = []
        self.buffered = 0

    def buckets(self, *, keep: bool = False) -> Iterator[Iterator[tuple[Any, ...]]]:
        """Each bucket's groups, a bucket after the other (each file goes once read, unless
        `keep`)."""
        self.flush()
        for index in range(len(self.files)):
            if self.files[index] is not None:
                yield self.groups(index, keep=keep)

    def groups(self, index: int, *, keep: bool = False) -> Iterator[tuple[Any, ...]]:
        """The groups of one bucket (call flush first), in the order they were added."""
        file, width = self.files[index], self.width
        if file is None:
            return
        file.seek(0)
        while header := file.read(8):
            values = marshal.loads(file.read(int.from_bytes(header, "little")))  # noqa: S302 - written by this process
            yield from zip(*(values[start::width] for start in range(width)), strict=True)
        if not keep:
            file.close()
            self.files[index] = None

    def repeated(self) -> Iterator[tuple[Any, int]]:
        """(value, line) of every pair whose value an earlier line had. A negative line marks
        a value seen but not reported (the id of an invalid record)."""
        for groups in self.buckets():
            seen: set[Any] = set()
            for value, line in groups:
                if value in seen:
                    if line > 0:
                        yield value, line
                else:
                    seen.add(value)
            del seen

    def close(self) -> None:
        for file in self.files:
            if file is not None:
                file.close()
        self.files = [None] * len(self.files)
        self.buffers = [[] for _ in self.buffers]


class Duplicates:
    """The ids and natural keys (hashes) of one file, checked for duplicates at its end."""

    def __init__(self, records: int, key_fields: str | None) -> None:
        buckets = max(1, -(-records // bucket_entries()))
        self.ids = Partition(buckets)
        self.keys = Partition(buckets) if key_fields is not None else None
        self.key_fields = key_fields

    def add_id(self, value: str, line: int, *, reported: bool = True) -> None:
        self.ids.add(value, line if reported else -line)

    def add_key(self, value: int, line: int) -> None:
        if self.keys is not None:
            self.keys.add(value, line)

    def found(self) -> Iterator[tuple[int, int, str, str]]:
        """(line, place in the line, field, message) of each duplicate, in no particular order."""
        for value, line in self.ids.repeated():
            yield line, DUPLICATE_ID, "id", f"duplicate id {value!r} in this file"
        if self.keys is not None and self.key_fields is not None:
            for _value, line in self.keys.repeated():
                yield line, DUPLICATE_KEY, self.key_fields, "duplicate in this file"

    def close(self) -> None:
        self.ids.close()
        if self.keys is not None:
            self.keys.close()


class AdvanceIds:
    """The advance ids of a full batch's schedules, on disk: millions of them (about 100 bytes
    each in a set) that only two checks need. Each (id, line, position in the schedule) goes to
    a bucket by the id's hash, as Duplicates does; at the end of the schedules file the buckets
    give the duplicate advance ids, and the payments' references to advances go to buckets of
    the same hash, so that at the end of the payments file each bucket of references is checked
    against the set of one bucket of ids."""

    def __init__(self, buckets: int) -> None:
        self.defined = Partition(buckets, width=3)
        self.referred = Partition(buckets)

    @classmethod
    def for_file(cls, size: int) -> AdvanceIds | None:
        """For a schedules file of `size` bytes: None when its advances fit in one bucket (they
        are then kept in memory)."""
        most = size // MIN_ADVANCE_BYTES
        if most <= bucket_entries():
            return None
        return cls(-(-most // bucket_entries()))

    def add(self, value: str, line: int, position: int, *, reported: bool = True) -> None:
        """An advance id of the schedule on `line` (an invalid schedule's: not `reported`)."""
        self.defined.add(value, line if reported else -line, position)

    def refer(self, value: str, line: int) -> None:
        """A reference to an advance, from a payment on `line`."""
        self.referred.add(value, line)

    def repeated(self) -> Iterator[tuple[str, int, int]]:
        """(id, line, position) of each advance whose id came before, per bucket in the order of
        the lines; the ids stay on disk for the references."""
        for groups in self.defined.buckets(keep=True):
            seen: set[str] = set()
            for value, line, position in groups:
                if value in seen:
                    if line > 0:
                        yield value, line, position
                else:
                    seen.add(value)
            del seen

    def unknown(self) -> Iterator[tuple[str, int]]:
        """(id, line) of each reference to an advance id no schedule listed; the references go."""
        self.referred.flush()
        self.defined.flush()
        for index in range(len(self.referred.files)):
            if self.referred.files[index] is None:
                continue
            known = {value for value, _line, _position in self.defined.groups(index, keep=True)}
            for value, line in self.referred.groups(index):
                if value not in known:
                    yield value, line
            del known

    def close(self) -> None:
        self.defined.close()
        self.referred.close()


def duplicate_advance_place(position: int) -> float:
    """The place of a duplicate advance id among its line's errors: after the schedule's other
    duplicates, before its references, in the order of the advances."""
    return DUPLICATE_ADVANCE + position / (position + 1)


class FileErrors(ErrorList):
    """The errors of one file found line by line, held until its duplicates are known: as many
    as the batch's list still has room for (later ones could not be kept anyway), each with its
    line and `place` (BEFORE_ID or AFTER_KEY, set by the checker as it goes)."""

    def __init__(self, room: int) -> None:
        super().__init__(limit=room)
        self.place: float = BEFORE_ID
        self.order: list[tuple[int, float]] = []

    def add(self, file: str, line: int | None, field_name: str, message: str) -> None:
        if len(self.errors) < self.limit:
            self.order.append((line or 0, self.place))
        super().add(file, line, field_name, message)


def merge_errors(
    errors: ErrorList, held: FileErrors, name: str, found: Iterable[tuple[int, float, str, str]]
) -> None:
    """Add the held errors and the duplicates found to `errors`, in the order the in-memory
    check would have added them: by line, then by place in the line. Only the first `room`
    duplicates in that order can be kept; the others are counted."""
    room, total = held.limit, 0

    def counted() -> Iterator[tuple[int, float, str, str]]:
        nonlocal total
        for item in found:
            total += 1
            yield item

    items = counted()
    duplicates = heapq.nsmallest(room, items, key=lambda item: (item[0], item[1]))
    for _item in items:  # nsmallest(0, …) reads nothing: count them all all the same
        pass
    merged = heapq.merge(
        (
            (line, place, error)
            for (line, place), error in zip(held.order, held.errors, strict=True)
        ),
        (
            (line, place, (name, line, field_name, message))
            for line, place, field_name, message in duplicates
        ),
        key=lambda item: (item[0], item[1]),
    )
    for _line, _place, error in merged:
        if isinstance(error, tuple):
            errors.add(*error)
        else:
            errors.add(error.file, error.line, error.field, error.message)
    errors.omitted += held.omitted + total - len(duplicates)
