"""Operations commands: `create_operator` and `zis_purge_batches` (with its nightly task)."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from portal.accounts.groups import OPERATORS
from tests.factories.accounts import has_totp

DAY = 86400
PASSWORD = "Provozni-Heslo-2026"


def create(monkeypatch, *args: str, password: str = PASSWORD) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_operator", *args, "--password-stdin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_operator_makes_a_staff_user_who_must_enrol_mfa(client, monkeypatch):
    output = create(monkeypatch, "Dispecink@Vodarna.example", "--first-name", "Eva")
    user = get_user_model().objects.get(email="dispecink@vodarna.example")
    assert user.is_staff and not user.is_superuser and user.first_name == "Eva"
    assert list(user.groups.values_list("name", flat=True)) == [OPERATORS]
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert not has_totp(user)
    assert "TOTP" in output

    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and not response["Location"].startswith("/admin/")


@pytest.mark.django_db
def test_create_operator_refuses_bad_input_and_keeps_nothing(monkeypatch):
    with pytest.raises(CommandError, match="not a valid e-mail"):
        create(monkeypatch, "dispecink")
    with pytest.raises(CommandError, match="password was refused"):
        create(monkeypatch, "dispecink@vodarna.example", password="12345678")
    assert not get_user_model().objects.exists()
    create(monkeypatch, "dispecink@vodarna.example", "--superuser")
    with pytest.raises(CommandError, match="already exists"):
        create(monkeypatch, "DISPECINK@vodarna.example")
    assert get_user_model().objects.get().is_superuser


def batch_folder(parent: Path, name: str, age_days: float) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "customers.jsonl").write_text('{"activation_code": "ABCD-1234"}\n', encoding="utf-8")
    (folder / "report.json").write_text("{}", encoding="utf-8")
    stamp = time.time() - age_days * DAY
    for path in (*folder.iterdir(), folder):
        os.utime(path, (stamp, stamp))
    return folder


@pytest.fixture
def inbox(settings, tmp_path) -> Path:
    settings.ZIS_INBOX = tmp_path / "inbox"
    settings.ZIS_OUTBOX = tmp_path / "outbox"
    settings.ZIS_ACKS = tmp_path / "acks"
    return tmp_path / "inbox"


def test_purge_deletes_only_archived_batches_older_than_the_limit(inbox):
    old = batch_folder(inbox / "processed", "2025-01-01-full", 40)
    old_upload = batch_folder(inbox / "http" / "rejected", "20250101T000000Z-bad", 35)
    recent = batch_folder(inbox / "processed", "2025-03-01-delta", 5)
    waiting = batch_folder(inbox, "2025-01-02-full-waiting", 40)  # not imported yet: kept

    dry = io.StringIO()
    call_command("zis_purge_batches", "--older-than", "30", "--dry-run", stdout=dry)
    assert "Would delete 2 batch folder(s) or file(s)" in dry.getvalue()
    assert old.exists() and old_upload.exists()

    out = io.StringIO()
    call_command("zis_purge_batches", "--older-than", "30", stdout=out)
    assert "Deleted 2 batch folder(s) or file(s) older than 30 days." in out.getvalue()
    assert not old.exists() and not old_upload.exists()
    assert recent.exists() and waiting.exists()

    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("zis_purge_batches", "--older-than", "0")


def test_the_nightly_task_purges_after_the_configured_days(inbox, settings):
    from zis.tasks import purge_batches_task

    old = batch_folder(inbox / "processed", "2025-01-01-full", 40)
    settings.ZIS_PURGE_AFTER_DAYS = 0
    purge_batches_task.call_local()
    assert old.exists()  # 0 keeps everything
    settings.ZIS_PURGE_AFTER_DAYS = 30
    assert purge_batches_task.call_local() == 1
    assert not old.exists()


def test_purge_also_deletes_acknowledged_outbound_batches_and_their_acks(inbox, settings):
    outbound = batch_folder(settings.ZIS_OUTBOX / "acknowledged", "out-20250101-000001", 40)
    waiting = batch_folder(settings.ZIS_OUTBOX, "out-20250101-000002", 40)  # ZIS has not read it
    ack = settings.ZIS_ACKS / "processed" / "out-20250101-000001.ack.json"
    ack.parent.mkdir(parents=True)
    ack.write_text("{}", encoding="utf-8")
    stamp = time.time() - 40 * DAY
    os.utime(ack, (stamp, stamp))

    out = io.StringIO()
    call_command("zis_purge_batches", "--older-than", "30", stdout=out)

    assert "Deleted 2 batch folder(s) or file(s) older than 30 days." in out.getvalue()
    assert not outbound.exists() and not ack.exists()
    assert waiting.exists()
