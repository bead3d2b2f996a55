"""Files the portal keeps at the ZIS boundary are readable by its service account only.

Batches hold plain activation codes and personal data; ZIS may write them with any permissions
(0755/0644 are common), often as a user of its own. Whatever the portal moves into processed/ or
rejected/, unpacks from an HTTP upload or writes as a report is made private: folders 0700, files
0600, owned by the portal's service account (`move_private` copies a file the portal cannot
change the mode of, because ZIS's user owns it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create `path` (and its parents) if missing; the folder itself becomes 0700."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


def make_private(path: Path) -> None:
    """`path` and everything under it: folders 0700, files 0600 (symbolic links untouched)."""
    if path.is_symlink():
        return
    if not path.is_dir():
        os.chmod(path, FILE_MODE)
        return
    os.chmod(path, FOLDER_MODE)
    for root, folders, files in os.walk(path):
        for name in folders:
            if not os.path.islink(os.path.join(root, name)):
                os.chmod(os.path.join(root, name), FOLDER_MODE)
        for name in files:
            full = os.path.join(root, name)
            if stat.S_ISREG(os.lstat(full).st_mode):
                os.chmod(full, FILE_MODE)


def write_private(path: Path, text: str) -> None:
    """Write a text file (UTF-8) that only the service account can read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, FILE_MODE)  # an existing file keeps its mode on open


def move_private(source: Path, target: Path) -> None:
    """Move the batch folder `source` to `target` (which must not exist), made private.

    The folder is created anew, so the portal owns it; each file is renamed into it (cheap on
    the same file system) and, if the portal cannot set its mode (another user owns it), copied
    to a file of its own. Anything else (a link, a sub-folder of a rejected batch) is moved as
    it is, made private as far as the portal may.
    """
    target.mkdir(mode=FOLDER_MODE)
    os.chmod(target, FOLDER_MODE)
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_symlink() or not entry.is_file():
            shutil.move(str(entry), str(destination))
            with contextlib.suppress(PermissionError):
                make_private(destination)
            continue
        entry.rename(destination)
        make_file_private(destination)
    source.rmdir()


def make_file_private(path: Path) -> None:
    """A regular file becomes 0600; one another user owns is replaced by a copy of the portal's.
    A symbolic link is left alone (its target is not the portal's to change)."""
    if path.is_symlink():
        return
    try:
        os.chmod(path, FILE_MODE)
    except PermissionError:
        _copy_as_own(path)


def _copy_as_own(path: Path) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".private-")  # mode 0600
    with os.fdopen(descriptor, "wb") as sink, path.open("rb") as source:
        shutil.copyfileobj(source, sink, 1 << 20)
    os.replace(temporary, path)
