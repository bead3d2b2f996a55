"""Validating a whole batch before anything is written: manifest, files, records, references."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pydantic import ValidationError

from zis.models import SyncRun
from zis.records import (
    DELETIONS,
    ENTITIES,
    ENTITY_FILES,
    FORMAT_NAME,
    MANIFEST_FILE,
    SUPPORTED_VERSIONS,
    Manifest,
)

from .batch import BOM, Batch, digest_file, file_name, read_manifest_file
from .checker import RecordChecker
from .errors import ErrorList, refuse_duplicate_keys
from .progress import Progress

BOM_MESSAGE = "the file starts with a byte-order mark (UTF-8 without BOM is required)"


def validate_batch(path: Path, progress: Progress | None = None) -> tuple[Batch | None, ErrorList]:
    """Check everything about the batch at `path`; the batch is usable when no errors came back.

    `progress` hears of the records checked (stage "validating")."""
    errors = ErrorList()
    manifest = check_manifest(path, errors)
    if manifest is None:
        return None, errors
    batch = Batch(path, manifest)
    readable = check_files(batch, errors)
    progress = progress or Progress()
    progress.start(SyncRun.Stage.VALIDATING, sum(f.records for f in manifest.files.values()))
    RecordChecker(batch, errors, readable, progress).run()
    return batch, errors


def check_manifest(path: Path, errors: ErrorList) -> Manifest | None:
    if path.is_symlink() or not path.is_dir():
        errors.add(str(path), None, "", "is not a batch folder (a symbolic link is not one)")
        return None
    if not check_regular_files(path, errors):
        return None
    if not (path / MANIFEST_FILE).is_file():
        errors.add(MANIFEST_FILE, None, "", "missing: every batch needs a manifest.json")
        return None
    try:
        content = (path / MANIFEST_FILE).read_bytes()
        if content.startswith(BOM):
            errors.add(MANIFEST_FILE, 1, "", BOM_MESSAGE)
            return None
        raw = json.loads(content, object_pairs_hook=refuse_duplicate_keys)
    except (OSError, ValueError) as exc:
        errors.add(MANIFEST_FILE, None, "", f"not readable JSON ({exc})")
        return None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        found = raw.get("format") if isinstance(raw, dict) else None
        errors.add(
            MANIFEST_FILE, None, "format", f"unknown format {found!r}, expected {FORMAT_NAME!r}"
        )
        return None
    version = raw.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        message = f'unsupported version {version!r} (this portal reads "1.1", "1.0" and 1)'

        errors.add(MANIFEST_FILE, None, "version", message)
        return None
    try:
        return read_manifest_file(path)
    except ValidationError as exc:
        errors.add_validation_error(MANIFEST_FILE, 1, exc)
        return None


def check_regular_files(path: Path, errors: ErrorList) -> bool:
    """A batch folder holds regular files only, as a batch ZIP does: a symbolic link could make
    the portal import (and archive) a file from anywhere, a folder or a device is no batch file."""
    fine = True
    for entry in sorted(path.iterdir()):
        mode = entry.lstat().st_mode
        if stat.S_ISREG(mode):
            continue
        fine = False
        if stat.S_ISLNK(mode):
            what = "a symbolic link"
        elif stat.S_ISDIR(mode):
            what = "a folder"
        else:
            what = "a device, pipe or socket"
        message = f"is {what}: a batch folder may hold only regular files"
        errors.add(entry.name, None, "", message)
    return fine


def check_files(batch: Batch, errors: ErrorList) -> set[str]:
    """Listed files are known and present (all in a full batch); counts and checksums match."""
    files = batch.manifest.files
    for name in files:
        if name not in ENTITY_FILES:
            errors.add(name, None, "", "unknown file: not part of the format (EXCHANGE.md § 1.1)")
    if batch.is_full:
        for entity in ENTITIES:
            if file_name(entity) not in files:
                message = "missing from the manifest: a full batch lists every entity file"
                errors.add(file_name(entity), None, "", message)
        deletions = files.get(file_name(DELETIONS))
        if deletions is not None and deletions.records:
            errors.add(file_name(DELETIONS), None, "", "a full batch carries no deletions")
    readable = set()
    for name, listed in files.items():
        if name not in ENTITY_FILES:
            continue
        if not (batch.path / name).is_file():
            errors.add(name, None, "", "listed in the manifest but missing from the batch folder")
            continue
        digest = digest_file(batch.path / name)
        if digest.bom:  # reported once here; the records are read without it
            errors.add(name, 1, "", BOM_MESSAGE)
        readable.add(name.removesuffix(".jsonl"))
        if digest.sha256 != listed.sha256:
            message = (
                f"checksum mismatch: the manifest says {listed.sha256}, the file has "
                f"{digest.sha256}"
            )
            errors.add(name, None, "sha256", message)
        lines = digest.lines
        if not digest.final_newline:
            message = f"line {lines} has no final newline (every line ends with \\n, the last too)"
            errors.add(name, lines, "", message)
            lines_counted = {lines, lines - 1}  # whichever way the manifest counted it
        else:
            lines_counted = {lines}
        if listed.records not in lines_counted:
            message = f"the manifest says {listed.records} records, the file has {lines} lines"
            errors.add(name, None, "records", message)
    return readable
