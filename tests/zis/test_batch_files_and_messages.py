"""A folder batch holds regular files only; what the portal keeps of batches is private; messages
say what to fix; the command's last line says whether the batch is wrong or the import failed."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.models import Customer
from tests.factories.zis import lines, refresh_manifest, set_line
from zis.http.store import store_upload
from zis.importer import import_batch
from zis.models import SyncRun
from zis.outbound.acks import process_ack_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def messages(run: SyncRun) -> list[str]:
    return [f"{e['file']}:{e['line']}: {e['field']}: {e['message']}" for e in run.errors]


# --- only regular files ------------------------------------------------------------------------


def test_a_symlinked_file_is_not_followed(db, full_batch: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.jsonl"
    (full_batch / "tariffs.jsonl").rename(outside)
    (full_batch / "tariffs.jsonl").symlink_to(outside)

    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.REJECTED
    assert messages(run) == [
        "tariffs.jsonl:None: : is a symbolic link: a batch folder may hold only regular files"
    ]
    assert not Customer.objects.exists()


def test_a_subfolder_is_refused(db, full_batch: Path):
    (full_batch / "extra").mkdir()
    run = import_batch(full_batch)
    assert run.status == SyncRun.Status.REJECTED
    assert run.errors[0]["file"] == "extra"
    assert "is a folder" in run.errors[0]["message"]


def test_a_symlinked_batch_folder_is_refused(db, full_batch: Path, inbox: Path):
    link = inbox / "linked"
    link.symlink_to(full_batch)
    run = import_batch(link, move=False)
    assert run.status == SyncRun.Status.REJECTED
    assert not Customer.objects.exists()


# --- private files -----------------------------------------------------------------------------


@pytest.mark.parametrize("good", [True, False])
def test_processed_and_rejected_batches_are_private(db, full_batch: Path, inbox: Path, good):
    for path in [full_batch, *full_batch.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # as ZIS wrote them
    if not good:
        set_line(full_batch, "customers.jsonl", 1, "{}")

    run = import_batch(full_batch)

    folder = Path(run.path)
    assert folder.parent.name == ("processed" if good else "rejected")
    assert mode(folder.parent) == 0o700 and mode(folder) == 0o700
    assert {path.name: mode(path) for path in folder.iterdir()} == {
        path.name: 0o600 for path in folder.iterdir()
    }
    assert mode(folder / "activation_codes.jsonl") == 0o600
    assert mode(folder / "report.txt") == mode(folder / "report.json") == 0o600


def test_an_http_upload_is_private(db, full_batch: Path, inbox: Path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in full_batch.iterdir():
            archive.write(path, path.name)
    buffer.seek(0)

    stored = store_upload(buffer)

    assert mode(stored.path.parent) == 0o700 and mode(stored.path) == 0o700
    assert {mode(path) for path in stored.path.iterdir()} == {0o600}


def test_a_refused_acknowledgement_and_its_report_are_private(db, settings, tmp_path: Path):
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    acks = settings.ZIS_ACKS = tmp_path / "acks"
    acks.mkdir()
    path = acks / "out-20250301-000001.ack.json"
    path.write_text("not json")
    path.chmod(0o644)

    result = process_ack_file(path)

    assert result.outcome is None
    assert mode(result.path.parent) == 0o700 and mode(result.path) == 0o600
    assert mode(result.path.with_name(result.path.name + ".report.txt")) == 0o600


# --- messages that say what to fix ------------------------------------------------------------


def test_a_missing_final_newline_is_named(db, full_batch: Path):
    path = full_batch / "customers.jsonl"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    refresh_manifest(full_batch)  # counts "\n" as ZIS might: one record fewer than lines

    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.REJECTED
    assert messages(run) == [
        "customers.jsonl:3: : line 3 has no final newline (every line ends with \\n, the last too)"
    ]


def test_a_byte_order_mark_is_named(db, full_batch: Path):
    path = full_batch / "customers.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    refresh_manifest(full_batch)

    run = import_batch(full_batch)

    assert messages(run) == [
        "customers.jsonl:1: : the file starts with a byte-order mark "
        "(UTF-8 without BOM is required)"
    ]


def test_a_byte_order_mark_in_the_manifest_is_named(db, full_batch: Path):
    manifest = full_batch / "manifest.json"
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes())
    run = import_batch(full_batch)
    assert "byte-order mark" in run.errors[0]["message"]


def test_a_duplicate_key_is_named(db, full_batch: Path):
    first = lines(full_batch, "customers.jsonl")[0]
    set_line(full_batch, "customers.jsonl", 1, first[:-1] + ',"name":"Jana Jiná"}')

    run = import_batch(full_batch)

    assert run.status == SyncRun.Status.REJECTED
    assert "customers.jsonl:1: name: duplicate key 'name' in the object on line 1" in messages(run)
    assert not Customer.objects.exists()


def test_a_duplicate_key_in_a_nested_object_is_named(db, full_batch: Path):
    first = lines(full_batch, "customers.jsonl")[0]
    set_line(
        full_batch,
        "customers.jsonl",
        1,
        first.replace('"postcode"', '"municipality":"X","postcode"'),
    )
    run = import_batch(full_batch)
    assert "duplicate key 'municipality'" in run.errors[0]["message"]


def test_repeated_keys_in_the_lines_of_an_invoice_are_fine(db, full_batch: Path):
    assert import_batch(full_batch).status == SyncRun.Status.SUCCEEDED  # lines[] repeat "base"


# --- the command's last line -------------------------------------------------------------------


def test_the_command_says_a_wrong_batch_was_rejected(db, full_batch: Path, capsys):
    set_line(full_batch, "customers.jsonl", 1, "{}")
    with pytest.raises(CommandError) as raised:
        call_command("zis_import", str(full_batch))
    message = str(raised.value)
    assert message.startswith("Batch 2025-01-10-full-0001 was rejected: the batch is wrong")
    assert "Correct it in ZIS and send it again" in message


def test_the_command_says_a_crash_failed_and_retrying_may_help(
    db, full_batch: Path, crash_at_payments
):
    with pytest.raises(CommandError) as raised:
        call_command("zis_import", str(full_batch))
    message = str(raised.value)
    assert message.startswith("Batch 2025-01-10-full-0001 failed: the import broke off")
    assert "Retrying may help" in message
    assert os.fspath(full_batch.parent / "rejected") in message


def test_a_file_written_by_another_user_is_copied_to_a_private_one(
    db, full_batch: Path, monkeypatch
):
    """ZIS's own user owns the files: the portal may not change their mode, so it copies them."""
    import zis.private

    real_chmod = os.chmod

    def chmod(path, mode):
        if mode == zis.private.FILE_MODE and Path(path).name in written_by_zis:
            raise PermissionError("not the owner")
        real_chmod(path, mode)

    written_by_zis = {path.name for path in full_batch.iterdir()}
    for path in full_batch.iterdir():
        path.chmod(0o644)
    monkeypatch.setattr(zis.private.os, "chmod", chmod)

    run = import_batch(full_batch)

    folder = Path(run.path)
    assert run.status == SyncRun.Status.SUCCEEDED
    assert {mode(path) for path in folder.iterdir()} == {0o600}
    assert (folder / "customers.jsonl").read_text().startswith('{"id":"C-1001"')
    assert not full_batch.exists()


def test_a_symlinked_batch_folder_is_moved_as_a_link(db, full_batch: Path, inbox: Path):
    link = inbox / "linked"
    link.symlink_to(full_batch)
    run = import_batch(link)
    assert Path(run.path).is_symlink()
    assert (full_batch / "manifest.json").is_file()  # what it points to stays where it was
