"""Uploaded batches: a ZIP of the batch folder, checked before anything is written, then unpacked.

Accepted: the batch files at the top of the archive, or all inside one folder (as zipping the
batch folder makes them). Refused: any other name (only ``manifest.json`` and the entity files of
the exchange format), paths with ``..``, absolute or backslashed paths, symbolic links, encrypted
members, compression other than stored or deflated, duplicates, a missing or unreadable manifest,
and files larger than ``ZIS_MAX_BATCH_FILE_BYTES`` or together larger than ``ZIS_MAX_BATCH_BYTES``
(checked on the sizes the archive declares and again while unpacking).
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from zis.records import ENTITY_FILES, MANIFEST_FILE, Manifest

ALLOWED_NAMES = frozenset({MANIFEST_FILE, *ENTITY_FILES})
MAX_MANIFEST_BYTES = 1 << 20
COPY_CHUNK = 1 << 20
COMPRESSIONS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


class ArchiveError(Exception):
    """The upload is not an acceptable batch archive; the message says why (the 400 body)."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class CheckedArchive:
    """An archive whose members passed the checks: batch file name → member, and the manifest."""

    zip: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    manifest: Manifest

    @property
    def batch_id(self) -> str:
        return self.manifest.batch_id


def open_archive(upload: IO[bytes]) -> zipfile.ZipFile:
    """Open the ZIP in `upload` (a seekable file); raises ArchiveError."""
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveError(f"The body is not a readable ZIP archive ({exc}).") from exc


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> CheckedArchive:
    """Check the members and read the manifest of an open archive; raises ArchiveError."""
    members = batch_members(archive.infolist(), limits)
    return CheckedArchive(archive, members, read_archive_manifest(archive, members))


def batch_members(infos: list[zipfile.ZipInfo], limits: Limits) -> dict[str, zipfile.ZipInfo]:
    prefix = common_folder(infos)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        raw = info.filename
        check_path(raw)
        if raw == prefix:  # the folder's own entry
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(f"{raw}: symbolic links are not accepted.")
        name = raw[len(prefix) :]
        if info.is_dir() or "/" in name or name not in ALLOWED_NAMES:
            raise ArchiveError(
                f"{raw}: not a file of a batch (allowed: {', '.join(sorted(ALLOWED_NAMES))})."
            )
        if name in members:
            raise ArchiveError(f"{raw}: the archive holds this file twice.")
        if info.flag_bits & 0x1:
            raise ArchiveError(f"{raw}: encrypted members are not accepted.")
        if info.compress_type not in COMPRESSIONS:
            raise ArchiveError(f"{raw}: only stored or deflated members are accepted.")
        if info.file_size > limits.file_bytes:
            raise ArchiveError(f"{raw}: larger than {limits.file_bytes} bytes.")
        total += info.file_size
        if total > limits.total_bytes:
            raise ArchiveError(f"The batch is larger than {limits.total_bytes} bytes unpacked.")
        members[name] = info
    if MANIFEST_FILE not in members:
        raise ArchiveError(f"The archive has no {MANIFEST_FILE}.")
    return members


def common_folder(infos: list[zipfile.ZipInfo]) -> str:
    """``"name/"`` when every member lies in that one folder, otherwise ``""``."""
    tops = {info.filename.split("/", 1)[0] for info in infos}
    if len(tops) == 1 and all("/" in info.filename for info in infos):
        return f"{tops.pop()}/"
    return ""


def check_path(name: str) -> None:
    parts = name.split("/")
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or any(part in {".", ".."} for part in parts)
    ):
        raise ArchiveError(f"{name!r}: unsafe path in the archive.")


def read_archive_manifest(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
) -> Manifest:
    info = members[MANIFEST_FILE]
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ArchiveError(f"{MANIFEST_FILE}: larger than {MAX_MANIFEST_BYTES} bytes.")
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
        return Manifest.model_validate_json(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise ArchiveError(f"{MANIFEST_FILE}: cannot be unpacked ({exc}).") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or '(document)'}: {error['msg']}"
            for error in exc.errors()[:5]
        )
        raise ArchiveError(f"{MANIFEST_FILE}: {problems}") from exc


def unpack(checked: CheckedArchive, folder: Path, limits: Limits) -> None:
    """Write the members into the new, empty `folder`, readable by the service account only.

    Sizes are counted while writing (a member may hold more than it declares). On any error the
    folder is removed again; a corrupt member raises ArchiveError, anything else (a full disk)
    is re-raised as it is.
    """
    total = 0
    try:
        for name, info in checked.members.items():
            total += copy_member(checked.zip, info, folder / name, limits.file_bytes)
            if total > limits.total_bytes:
                raise ArchiveError(f"The batch is larger than {limits.total_bytes} bytes unpacked.")
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
            raise ArchiveError(f"The archive cannot be unpacked ({exc}).") from exc
        raise


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> int:
    written = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with archive.open(info) as source, os.fdopen(descriptor, "wb") as sink:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                raise ArchiveError(f"{info.filename}: larger than {limit} bytes.")
            sink.write(chunk)
    return written
