"""A long import shows how far it is: on the terminal (a bar, or plain lines when not a
terminal) and on its sync run, which others can read while the import's transaction is open."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from zis.demo import generate_batch
from zis.importer import apply as apply_module
from zis.importer import import_batch
from zis.importer.progress import PlainLines, Progress, RichBar, RunProgress, terminal_progress
from zis.models import SyncRun


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def demo_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    return generate_batch(out, supply_points=6, years=1, seed=4, end_date=date(2026, 10, 31))


def test_plain_lines_when_not_a_terminal(db, demo_batch, monkeypatch):
    monkeypatch.setattr(PlainLines, "interval", 0.0)
    err = io.StringIO()
    call_command("zis_import", str(demo_batch), "--no-move", stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith(f"{demo_batch.name}: validating: ") for line in lines)
    applying = [line for line in lines if ": applying: " in line]
    assert applying and "records/s" in applying[-1] and " left" in applying[-1]
    assert "(100 %)" in applying[-1]
    assert "\x1b[" not in err.getvalue()  # no terminal control codes in a log


def test_a_progress_bar_on_a_terminal(db, demo_batch):
    err = Terminal()
    display = terminal_progress(err, label="demo")
    assert isinstance(display, RichBar)
    run = import_batch(demo_batch, move=False, display=display)
    assert run.status == SyncRun.Status.SUCCEEDED, run.report
    shown = err.getvalue()
    assert "demo: validating" in shown and "demo: applying" in shown
    assert "records/s" in shown and "━" in shown  # the bar


def test_terminal_progress_is_plain_for_a_pipe():
    assert isinstance(terminal_progress(io.StringIO()), PlainLines)


def test_plain_line_tells_rate_and_time_left():
    progress = Progress()
    progress.start(SyncRun.Stage.APPLYING, 1000)
    progress.started -= 10  # ten seconds ago
    progress.advance(250)
    line = PlainLines(io.StringIO(), "batch").line(progress)
    assert line == "batch: applying: 250 / 1,000 records (25 %), 25 records/s, 0:30 left"


def _seen_while_applying(monkeypatch: pytest.MonkeyPatch, read: Any) -> list[tuple]:
    """What `read(run_pk)` returned when payments were about to be applied."""
    monkeypatch.setattr(RunProgress, "interval", 0.0)
    seen: list[tuple] = []
    original = apply_module.apply_entity

    def apply_entity(spec, ctx):
        if spec.name == "payments":
            seen.append(read(SyncRun.objects.latest("pk").pk))
        original(spec, ctx)

    monkeypatch.setattr(apply_module, "apply_entity", apply_entity)
    return seen


@pytest.mark.django_db(transaction=True)
def test_the_run_knows_its_stage_and_total_while_applying(demo_batch, monkeypatch):
    seen = _seen_while_applying(
        monkeypatch,
        lambda pk: SyncRun.objects.filter(pk=pk).values_list("stage", "progress_total").get(),
    )
    run = import_batch(demo_batch, move=False)
    assert run.status == SyncRun.Status.SUCCEEDED
    stage, total = seen[0]
    assert stage == SyncRun.Stage.APPLYING
    assert total == sum(counts["created"] for counts in run.counts.values()) > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: see progress.py"
)
@pytest.mark.django_db(transaction=True)
def test_others_see_the_progress_while_the_transaction_is_open(demo_batch, monkeypatch):
    other = connections.create_connection(DEFAULT_DB_ALIAS)

    def read(pk: int) -> tuple:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT stage, progress_done, progress_total FROM zis_syncrun WHERE id = %s", [pk]
            )
            return cursor.fetchone()

    seen = _seen_while_applying(monkeypatch, read)
    try:
        run = import_batch(demo_batch, move=False)
    finally:
        other.close()
    assert run.status == SyncRun.Status.SUCCEEDED
    stage, done, total = seen[0]
    assert stage == SyncRun.Stage.APPLYING
    assert 0 < done < total  # the chunks written so far, inside the open transaction


def test_zis_demo_load_shows_generation_and_import_on_a_terminal(db, tmp_path):
    err = Terminal()
    call_command(
        "zis_demo_load",
        "--supply-points",
        "4",
        "--years",
        "1",
        "--out",
        str(tmp_path),
        stdout=io.StringIO(),
        stderr=err,
    )
    shown = err.getvalue()
    assert "demo: generating" in shown and "demo: applying" in shown and "records/s" in shown
