"""Duplicates of a large file of a full batch are found on disk (zis/importer/dupes.py): the
errors, their lines and order, and what the error list's cap leaves out are those of the
in-memory check."""

from __future__ import annotations

import json
import shutil
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.factories.zis import dumps, refresh_manifest
from zis.demo import generate_batch
from zis.importer import consistency, dupes, parallel
from zis.importer import validate as validate_module
from zis.importer.errors import ErrorList
from zis.importer.validate import validate_batch


@pytest.fixture(scope="module")
def demo_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    return generate_batch(out, supply_points=12, years=2, seed=5, end_date=date(2026, 10, 31))


def records(folder: Path, file: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / file).read_text(encoding="utf-8").splitlines()]


def write(folder: Path, file: str, lines: list[Any]) -> None:
    text = "".join((line if isinstance(line, str) else dumps(line)) + "\n" for line in lines)
    (folder / file).write_text(text, encoding="utf-8")


def broken_copy(demo_batch: Path, tmp_path: Path, *, many: bool) -> Path:
    """Duplicate ids and natural keys, an invalid record whose id comes again, a line with
    several errors; with `many`, more errors than the list keeps."""
    copy = tmp_path / demo_batch.name
    shutil.copytree(demo_batch, copy)
    daily = records(copy, "daily_consumption.jsonl")
    first_id = daily[9]["id"]
    daily[19]["id"] = daily[29]["id"] = first_id  # lines 20 and 30
    daily[39]["volume"] = "a lot"  # line 40: invalid, its id still counts
    daily[49]["id"] = daily[39]["id"]  # line 50: a duplicate of the invalid record's id
    daily[60]["meter"], daily[60]["day"] = daily[59]["meter"], daily[59]["day"]  # line 61
    daily[69].update(id=first_id, meter="M-404")  # line 70: duplicate id, unknown meter
    daily[79].update(meter=daily[78]["meter"], day=daily[78]["day"], id=daily[78]["id"])
    if many:
        for record in daily[100:300]:
            record["id"] = "D-again"
    lines: list[Any] = list(daily)
    lines[89] = dumps(daily[89])[:-1] + ',"id":"x"}'  # line 90: a key named twice
    write(copy, "daily_consumption.jsonl", lines)
    readings = records(copy, "readings.jsonl")
    readings[5].update(meter=readings[4]["meter"], date=readings[4]["date"])
    readings[5]["kind"] = readings[4]["kind"]
    write(copy, "readings.jsonl", readings)
    schedules = records(copy, "advance_schedules.jsonl")
    schedules[2]["advances"][0]["id"] = schedules[1]["advances"][-1]["id"]  # line 3
    schedules[4]["advances"][2]["id"] = schedules[4]["advances"][1]["id"]  # line 5, twice
    schedules[4]["advances"][3]["id"] = schedules[0]["advances"][0]["id"]
    schedules[6]["frequency"] = "weekly"  # line 7: invalid, its advance ids still count
    schedules[8]["advances"][0]["id"] = schedules[6]["advances"][1]["id"]  # line 9
    write(copy, "advance_schedules.jsonl", schedules)
    payments = records(copy, "payments.jsonl")
    payments[3]["id"] = payments[1]["id"]
    payments[7].update(invoice=None, advance="A-404")  # line 8: no such advance
    payments[8].update(invoice=None, advance=schedules[6]["advances"][0]["id"])  # fine
    payments[9].update(invoice=None, advance="A-405", customer="C-404")  # line 10
    write(copy, "payments.jsonl", payments)
    refresh_manifest(copy)
    return copy


def messages(folder: Path, settings: Any, bucket_entries: int) -> tuple[list[dict], int]:
    settings.ZIS_IMPORT_BUCKET_ENTRIES = bucket_entries
    batch, errors = validate_batch(folder)
    assert batch is None or not batch.rows  # a rejected batch keeps no rows
    return errors.as_list(), len(errors)


@pytest.fixture
def on_disk(monkeypatch: pytest.MonkeyPatch) -> list[dupes.Duplicates]:
    """Every Duplicates made in this process."""
    made: list[dupes.Duplicates] = []
    original = dupes.Duplicates.__init__

    def init(self: dupes.Duplicates, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(dupes.Duplicates, "__init__", init)
    return made


@pytest.fixture
def advances_on_disk(monkeypatch: pytest.MonkeyPatch) -> list[dupes.AdvanceIds]:
    """Every AdvanceIds made in this process."""
    made: list[dupes.AdvanceIds] = []
    original = dupes.AdvanceIds.__init__

    def init(self: dupes.AdvanceIds, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(dupes.AdvanceIds, "__init__", init)
    return made


@pytest.mark.parametrize("many", [False, True], ids=["few errors", "more than kept"])
@pytest.mark.parametrize("child", [False, True], ids=["one process", "child process"])
def test_duplicates_found_on_disk_are_those_found_in_memory(
    db, demo_batch, tmp_path, settings, monkeypatch, on_disk, advances_on_disk, many, child
):
    folder = broken_copy(demo_batch, tmp_path, many=many)
    if many:  # the list keeps 25 errors: the cap falls among daily consumption's duplicates
        monkeypatch.setattr(validate_module, "ErrorList", partial(ErrorList, limit=25))
    forked: list[object] = []
    if child:  # the leaves are checked by a forked child (when this process may fork)
        monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
        original = parallel.run_in_child

        def run_in_child(work: Any) -> parallel.Child:
            forked.append(work)
            return original(work)

        monkeypatch.setattr(parallel, "run_in_child", run_in_child)
    in_memory, count = messages(folder, settings, 10**9)
    assert not on_disk and not advances_on_disk
    assert messages(folder, settings, 3) == (in_memory, count)
    assert advances_on_disk  # the schedules' advance ids were checked on disk
    assert bool(forked) == (child and parallel.can_fork())
    if not child:  # readings, daily consumption, payments at least, in several buckets
        assert sum(len(duplicates.ids.buffers) > 1 for duplicates in on_disk) >= 3
    shown = [f"{e['file']}:{e['line']}: {e['field']}: {e['message']}" for e in in_memory]
    daily = [text for text in shown if text.startswith("daily_consumption")]
    first = daily[0].split("'")[1]
    if many:
        assert len(in_memory) == 26 and count > 200
        assert in_memory[-1]["message"] == f"{count - 25} more errors not listed"
    else:
        assert count == len(in_memory)
        for line in (20, 30, 70):
            assert (
                f"daily_consumption.jsonl:{line}: id: duplicate id '{first}' in this file" in daily
            )
        assert any(text.startswith("daily_consumption.jsonl:40: volume") for text in daily)
        assert any(
            text.startswith("daily_consumption.jsonl:50: id: duplicate id") for text in daily
        )
        assert "daily_consumption.jsonl:61: meter, day: duplicate in this file" in daily
        line_80 = [text for text in daily if text.startswith("daily_consumption.jsonl:80:")]
        assert [text.split(": ")[1] for text in line_80] == ["id", "meter, day"]
        line_70 = [
            text.split(": ")[1] for text in daily if text.startswith("daily_consumption.jsonl:70:")
        ]
        assert line_70 == ["id", "meter"]  # the duplicate id before the unknown meter
        assert any(
            text.startswith("daily_consumption.jsonl:90: id: duplicate key") for text in daily
        )
        assert any(text.startswith("readings.jsonl:6: meter, date, kind") for text in shown)
        assert any(text.startswith("payments.jsonl:4: id: duplicate id") for text in shown)
        schedules = [text for text in shown if text.startswith("advance_schedules")]
        assert [text.split(": duplicate")[0] for text in schedules if "duplicate" in text] == [
            "advance_schedules.jsonl:3: advances[0].id",
            "advance_schedules.jsonl:5: advances[2].id",
            "advance_schedules.jsonl:5: advances[3].id",
            "advance_schedules.jsonl:9: advances[0].id",
        ]
        assert any(text.startswith("advance_schedules.jsonl:7: frequency") for text in shown)
        unknown = [
            text for text in shown if text.startswith(("payments.jsonl:8:", "payments.jsonl:10:"))
        ]
        assert unknown == [
            "payments.jsonl:8: advance: unknown advances id 'A-404': a full batch must contain it",
            "payments.jsonl:10: customer: unknown customers id 'C-404': a full batch must "
            "contain it",
            "payments.jsonl:10: advance: unknown advances id 'A-405': a full batch must contain it",
        ]


def test_a_valid_batch_checked_on_disk_imports_the_same_rows(db, demo_batch, settings):
    settings.ZIS_IMPORT_BUCKET_ENTRIES = 2
    batch, errors = validate_batch(demo_batch)
    assert not errors
    assert batch is not None
    counts = {entity: len(spool) for entity, spool in batch.rows.items()}
    batch.discard_rows()
    settings.ZIS_IMPORT_BUCKET_ENTRIES = 10**9
    batch, errors = validate_batch(demo_batch)
    assert not errors
    assert batch is not None
    assert {entity: len(spool) for entity, spool in batch.rows.items()} == counts
    batch.discard_rows()


def test_the_partition_finds_repeats_per_bucket_in_line_order(settings):
    partition = dupes.Partition(4)
    for line, value in enumerate(["a", "b", "a", "c", "b", "a"], start=1):
        partition.add(value, line)
    partition.add("c", -7)  # seen, not reported
    partition.add("c", 8)
    found = sorted(partition.repeated(), key=lambda pair: pair[1])
    assert found == [("a", 3), ("b", 5), ("a", 6), ("c", 8)]
    assert all(file is None for file in partition.files)


def test_falling_indexes_compared_bucket_by_bucket_are_those_compared_in_memory(settings):
    """Many readings are spread over buckets by meter first: the same warnings, same order."""
    rows = []
    for number in range(60):
        meter = f"M-{number * 7 % 13}"  # meters named in a shuffled order
        value = f"{(number * 37) % 50}.000"  # falls now and then
        kind = "replacement" if number == 17 else "regular"
        rows.append((f"R-{number}", "", meter, f"2025-{number % 12 + 1:02}-01\t{value}\t{kind}\t"))

    def line_of(position: int) -> int:
        return position + 1

    settings.ZIS_IMPORT_BUCKET_ENTRIES = 10**9
    in_memory = list(consistency.falling_indexes(rows, line_of))
    settings.ZIS_IMPORT_BUCKET_ENTRIES = 4
    assert len(in_memory) > 5
    assert list(consistency.falling_indexes(rows, line_of)) == in_memory
