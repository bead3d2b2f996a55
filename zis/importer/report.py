"""The report of a sync run: a one-line summary, report.txt for people, report.json for tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zis.models import SyncRun
from zis.private import write_private

COUNT_KEYS = ("created", "updated", "deleted", "unchanged")
REPORT_TEXT = "report.txt"
REPORT_JSON = "report.json"


def summary(run: SyncRun) -> str:
    seconds = run.duration.total_seconds() if run.duration else 0.0
    totals = ", ".join(f"{key} {run.total(key)}" for key in COUNT_KEYS)
    head = f"Batch {run.batch_id} ({run.kind or 'unknown kind'}): {run.status} in {seconds:.1f} s"
    if run.status == SyncRun.Status.SUCCEEDED:
        extra = "".join(
            f"; {len(items)} {label}"
            for items, label in ((run.warnings, "warnings"), (run.closed, "closed in the portal"))
            if items
        )
        return f"{head}; {totals}{extra}."
    return f"{head}; {len(run.errors)} errors."


def format_closed(item: dict[str, Any]) -> str:
    detail = f", {item['detail']}" if item.get("detail") else ""
    return (
        f"{item.get('what', '')} {item.get('id', '')} (customer {item.get('customer_number', '')}"
        f"{detail}): {item.get('outcome', '')}"
    )


def format_error(error: dict[str, Any]) -> str:
    where = error.get("file") or ""
    if error.get("line") is not None:
        where = f"{where}:{error['line']}"
    parts = [part for part in (where, error.get("field"), error.get("message")) if part]
    return ": ".join(parts)


def render_text(run: SyncRun) -> str:
    lines = [summary(run), ""]
    if run.counts:
        lines.append(f"{'entity':<20}" + "".join(f"{key:>11}" for key in COUNT_KEYS))
        for entity, counts in run.counts.items():
            lines.append(f"{entity:<20}" + "".join(f"{counts[key]:>11}" for key in COUNT_KEYS))
        lines.append("")
    if run.warnings:
        lines.append("Warnings (imported; check with ZIS whether they are right):")
        lines.extend(f"  {format_error(warning)}" for warning in run.warnings)
        lines.append("")
    if run.closed:
        lines.append("Closed in the portal because ZIS removed what they refer to:")
        lines.extend(f"  {format_closed(item)}" for item in run.closed)
        lines.append("")
    if run.errors:
        lines.append("Errors:" if run.status == SyncRun.Status.REJECTED else "Failure:")
        lines.extend(f"  {format_error(error)}" for error in run.errors)
        lines.append("")
        lines.append(
            "Nothing from this batch was applied. "
            + (
                "The batch is wrong: correct it and send it again."
                if run.status == SyncRun.Status.REJECTED
                else "Retrying may help (the batch itself may be right): move the folder back "
                "into the inbox."
            )
        )
    return "\n".join(lines).rstrip() + "\n"


def render_json(run: SyncRun) -> dict[str, Any]:
    return {
        "batch_id": run.batch_id,
        "kind": run.kind,
        "source": run.source,
        "status": run.status,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "duration_seconds": run.duration.total_seconds() if run.duration else None,
        "counts": run.counts,
        "errors": run.errors,
        "warnings": run.warnings,
        "closed": run.closed,
    }


def write_reports(folder: Path, run: SyncRun) -> None:
    write_private(folder / REPORT_TEXT, render_text(run))
    payload = json.dumps(render_json(run), ensure_ascii=False, indent=2)
    write_private(folder / REPORT_JSON, payload + "\n")
