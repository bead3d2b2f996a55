"""import_batch: validate, apply in one transaction, record the sync run, archive the folder."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import DatabaseError, DataError, IntegrityError, connection, transaction
from django.utils import timezone

from zis.followups import after_import
from zis.models import SyncRun
from zis.private import move_private, private_folder

from .apply import apply_batch
from .batch import Batch, read_manifest
from .entities import SPECS
from .errors import ErrorList
from .progress import Listener, Progress, RunProgress
from .report import render_text, summary, write_reports
from .validate import validate_batch

logger = logging.getLogger(__name__)

PROCESSED = "processed"
REJECTED = "rejected"


def import_batch(
    path: Path,
    *,
    move: bool = True,
    source: str = SyncRun.Source.FOLDER,
    received_at: datetime | None = None,
    display: Listener | None = None,
) -> SyncRun:
    """Import the batch folder at `path` and return its sync run.

    A valid batch is applied in one transaction and moved to `processed/` next to it; an invalid
    one (status "rejected": also a value the database refuses) changes nothing and goes to
    `rejected/`, as does one whose import crashed for another reason (status "failed": a lost
    database connection, a full disk; retrying may help). A report.txt and report.json are
    written into the moved folder. The run shows its stage and progress while it goes
    (progress.py); `display` (progress.terminal_progress) shows them to a person too.
    """
    path = Path(path)
    run = start_run(path, source, received_at)
    started = time.monotonic()
    progress = Progress([RunProgress(run), display])
    try:
        with collector_paused(), validated(path, progress) as (batch, errors):
            if batch is None or errors:
                finish(run, SyncRun.Status.REJECTED, started, errors=errors.as_list())
            else:
                warnings = batch.warnings
                progress.start(SyncRun.Stage.APPLYING, batch.row_count())
                with transaction.atomic():
                    applied = apply_batch(batch, progress)
                progress.start(SyncRun.Stage.FINISHING, 0)
                refresh_statistics(applied.counts)
                finish(
                    run,
                    SyncRun.Status.SUCCEEDED,
                    started,
                    counts=applied.counts,
                    closed=applied.closed,
                    warnings=warnings,
                )
    except (DataError, IntegrityError) as exc:  # the database refused a value of the batch
        logger.warning("ZIS batch %s refused by the database: %s", path, exc)
        message = f"the database refused a value of this batch ({type(exc).__name__}: {exc})"
        finish(run, SyncRun.Status.REJECTED, started, errors=[error_entry(message)])
    except Exception as exc:  # any other crash: the transaction rolled back; record why
        logger.exception("Import of ZIS batch %s failed", path)
        failure = error_entry(f"{type(exc).__name__}: {exc}")
        finish(run, SyncRun.Status.FAILED, started, errors=[failure])
    finally:
        progress.close()
    if move:
        archive(run, path)
    logger.info("%s", summary(run))
    after_import(run)
    return run


def error_entry(message: str) -> dict[str, Any]:
    return {"file": "", "line": None, "field": "", "message": message}


# After this many changed rows, PostgreSQL's planner statistics are refreshed at once instead of
# waiting for autovacuum (which may be slow to come, or off): stale statistics after a first big
# import make it scan tables that it should read by index (portal pages 20 times slower).
ANALYZE_AFTER_ROWS = 10_000
# ... of the tables whose changed rows are at least this share of the rows they held (as
# autovacuum's default analyze_scale_factor): a nightly delta changing 2 % of a large utility's
# rows leaves statistics that are still good, and sampling every large table again took seconds.
ANALYZE_SHARE = 0.1


def refresh_statistics(counts: dict[str, dict[str, int]]) -> bool:
    """ANALYZE the tables a large import changed much (PostgreSQL); True when one was."""
    changed = {
        entity: figures.get("created", 0) + figures.get("updated", 0) + figures.get("deleted", 0)
        for entity, figures in counts.items()
        if isinstance(figures, dict)
    }
    if connection.vendor != "postgresql" or sum(changed.values()) < ANALYZE_AFTER_ROWS:
        return False
    tables = [
        (model._meta.db_table, count)
        for entity, count in changed.items()
        if count and entity in SPECS
        for model in (SPECS[entity].model, *SPECS[entity].part_models)
    ]
    analysed = False
    try:
        with connection.cursor() as cursor:
            for table, count in tables:
                cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
                (held,) = cursor.fetchone()
                if held > 0 and count < ANALYZE_SHARE * held:  # held < 0: never analysed
                    continue
                cursor.execute(f'ANALYZE "{table}"')
                analysed = True
    except DatabaseError:  # statistics are an optimisation: never fail an applied import
        logger.warning("Could not refresh planner statistics after the import", exc_info=True)
        return False
    return analysed


@contextmanager
def validated(path: Path, progress: Progress) -> Iterator[tuple[Batch | None, ErrorList]]:
    """The validated batch; its spooled rows (temporary files) go when the block is left."""
    batch, errors = validate_batch(path, progress)
    try:
        yield batch, errors
    finally:
        if batch is not None:
            batch.discard_rows()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is read and written.

    The batch's rows are millions of tuples that live until the end; each full collection would
    walk all of them, again and again as they grow (a quarter of validation's time). The
    importer creates no reference cycles worth collecting meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def start_run(path: Path, source: str, received_at: datetime | None) -> SyncRun:
    manifest = read_manifest(path)
    return SyncRun.objects.create(
        batch_id=manifest.batch_id if manifest else path.name[:64],
        kind=manifest.kind if manifest else "",
        source=source,
        received_at=received_at,
        path=str(path),
    )


def finish(
    run: SyncRun,
    status: str,
    started: float,
    *,
    counts: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    closed: list[dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.duration = timedelta(seconds=time.monotonic() - started)
    run.counts = counts or {}
    run.errors = errors or []
    run.closed = closed or []
    run.warnings = warnings or []
    run.report = render_text(run)
    run.save()


def archive(run: SyncRun, path: Path) -> None:
    """Move the folder to processed/ or rejected/ beside it and write the reports into it;
    everything there is private to the service account (it holds plain activation codes)."""
    if not path.is_dir():
        return
    kind = PROCESSED if run.status == SyncRun.Status.SUCCEEDED else REJECTED
    target = unique_target(private_folder(path.parent / kind), path.name)
    if path.is_symlink():  # refused: the link is moved, never what it points to
        path.rename(target)
    else:
        move_private(path, target)
    write_reports(target, run)
    run.path = str(target)
    run.save(update_fields=["path"])


def unique_target(folder: Path, name: str) -> Path:
    target = folder / name
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{name}.{counter}"
    return target
