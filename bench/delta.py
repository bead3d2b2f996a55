"""A nightly delta from a full demo batch: every record of a share of the supply points, changed.

ZIS sends, each night, the records that changed since the last batch. This takes the supply
points whose number falls in the share (2 % by default), follows the references of the exchange
format (meters, readings, daily consumption, invoices, schedules, rainwater, payments of those
invoices) and writes those records with a later `updated_at`, so the portal updates each one:
the night's work when 2 % of the utility's points had news.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, datetime
from pathlib import Path

from zis.records import ENTITIES, REFERENCES

UPDATED_AT = "2026-11-01T02:00:00+00:00"  # after the demo's last day


def make_delta(full: Path, out: Path, *, share: float = 0.02, seed: int = 1) -> Path:
    """Write the delta batch folder `out` from the full batch folder `full`; return `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with (full / "supply_points.jsonl").open("rb") as handle:
        points = [json.loads(line)["id"] for line in handle]
    count = max(1, round(len(points) * share))
    chosen = set(random.Random(seed).sample(points, count))  # noqa: S311 - a repeatable pick
    selected: dict[str, set[str]] = {"supply_points": chosen}
    files = {}
    for entity in ENTITIES:
        references = REFERENCES.get(entity, {})
        if entity != "supply_points" and not any(
            target in selected and target != "customers" for target in references.values()
        ):
            continue
        ids = selected.setdefault(entity, set())
        lines = []
        with (full / f"{entity}.jsonl").open("rb") as handle:
            for line in handle:
                record = json.loads(line)
                wanted = record["id"] in ids or any(
                    record.get(field) in selected.get(target, ())
                    for field, target in references.items()
                    if target != "customers"
                )
                if wanted:
                    ids.add(record["id"])
                    record["updated_at"] = UPDATED_AT
                    lines.append(json.dumps(record, ensure_ascii=False) + "\n")
        data = "".join(lines).encode()
        (out / f"{entity}.jsonl").write_bytes(data)
        files[f"{entity}.jsonl"] = {
            "records": len(lines),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    manifest = json.loads((full / "manifest.json").read_text(encoding="utf-8"))
    manifest |= {
        "batch_id": f"{manifest['batch_id']}-delta",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kind": "delta",
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return out
