"""The periodic task imports what waits in the inbox; the management command imports one folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.models import Customer
from tests.factories.zis import copy_batch, refresh_manifest
from zis.importer import pending_batches
from zis.models import SyncRun
from zis.tasks import import_inbox_task


def test_periodic_task_imports_the_inbox_oldest_first(db, inbox: Path):
    # Named so that alphabetical order would be wrong: the manifest's `created` decides.
    delta = copy_batch("batch_delta_v1", inbox)
    delta.rename(inbox / "a-delta")
    full = copy_batch("batch_full_v1", inbox)
    full.rename(inbox / "b-full")

    import_inbox_task()

    runs = list(SyncRun.objects.order_by("pk"))
    assert [(run.batch_id, run.status) for run in runs] == [
        ("2025-01-10-full-0001", "succeeded"),
        ("2025-02-01-delta-0001", "succeeded"),
    ]
    assert Customer.objects.get(zis_id="C-1001").name == "Jana Dvořáková"
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["a-delta", "b-full"]


def test_inbox_skips_unfinished_hidden_and_archived_folders(db, inbox: Path):
    unfinished = copy_batch("batch_full_v1", inbox)
    (unfinished / "manifest.json").unlink()
    hidden = copy_batch("batch_delta_v1", inbox)
    hidden.rename(inbox / ".upload-in-progress")
    (inbox / "processed").mkdir()
    shutil.copytree(inbox / ".upload-in-progress", inbox / "processed" / "old")
    (inbox / "notes.txt").write_text("not a batch", encoding="utf-8")

    assert pending_batches(inbox) == []
    import_inbox_task()
    assert SyncRun.objects.count() == 0
    assert unfinished.is_dir()


def test_periodic_task_rejects_a_bad_batch_and_goes_on(db, inbox: Path):
    bad = copy_batch("batch_delta_v1", inbox)  # a delta referring to rows nobody has
    refresh_manifest(bad, created="2025-01-01T00:00:00Z")
    copy_batch("batch_full_v1", inbox)

    import_inbox_task()

    statuses = dict(SyncRun.objects.values_list("batch_id", "status"))
    assert statuses == {"2025-02-01-delta-0001": "rejected", "2025-01-10-full-0001": "succeeded"}
    assert (inbox / "rejected" / "batch_delta_v1" / "report.txt").is_file()


def test_command_prints_a_summary(db, full_batch: Path, capsys):
    call_command("zis_import", str(full_batch))
    out = capsys.readouterr().out
    assert "2025-01-10-full-0001" in out
    assert "succeeded" in out
    assert "customers" in out


def test_command_fails_on_a_rejected_batch(db, delta_batch: Path, capsys):
    with pytest.raises(CommandError, match="rejected"):
        call_command("zis_import", str(delta_batch), "--no-move")
    assert "readings.jsonl:1: meter" in capsys.readouterr().err
    assert delta_batch.is_dir()


def test_command_refuses_a_missing_folder(db, tmp_path: Path):
    with pytest.raises(CommandError, match="not a folder"):
        call_command("zis_import", str(tmp_path / "nowhere"))
