"""How far a running import is: its stage, and records done of the stage's total.

The importer tells a Progress of each stage and of the records done; the Progress passes it on
to its listeners:

- RunProgress writes it to the SyncRun (stage, progress_done, progress_total, progress_at), at
  most once a second, so the admin's sync run page shows a running import. The import applies
  its batch in one transaction, and what that transaction writes stays invisible to others
  until the end; so while it is open, progress goes through a second database connection of its
  own, one short autocommitted UPDATE at a time (PostgreSQL). SQLite lets one connection write
  at a time and the import's transaction holds that lock, so a second connection would wait
  for the end: there, progress is seen while validating (no transaction is open yet) and when
  the apply stage starts with its total; what the import's own connection writes meanwhile
  becomes visible with the rest at the end.
- TerminalProgress shows it to a person: a progress bar with records per second and the time
  left on a terminal (rich), plain lines every few seconds otherwise (a log, cron's e-mail).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Protocol, TextIO

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from zis.models import SyncRun

STAGE_LABELS = {
    SyncRun.Stage.VALIDATING: "validating",
    SyncRun.Stage.APPLYING: "applying",
    SyncRun.Stage.FINISHING: "finishing",
}


class Listener(Protocol):
    def update(self, progress: Progress, *, stage_changed: bool) -> None: ...

    def close(self, progress: Progress) -> None: ...


class Progress:
    """The running stage and its counts; every change goes to the listeners."""

    def __init__(self, listeners: Iterable[Listener | None] = ()) -> None:
        self.listeners = [listener for listener in listeners if listener is not None]
        self.stage = ""
        self.total = 0
        self.done = 0
        self.started = time.monotonic()

    def start(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done = stage, max(0, total), 0
        self.started = time.monotonic()
        self._tell(stage_changed=True)

    def advance(self, count: int) -> None:
        if count:
            self.done += count
            self._tell(stage_changed=False)

    def rate(self) -> float:
        """Records per second in this stage so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        rate = self.rate()
        if not rate or not self.total:
            return None
        return max(0.0, (self.total - self.done) / rate)

    def close(self) -> None:
        for listener in self.listeners:
            listener.close(self)

    def _tell(self, *, stage_changed: bool) -> None:
        for listener in self.listeners:
            listener.update(self, stage_changed=stage_changed)


class Throttled:
    """Passes on a stage change at once, counts at most every `interval` seconds."""

    interval = 1.0

    def __init__(self) -> None:
        self.last = 0.0

    def due(self, stage_changed: bool) -> bool:
        now = time.monotonic()
        if stage_changed or now - self.last >= self.interval:
            self.last = now
            return True
        return False


class RunProgress(Throttled):
    """Writes the progress to the SyncRun row, visibly to others while the import runs."""

    def __init__(self, run: SyncRun) -> None:
        super().__init__()
        self.run = run
        self.side: Any = None  # the second connection, opened when first needed

    def update(self, progress: Progress, *, stage_changed: bool) -> None:
        if self.due(stage_changed):
            self.write(progress)

    def close(self, progress: Progress) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None

    def write(self, progress: Progress) -> None:
        values = {
            "stage": progress.stage,
            "progress_done": min(progress.done, progress.total),
            "progress_total": progress.total,
            "progress_at": timezone.now(),
        }
        try:
            if connection.in_atomic_block and connection.vendor == "postgresql":
                self.write_aside(values)
            else:  # outside a transaction: seen at once; SQLite inside it: seen at its end
                SyncRun.objects.filter(pk=self.run.pk).update(**values)
        except DatabaseError:  # progress is a courtesy: never fail the import for it
            pass

    def write_aside(self, values: dict[str, Any]) -> None:
        """One autocommitted UPDATE through a connection of its own."""
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self.side.ops.quote_name(SyncRun._meta.db_table)
        assignments = ", ".join(f"{self.side.ops.quote_name(name)} = %s" for name in values)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                [*values.values(), self.run.pk],
            )


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class PlainLines(Throttled):
    """A line every `interval` seconds and one per stage: for logs and pipes."""

    interval = 10.0

    def __init__(self, stream: TextIO, label: str = "") -> None:
        super().__init__()
        self.stream = stream
        self.prefix = f"{label}: " if label else ""

    def update(self, progress: Progress, *, stage_changed: bool) -> None:
        if stage_changed:
            self.flush_pending()  # the previous stage's last figures
        line = self.line(progress)
        if self.due(stage_changed):
            self.write(line)
        else:
            self.pending = line

    def close(self, progress: Progress) -> None:
        self.flush_pending()

    pending = ""
    written = ""

    def flush_pending(self) -> None:
        if self.pending and self.pending != self.written:
            self.write(self.pending)
        self.pending = ""

    def write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()
        self.written, self.pending = line, ""

    def line(self, progress: Progress) -> str:
        stage = STAGE_LABELS.get(progress.stage, progress.stage)
        if not progress.total:
            return f"{self.prefix}{stage}"
        percent = min(100, progress.done * 100 // progress.total)
        return (
            f"{self.prefix}{stage}: {progress.done:,} / {progress.total:,} records ({percent} %), "
            f"{progress.rate():,.0f} records/s, {duration_text(progress.seconds_left())} left"
        )


class RichBar:
    """A progress bar per stage on a terminal: records, records per second, time left."""

    def __init__(self, stream: TextIO, label: str = "") -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bars

        self.label = f"{label}: " if label else ""
        self.bars = Bars(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} records/s"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(file=stream, force_terminal=True),
            transient=False,
        )
        self.task: Any = None
        self.live = False  # started on the first update: one live display at a time

    def update(self, progress: Progress, *, stage_changed: bool) -> None:
        if not self.live:
            self.bars.start()
            self.live = True
        if stage_changed:
            if self.task is not None:
                self.bars.update(self.task, completed=self.bars.tasks[-1].total)
            description = self.label + STAGE_LABELS.get(progress.stage, progress.stage)
            self.task = self.bars.add_task(description, total=progress.total or None, rate="0")
        self.bars.update(self.task, completed=progress.done, rate=f"{progress.rate():,.0f}")

    def close(self, progress: Progress) -> None:
        if self.task is not None:
            self.bars.update(self.task, completed=progress.done)
        if self.live:
            self.bars.stop()
            self.live = False


def terminal_progress(stream: Any, label: str = "") -> Listener:
    """A bar on a terminal, plain periodic lines otherwise."""
    target = getattr(stream, "_out", stream)  # a management command's OutputWrapper
    isatty = getattr(target, "isatty", None)
    if isatty is not None and isatty():
        return RichBar(target, label)
    return PlainLines(target, label)
