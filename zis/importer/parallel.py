"""Validating part of a large batch in a second process, so two cores share the work.

Parsing and checking records is plain Python, bound to one core. For a large batch the files
no other file refers to (readings, daily consumption, payments, …) are checked by a forked
child while this process checks the others; the child writes its rows and errors to a
temporary file as it goes, and this process then reads them and checks the references of those
rows. The child only reads files: it never
touches the database connection it inherited, and leaves with os._exit, which runs no cleanup
that could close that connection. A process is only forked while it runs a single thread (a
fork copies no other thread, and so no lock one of them might hold); otherwise, or when the
child fails, everything is checked here as usual.
"""

from __future__ import annotations

import logging
import marshal
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

logger = logging.getLogger(__name__)

# Below this many records in the files a child would take, one process is quicker.
PARALLEL_THRESHOLD = 200_000
# The part of the batch's bytes the child should take, as near as its files allow: half, since
# checking a record costs about the same per byte in every file (this process then also takes
# the child's rows over, which costs far less).
CHILD_SHARE = 0.5

SPOOL_ROWS = 50_000  # rows the child writes at a time, so it never holds a whole file's rows


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Spool(list):
    """Rows being built in the child: written out every SPOOL_ROWS rows, as ("rows", entity,
    [row, …]), then forgotten."""

    def __init__(self, out: BinaryIO, entity: str) -> None:
        super().__init__()
        self.out, self.entity = out, entity

    def append(self, row: Any) -> None:
        super().append(row)
        if len(self) >= SPOOL_ROWS:
            self.flush()

    def flush(self) -> None:
        write_object(("rows", self.entity, list(self)), self.out)
        self.clear()


class Child:
    """A forked child running `work(out)`, which writes objects to `out` (a temporary file)
    with write_object. `result()` waits for the child and returns that file, rewound, or None
    when the child failed. Use it as a context manager: leaving the block without taking the
    result ends the child and collects it."""

    def __init__(self, work: Callable[[BinaryIO], None]) -> None:
        self.out: BinaryIO | None = tempfile.TemporaryFile()  # noqa: SIM115 - closed in result()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            code = 1
            try:
                work(self.out)
                self.out.flush()
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)

    def result(self) -> BinaryIO | None:
        out, self.out = self.out, None
        _pid, status = os.waitpid(self.pid, 0)
        if status != 0 or out is None:
            logger.warning(
                "The validation worker failed (status %s); checking here instead", status
            )
            if out is not None:
                out.close()
            return None
        out.seek(0)
        return out

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.out is not None:  # left early: end the child
            os.kill(self.pid, signal.SIGKILL)  # it holds nothing to clean up
            os.waitpid(self.pid, 0)
            self.out.close()
            self.out = None


def run_in_child(work: Callable[[BinaryIO], None]) -> Child:
    return Child(work)


def write_object(item: Any, out: BinaryIO) -> None:
    """Write a marshal-able object, preceded by its length (reading it back is then one read)."""
    data = marshal.dumps(item)
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)


def read_objects(source: BinaryIO) -> Iterator[Any]:
    """The objects a child wrote, in order."""
    with source:
        while header := source.read(8):
            data = source.read(int.from_bytes(header, "little"))
            yield marshal.loads(data)  # noqa: S302 - written by our own child process
