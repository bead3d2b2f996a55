"""ZIS exchange files: copies of the recorded batches (tests/fixtures/zis/*), corrupted or edited as
a test needs them, and ZIS's acknowledgements of outbound batches."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zis"
ACK_RECEIVED = "2025-03-01T09:05:00+01:00"


def copy_batch(name: str, into: Path) -> Path:
    target = into / name
    shutil.copytree(FIXTURES / name, target)
    return target


def read_manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def refresh_manifest(folder: Path, **changes: Any) -> dict[str, Any]:
    """Recompute records and sha256 of every .jsonl file in `folder`; apply `changes` on top."""
    manifest = read_manifest(folder)
    files = {}
    for path in sorted(folder.glob("*.jsonl")):
        data = path.read_bytes()
        files[path.name] = {
            "records": data.count(b"\n"),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    manifest["files"] = files
    manifest.update(changes)
    write_json(folder / "manifest.json", manifest)
    return manifest


def lines(folder: Path, file: str) -> list[str]:
    return (folder / file).read_text(encoding="utf-8").splitlines()


def set_line(folder: Path, file: str, line_no: int, text: str) -> None:
    """Replace line `line_no` (1-based) of `file` and refresh the manifest, as ZIS would."""
    content = lines(folder, file)
    content[line_no - 1] = text
    (folder / file).write_text("\n".join(content) + "\n", encoding="utf-8")
    refresh_manifest(folder)


def edit_record(folder: Path, file: str, line_no: int, **changes: Any) -> None:
    record = json.loads(lines(folder, file)[line_no - 1])
    record.update(changes)
    set_line(folder, file, line_no, dumps(record))


def append_record(folder: Path, file: str, record: dict[str, Any]) -> None:
    with (folder / file).open("a", encoding="utf-8") as handle:
        handle.write(dumps(record) + "\n")
    refresh_manifest(folder)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a batch folder, by name, as ZIS would download it."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def ack_document(batch_id: str, accepted: list[str], rejected: Any = (), **extra: Any) -> dict:
    """ZIS's acknowledgement of an outbound batch (`rejected`: pairs of request id and reason)."""
    return {
        "format": "pramen-zis-ack",
        "version": 1,
        "batch_id": batch_id,
        "received_at": ACK_RECEIVED,
        "accepted": accepted,
        "rejected": [{"request_id": key, "reason": reason} for key, reason in rejected],
        **extra,
    }


def drop_ack(acks: Path, document: dict, name: str | None = None) -> Path:
    """Put an acknowledgement into the acks folder, as ZIS does."""
    acks.mkdir(parents=True, exist_ok=True)
    path = acks / (name or f"{document['batch_id']}.ack.json")
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
