"""Incremental scoring: whether a run rescores every video or only the new and changed ones,
which kept predictions are still valid, and how this run's rows merge with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ml import config, db
from ml.artifacts import ModelBundle
from ml.features import ID_COL

PREDICTIONS_TABLE = "claim_predictions"


RUNS_TABLE = "scoring_runs"


# What `ml.claim_predictions` keeps of each video besides the run's ids: enough to re-rank a kept
# row (probability, flags, reach) and to tell whether its mart row changed since it was scored.
KEPT_COLS = (
    ID_COL,
    "split",
    "claim_probability",
    "predicted_is_claim",
    "needs_review",
    "review_reason",
    "unscored_reason",
    "scoring_model",
    "reach",
    "source_file",
    "source_row_number",
    "scored_at",
)


ROW_KEY = ("source_file", "source_row_number")


@dataclass(frozen=True)
class Plan:
    """Whether this run rescores every video ("full") or only new and changed ones."""

    mode: str
    reason: str


def plan_run(
    connection: Any, bundle: ModelBundle, relation: str, mart_types: dict[str, str], full: bool
) -> Plan:
    """Incremental when the last run scored this relation with this champion, else full.

    A video is then rescored when its mart row (`source_file`, `source_row_number`) is not the
    one its prediction was made from: a new video, or one a newer export re-reported.
    """
    predictions = f"{config.ML_SCHEMA}.{PREDICTIONS_TABLE}"
    runs = f"{config.ML_SCHEMA}.{RUNS_TABLE}"
    if full:
        return Plan("full", "--full asked for it")
    if not set(ROW_KEY) <= set(mart_types):
        return Plan("full", f"{relation} has no {' / '.join(ROW_KEY)} to tell changed rows")
    if not db.relation_exists(connection, runs):
        return Plan("full", "no earlier scoring run is recorded")
    last = connection.execute(
        f"select model_run_id, relation from {runs} order by scored_at desc limit 1"
    ).fetchall()
    if not last:
        return Plan("full", "no earlier scoring run is recorded")
    last_run, last_relation = last[0]
    if last_run != bundle.model_run_id:
        return Plan(
            "full", f"a new champion (run {bundle.model_run_id}; last scored by {last_run})"
        )
    if last_relation != relation:
        return Plan("full", f"the last run scored {last_relation}, not {relation}")
    kept_types = db.column_types(connection, predictions)
    if not set(KEPT_COLS) <= set(kept_types):
        return Plan("full", f"{predictions} predates incremental scoring")
    return Plan("incremental", "same champion as the last run: new and changed videos only")


def _unchanged() -> str:
    """SQL: the mart row `v` is the one its kept prediction `p` was made from."""
    return (
        f"p.{ID_COL} = v.{ID_COL} and p.source_file is not distinct from v.source_file "
        "and p.source_row_number is not distinct from v.source_row_number"
    )


def changed_filter(relation: str) -> str:
    """SQL condition on mart rows `v`: no prediction was made from this very row."""
    predictions = f"{config.ML_SCHEMA}.{PREDICTIONS_TABLE}"
    return f"not exists (select 1 from {predictions} as p where {_unchanged()})"


def kept_rows(connection: Any, relation: str) -> pa.Table:
    """The predictions still valid: made from the row each video has in the mart now."""
    columns = ", ".join(f"p.{column}" for column in KEPT_COLS)
    return connection.sql(
        f"""
        select {columns}
        from {config.ML_SCHEMA}.{PREDICTIONS_TABLE} as p
        where exists (
            select 1 from {db.quote_relation(relation)} as v where {_unchanged()}
        )
        """
    ).to_arrow_table()


def new_rows(scored: pa.Table, bundle: ModelBundle, scored_at: datetime) -> pa.Table:
    """This run's predictions in the shape of the kept ones (`KEPT_COLS`)."""
    count = scored.num_rows
    scoring_model = pc.fill_null(scored.column("scored_by"), bundle.model_name)
    columns = {
        column: scored.column(column)
        for column in KEPT_COLS
        if column not in {"scoring_model", "scored_at", *ROW_KEY}
    }
    columns["scoring_model"] = scoring_model
    for column, kind in zip(ROW_KEY, (pa.string(), pa.int64()), strict=True):
        columns[column] = (
            scored.column(column).cast(kind)
            if column in scored.column_names
            else pa.nulls(count, kind)
        )
    columns["scored_at"] = pa.array([scored_at] * count, pa.timestamp("us", tz="UTC"))
    return pa.table({column: columns[column] for column in KEPT_COLS})


def merged_rows(fresh: pa.Table, kept: pa.Table | None) -> pa.Table:
    """This run's rows and the kept ones, in one table with this run's schema."""
    if kept is None or kept.num_rows == 0:
        return fresh
    return pa.concat_tables([fresh, kept.select(list(KEPT_COLS)).cast(fresh.schema)])
