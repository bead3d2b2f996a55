"""Helpers for tests that build or corrupt batch folders (copies of tests/fixtures/zis/*)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "zis"


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
