"""The indicators of an agreement file: the part of `tracker.agreements.loader`'s work that belongs to this domain.

`init_app` registers `apply_indicators` with the loader, which runs it after the workstreams of the file.
"""

from __future__ import annotations

from sqlalchemy import select

from tracker.actions.models import Direction, Indicator
from tracker.agreements.loader import Applier, texts_columns
from tracker.agreements.models import Agreement, Workstream
from tracker.agreements.schema import AgreementData
from tracker.core.db import db


def apply_indicators(
    agreement: Agreement, data: AgreementData, workstreams: dict[str, Workstream], applier: Applier
) -> None:
    """Create or update the indicators the file lists (matched by code); those it no longer lists are kept."""
    existing = {i.code: i for i in db.session.scalars(select(Indicator).where(Indicator.agreement_id == agreement.id))}
    for position, i in enumerate(data.indicators):
        indicator = existing.get(i.code)
        values = {
            "agreement_id": agreement.id,
            "code": i.code,
            "position": position,
            "workstream_id": workstreams[i.workstream].id if i.workstream else None,
            **texts_columns("name", i.name),
            "unit": i.unit,
            "direction": Direction(i.direction),
            "baseline_value": i.baseline.value,
            "baseline_on": i.baseline.date,
            "target_value": i.target.value if i.target else None,
            "target_on": i.target.date if i.target else None,
            "source": i.source,
        }
        applier.upsert("indicators", indicator or Indicator(), values, "indicator", indicator is None)
    listed = {i.code for i in data.indicators}
    applier.result.kept += [f"indicator {code}" for code in existing if code not in listed]
